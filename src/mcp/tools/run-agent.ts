import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { agentRunShape, agentSetupOf, runAgentArgsSchema, runAgentTask } from '../../agents-service/index.js';
import { inBand, toolFailure, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const outputSchema = toolOutputSchema(agentRunShape);

export function registerRunAgent(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'run_agent',
    {
      title: 'Run an agent',
      description:
        'Answers `question` with a tool-calling agent on one framework (langgraph, openai-tools, anthropic-tools, native) and one model ' +
        '(provider openai, anthropic or openai-compatible with baseUrl; the key comes from the environment variable apiKeyEnv). `tools` ' +
        'are node types (chunk.text is offered as tool chunk_text) and saved pipelines as pipe:<name> (tool pipe_<name>). It runs as an ' +
        'ordinary traced run (pipeline agent-<framework>). Returns {runId, framework, provider, model, answer, steps: [{kind, name, input, ' +
        'output, durationMs, tokens, costUsd}], usage, costUsd, latencyMs}. A failed agent is isError with {code, message, hint} plus the ' +
        'same fields; a setup the validator refuses is AGENT_SETUP_INVALID with problems pointing at the arguments. Cancelling the ' +
        'request stops the agent. See the spans with get_run; replay_llm_calls resends its model calls to another model.',
      inputSchema: runAgentArgsSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    inBand('run_agent', deps.logger, async (args, extra) => {
      const record = await runAgentTask(deps, agentSetupOf(args), { signal: extra.signal });
      if (!record.error) return toolSuccess(record);
      return toolFailure(
        {
          code: record.error.code,
          message: record.error.message,
          hint: record.error.hint ?? `Look at the spans with get_run {"runId": "${record.runId}"}.`,
          ...(record.error.path ? { path: record.error.path } : {}),
        },
        record,
      );
    }),
  );
}
