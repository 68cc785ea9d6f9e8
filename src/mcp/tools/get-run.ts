import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_QUERY_LIMIT } from '../../trace/index.js';
import { runRecordSchema, spanRecordSchema } from '../result-schemas.js';
import { inBand, toolFailure, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const inputSchema = z.object({
  runId: z.string().min(1).describe('Run id from a run_pipeline result or from query_traces'),
});

const outputSchema = toolOutputSchema({
  run: runRecordSchema,
  spans: z.array(spanRecordSchema).describe('Node invocations of the run, in start order'),
});

export function registerGetRun(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'get_run',
    {
      title: 'Get a run',
      description:
        'Returns one run from the trace store with all its spans: status, timings, error, warnings, output counts, and per ' +
        'node invocation the status, duration, items in/out, input/output previews and attributes (confidence, queue ' +
        'wait, model). Use it after run_pipeline to see what happened, or to find which node failed. Returns ' +
        '{run, spans}; an unknown runId is isError with code RUN_NOT_FOUND.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('get_run', deps.logger, (args) => {
      const run = deps.traceStore.getRun(args.runId);
      if (!run) {
        return toolFailure({
          code: 'RUN_NOT_FOUND',
          message: `No run with id "${args.runId}" in the trace store ${deps.traceStore.location}.`,
          hint: 'Use the runId returned by run_pipeline, or list recent runs with query_traces and no arguments.',
          path: '/runId',
        });
      }
      const spans = deps.traceStore.querySpans({ runId: args.runId, limit: MAX_QUERY_LIMIT });
      return toolSuccess({ run, spans });
    }),
  );
}
