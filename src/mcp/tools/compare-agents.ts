import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { compareAgents, compareAgentsArgsSchema, compareResultShape } from '../../agents-service/index.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const outputSchema = toolOutputSchema(compareResultShape);

export function registerCompareAgents(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'compare_agents',
    {
      title: 'Compare agents',
      description:
        'Runs one task (question, tools, system, maxSteps as in run_agent) through several variants [{framework, provider, model, ' +
        'baseUrl?, apiKeyEnv?, price?, label?}] concurrently, each as its own traced run, and returns a table {rows: [{label, framework, ' +
        'provider, model, answer, steps, toolCalls, inputTokens, outputTokens, costUsd, latencyMs, error, judgeScore, judgeReason, ' +
        'runId}], judged}. With `judge` {provider, model} (or PIPELANE_JUDGE_MODEL="provider:model") every answer is scored 0-10 with ' +
        'prompts/judge.md in a run named "judge"; an unusable judge reply gives judgeScore null and says why. A failing variant is a row ' +
        'with `error`, not a failed call. Sends notifications/progress as variants finish (with a progressToken); cancelling the request stops every variant.',
      inputSchema: compareAgentsArgsSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    inBand('compare_agents', deps.logger, async (args, extra) => {
      const token = extra._meta?.progressToken;
      let sent: Promise<void> = Promise.resolve();
      const onProgress = ({ done, total, message }: { done: number; total: number; message: string }) => {
        if (token === undefined) return;
        sent = sent
          .then(() => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message } }))
          .catch(() => undefined);
      };
      const result = await compareAgents(deps, args, { signal: extra.signal, onProgress });
      await sent;
      return toolSuccess(result);
    }),
  );
}
