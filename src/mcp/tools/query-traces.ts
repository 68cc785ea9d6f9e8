import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_QUERY_LIMIT, SPAN_STATUSES } from '../../trace/index.js';
import { runRecordSchema, spanRecordSchema } from '../result-schemas.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const inputSchema = z.object({
  runId: z.string().min(1).optional().describe('Spans of this run'),
  pipeline: z.string().min(1).optional().describe('Pipeline name'),
  node: z.string().min(1).optional().describe('Node id or node type, e.g. "ocr" or "ocr.tesseract"'),
  status: z.enum(SPAN_STATUSES).optional().describe('Span status, e.g. "error" to find failures'),
  slowest: z.boolean().optional().describe('Order spans by duration, longest first'),
  limit: z.number().int().min(1).max(MAX_QUERY_LIMIT).optional().describe(`Most records returned (default 100, max ${MAX_QUERY_LIMIT})`),
});

const outputSchema = toolOutputSchema({
  spans: z.array(spanRecordSchema).describe('Present when the query is about spans'),
  runs: z.array(runRecordSchema).describe('Present when the query is about runs'),
});

export function registerQueryTraces(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'query_traces',
    {
      title: 'Query traces',
      description:
        'Searches the trace store. Rule: when any of runId, node, status or slowest is given, it returns spans ' +
        '{spans: [...]} (node invocations; `pipeline` then narrows them to runs of that pipeline); when only `pipeline` ' +
        'or nothing is given, it returns runs {runs: [...]}, newest first. Examples: {runId} for every span of a run; ' +
        '{status: "error"} for recent failures; {pipeline, slowest: true, limit: 5} for the slowest steps of a pipeline; ' +
        '{} for the latest runs. Spans come in start order unless slowest. Use get_run for one run with its record.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('query_traces', deps.logger, (args) => {
      const limit = args.limit;
      if (args.runId !== undefined || args.node !== undefined || args.status !== undefined || args.slowest !== undefined) {
        const spans = deps.traceStore.querySpans({
          ...(args.runId !== undefined ? { runId: args.runId } : {}),
          ...(args.pipeline !== undefined ? { pipeline: args.pipeline } : {}),
          ...(args.node !== undefined ? { node: args.node } : {}),
          ...(args.status !== undefined ? { status: args.status } : {}),
          ...(args.slowest !== undefined ? { slowest: args.slowest } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        if (spans.length === 0 && args.runId !== undefined && !deps.traceStore.getRun(args.runId)) {
          return toolSuccess({ spans, hint: `No run "${args.runId}" in the trace store; query_traces with no arguments lists recent runs.` });
        }
        return toolSuccess({ spans });
      }
      const runs = deps.traceStore.queryRuns({
        ...(args.pipeline !== undefined ? { pipeline: args.pipeline } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      return toolSuccess({ runs });
    }),
  );
}
