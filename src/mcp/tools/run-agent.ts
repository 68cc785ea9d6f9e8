import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { agentRunShape, agentSetupOf, runAgentArgsSchema, runAgentTask } from '../../agents-service/index.js';
import { inBand, toolFailure, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const outputSchema = toolOutputSchema(agentRunShape);
const HEARTBEAT_MS = 4_000;

type ProgressExtra = Pick<RequestHandlerExtra<ServerRequest, ServerNotification>, '_meta' | 'sendNotification'>;

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
        'same fields; a setup the validator refuses is AGENT_SETUP_INVALID with problems pointing at the arguments. With a progressToken, ' +
        'progress is sent every few seconds (the first names the run id); cancelling the request stops the agent. See the spans with ' +
        'get_run; replay_llm_calls resends its model calls to another model.',
      inputSchema: runAgentArgsSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    inBand('run_agent', deps.logger, async (args, extra) => {
      const runId = randomUUID();
      const heartbeat = startHeartbeat(extra, runId, deps);
      let record;
      try {
        record = await runAgentTask(deps, agentSetupOf(args), { signal: extra.signal, runId });
      } finally {
        await heartbeat.stop();
      }
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

/**
 * An agent waits on models for long stretches with no item finishing, so progress is a heartbeat:
 * 0 at the start (naming the run), then one more every few seconds with the steps traced so far,
 * which keeps clients whose timeout resets on progress waiting.
 */
function startHeartbeat(extra: ProgressExtra, runId: string, deps: McpDeps) {
  const token = extra._meta?.progressToken;
  if (token === undefined) return { stop: async () => undefined };
  let sent: Promise<void> = Promise.resolve();
  let progress = 0;
  const send = (message: string) => {
    const params = { progressToken: token, progress: progress++, message };
    sent = sent.then(() => extra.sendNotification({ method: 'notifications/progress', params })).catch(() => undefined);
  };
  send(`run ${runId} started`);
  const timer = setInterval(() => {
    let steps = 0;
    try {
      steps = deps.traceStore.querySpans({ runId, limit: 1000 }).filter((span) => span.kind === 'llm' || span.kind === 'tool').length;
    } catch {
      // the count is a courtesy; the heartbeat goes out anyway
    }
    send(`run ${runId}: ${steps} model and tool call(s) so far`);
  }, HEARTBEAT_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await sent;
    },
  };
}
