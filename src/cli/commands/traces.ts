import type { Command } from 'commander';
import { PipelaneError } from '../../node-kit/index.js';
import { openTraceStore, SPAN_STATUSES, type RunRecord, type SpanRecord, type SpanStatus } from '../../trace/index.js';
import { resolveTraceDir, resolveWorkspaceRoot } from '../app.js';
import { printJson, reportError } from '../output.js';

interface TracesOptions {
  run?: string;
  pipeline?: string;
  node?: string;
  status?: string;
  slowest?: boolean;
  limit?: string;
  json?: boolean;
}

export function registerTracesCommand(program: Command): void {
  program
    .command('traces')
    .description('Show recent runs, or the spans of one run (--run), a node, a status or the slowest spans')
    .option('--run <id>', 'spans of this run')
    .option('--pipeline <name>', 'only this pipeline')
    .option('--node <id-or-type>', 'spans of this node id or node type')
    .option('--status <status>', `spans with this status (${SPAN_STATUSES.join(', ')})`)
    .option('--slowest', 'slowest spans first')
    .option('--limit <n>', 'at most this many rows', '20')
    .option('--json', 'print JSON')
    .action(async (options: TracesOptions) => {
      try {
        if (options.status !== undefined && !SPAN_STATUSES.includes(options.status as SpanStatus)) {
          throw new PipelaneError('USAGE', `Unknown status "${options.status}".`, { hint: `Use one of: ${SPAN_STATUSES.join(', ')}.` });
        }
        const store = openTraceStore({ dir: resolveTraceDir(resolveWorkspaceRoot()) });
        try {
          const limit = Number(options.limit ?? 20);
          if (!Number.isInteger(limit) || limit < 1) {
            throw new PipelaneError('USAGE', `--limit must be a whole number of at least 1, got "${options.limit}".`, { hint: 'Example: --limit 50' });
          }
          const wantsSpans = options.run || options.node || options.status || options.slowest;
          if (!wantsSpans) {
            const runs = store.queryRuns({ ...(options.pipeline ? { pipeline: options.pipeline } : {}), limit });
            if (options.json) printJson({ runs });
            else for (const run of runs) process.stdout.write(`${run.startedAt}  ${run.runId}  ${run.pipeline.padEnd(28)} ${run.status.padEnd(9)} ${run.durationMs ?? '-'} ms  ${run.input ?? ''}\n`);
            return;
          }
          if (options.run && !store.getRun(options.run)) {
            throw new PipelaneError('RUN_NOT_FOUND', `No run with id ${options.run} in ${store.location}.`, { hint: 'List recent runs with `pipelane traces`.' });
          }
          const spans = store.querySpans({
            ...(options.run ? { runId: options.run } : {}),
            ...(options.pipeline ? { pipeline: options.pipeline } : {}),
            ...(options.node ? { node: options.node } : {}),
            ...(options.status ? { status: options.status as SpanStatus } : {}),
            ...(options.slowest ? { slowest: true } : {}),
            limit,
          });
          const run = options.run ? store.getRun(options.run) : undefined;
          if (options.json) printJson(run ? { run, spans } : { spans });
          else process.stdout.write([...(run ? [formatRun(run)] : []), ...spans.map(formatSpan)].join('\n') + '\n');
        } finally {
          store.close();
        }
      } catch (error) {
        process.exitCode = reportError(error, options.json);
      }
    });
}

function formatRun(run: RunRecord): string {
  const error = run.error ? `\n  ${run.error.code}: ${run.error.message}${run.error.hint ? `\n  hint: ${run.error.hint}` : ''}` : '';
  return `run ${run.runId}  ${run.pipeline}  ${run.status}  ${run.durationMs ?? '-'} ms  input: ${run.input ?? '-'}${error}\n`;
}

function formatSpan(span: SpanRecord): string {
  const head = `${span.startedAt}  ${span.nodeId.padEnd(10)} ${span.nodeType.padEnd(16)} ${span.status.padEnd(9)} ${String(span.durationMs).padStart(6)} ms  in ${span.itemsIn} out ${span.itemsOut}`;
  const error = span.error ? `\n    ${span.error.code}: ${span.error.message}` : '';
  const output = span.outputPreview ? `\n    → ${span.outputPreview.slice(0, 160).replace(/\n/g, ' ')}` : '';
  return head + error + output;
}
