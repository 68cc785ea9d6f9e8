import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { replayArgsSchema, replayLlmCalls, replayResultShape } from '../../agents-service/index.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const outputSchema = toolOutputSchema(replayResultShape);

export function registerReplayLlmCalls(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'replay_llm_calls',
    {
      title: 'Replay LLM calls on another model',
      description:
        'Takes the LLM calls a run made (run_agent, or a pipeline with llm.chat / agent.run) and sends the same messages, tools, ' +
        'temperature and token limit to another model {provider, model, baseUrl?, apiKeyEnv?, price?}, in a run of its own named ' +
        '"replay": can a cheaper model do this? Returns {runId, replayRunId, calls: [{spanId, original: {model, text, toolCalls, ' +
        'inputTokens, outputTokens, costUsd}, replay: {…, latencyMs, error?}}], skipped, totals: {original, replay: {inputTokens, ' +
        'outputTokens, tokens, costUsd}}}. An unknown run is RUN_NOT_FOUND; a run traced with previews off is LLM_REQUESTS_NOT_RECORDED; ' +
        'a run without model calls is RUN_HAS_NO_LLM_CALLS. A replay the other model refuses is a call with replay.error.',
      inputSchema: replayArgsSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    inBand('replay_llm_calls', deps.logger, async (args, extra) => toolSuccess(await replayLlmCalls(deps, args, { signal: extra.signal }))),
  );
}
