import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { MAX_QUERY_LIMIT } from '../../trace/index.js';
import { outputUri, paginate } from '../output-budget.js';
import type { McpServices } from '../services.js';
import { environmentSecrets, redactValue } from '../tool-result.js';
import { reading, resourceNotFound } from './errors.js';

const RECENT_RUNS = 50;

/**
 * pipelane://runs/{runId}: a run and its spans as JSON (what get_run returns).
 * pipelane://runs/{runId}/outputs/{name}: the full output of a run whose result was cut by the
 * output budget, in pages of whole items (`?page=N`, from 1; each page names the next).
 */
export function registerRunResources(server: McpServer, deps: McpServices): void {
  server.registerResource(
    'run',
    new ResourceTemplate('pipelane://runs/{runId}', {
      list: () => ({
        resources: deps.traceStore.queryRuns({ limit: RECENT_RUNS }).map((run) => ({
          uri: `pipelane://runs/${run.runId}`,
          name: `run ${run.runId}`,
          description: `${run.pipeline}: ${run.status}, started ${run.startedAt}`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'Run trace',
      description: `A run of the trace store with all its spans, as JSON {run, spans} (the same as get_run). resources/list shows the ${RECENT_RUNS} newest runs.`,
      mimeType: 'application/json',
    },
    (uri, variables) =>
      reading(() => {
        const runId = decodeURIComponent(String(variables.runId));
        const run = deps.traceStore.getRun(runId);
        if (!run) throw resourceNotFound(`No run "${runId}" in the trace store ${deps.traceStore.location}.`, 'query_traces with no arguments lists recent runs.');
        const spans = deps.traceStore.querySpans({ runId, limit: MAX_QUERY_LIMIT });
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(redactValue({ run, spans }, environmentSecrets()), null, 2) }] };
      }),
  );

  server.registerResource(
    'run-output',
    new ResourceTemplate('pipelane://runs/{runId}/outputs/{name}', {
      list: async () => ({
        resources: (await deps.outputs.list(RECENT_RUNS)).map((entry) => ({
          uri: outputUri(entry.runId, entry.output),
          name: `${entry.output} of run ${entry.runId}`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'Run output (paged)',
      description:
        'The full output of a run whose run_pipeline result was cut by the output budget (the result links here). Paged with a ' +
        'query parameter: ?page=N, from 1 (no parameter = page 1). Each page is compact JSON {runId, output, page, pages, totalItems, ' +
        'firstItem, items, next?}; `next` is the URI of the following page. Pages hold whole items within the budget; an item ' +
        'larger than a page is a page alone. Bytes appear as {"$bytes": length}, embeddings as {"$embedding": dimensions}.',
      mimeType: 'application/json',
    },
    (uri) =>
      reading(async () => {
        // The query is not part of the template: the SDK's matcher would require it. Read it from the URL.
        const [, runPart = '', , namePart = ''] = uri.pathname.split('/');
        const runId = decodeURIComponent(runPart);
        const name = decodeURIComponent(namePart);
        const items = await deps.outputs.read(runId, name);
        if (!items) {
          throw resourceNotFound(
            `No stored output "${name}" for run "${runId}".`,
            'Outputs are stored only when a result was cut by the output budget; use the resource_link of that result, or get_run for the run.',
          );
        }
        const pages = paginate(items, deps.limits.outputBudget);
        const raw = uri.searchParams.get('page') ?? '1';
        const page = Number(raw);
        if (!Number.isInteger(page) || page < 1 || page > pages.length) {
          throw resourceNotFound(`Output "${name}" of run ${runId} has ${pages.length} page(s); there is no page "${raw}".`, `Read ?page=1 to ?page=${pages.length}.`);
        }
        const firstItem = pages.slice(0, page - 1).reduce((count, entries) => count + entries.length, 0);
        const body = {
          runId,
          output: name,
          page,
          pages: pages.length,
          totalItems: items.length,
          firstItem,
          items: pages[page - 1],
          ...(page < pages.length ? { next: outputUri(runId, name, page + 1) } : {}),
        };
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body) }] };
      }),
  );
}
