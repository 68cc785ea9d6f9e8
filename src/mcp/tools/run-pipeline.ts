import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { toJsonSafe, type ProgressEvent, type RunResult } from '../../engine/index.js';
import { PipelaneError, type RunInput } from '../../node-kit/index.js';
import { placeholderNames } from '../../pipeline/index.js';
import { redactSecrets } from '../../trace/index.js';
import { pipelineArgumentShape, readPipelineArgument } from '../pipeline-argument.js';
import { traceErrorSchema } from '../result-schemas.js';
import { inBand, toolFailure, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';
import { confinePath } from '../workspace.js';

const inputSchema = z.object({
  ...pipelineArgumentShape,
  input: z.string().min(1).optional().describe('Input file for the source node: a path relative to the workspace root (or absolute inside it)'),
  text: z.string().optional().describe('Literal text input for the source node, instead of a file'),
  timeoutMs: z.number().int().positive().max(3_600_000).optional().describe('Whole-run time limit in milliseconds'),
});

const outputSchema = toolOutputSchema({
  runId: z.string().describe('Id for get_run and query_traces'),
  pipeline: z.string(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  outputs: z.record(z.string(), z.array(z.unknown())).describe('Pipeline output name ("as") -> items; bytes appear as {"$bytes": length}'),
  warnings: z.array(z.string()),
  error: traceErrorSchema.optional().describe('Why the run failed or was cancelled'),
  durationMs: z.number(),
  traceLocation: z.string().optional().describe('Trace store file holding this run'),
});

type ProgressExtra = Pick<RequestHandlerExtra<ServerRequest, ServerNotification>, '_meta' | 'sendNotification'>;

export function registerRunPipeline(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'run_pipeline',
    {
      title: 'Run a pipeline',
      description:
        'Runs a pipeline on one input and returns its outputs. Give exactly one of `pipeline` (the document), `path` ' +
        '(a *.pipe.json in the workspace) or `name` (pipelines/<name>.pipe.json), plus `input` (a file path inside the ' +
        'workspace root) or `text` (literal text). The pipeline is validated first; validate_pipeline shows the same problems with ' +
        'fixes. Returns {runId, pipeline, status, outputs: {<as>: item[]}, warnings, durationMs, traceLocation}. A failed, ' +
        'cancelled or invalid run is isError with {code, message, hint, path?, problems?} (plus runId and status when it ' +
        'ran). Sends notifications/progress when the request has a progressToken; cancelling the request aborts the run. ' +
        'Inspect a run afterwards with get_run or query_traces.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    inBand('run_pipeline', deps.logger, async (args, extra) => {
      const document = await readPipelineArgument(args, deps.workspaceRoot);
      if (args.input !== undefined && args.text !== undefined) {
        throw new PipelaneError('ARGUMENTS_INVALID', 'Both `input` and `text` were given; a run takes one input.', {
          hint: 'Pass `input` (a file path inside the workspace) or `text`, not both; start two runs for two inputs.',
        });
      }
      const inputs: RunInput[] = [];
      let inputSummary = '';
      if (args.input !== undefined) {
        const path = await confinePath(deps.workspaceRoot, args.input, { argument: 'input' });
        inputs.push({ path, name: basename(path) });
        inputSummary = args.input;
      }
      if (args.text !== undefined) {
        inputs.push({ text: args.text });
        inputSummary ||= `text: ${args.text.length > 60 ? `${args.text.slice(0, 60)}…` : args.text}`;
      }
      if (inputs.length === 0) {
        throw new PipelaneError('INPUT_REQUIRED', 'No input given for the run.', {
          hint: 'Pass `input` (a file path inside the workspace) or `text` (literal text for the source node).',
        });
      }

      const runId = randomUUID();
      const progress = progressReporter(extra, runId);
      const secrets = secretValues(document);
      let result: RunResult;
      try {
        result = await deps.engine.run({
          pipeline: document,
          inputs,
          runId,
          signal: extra.signal,
          ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}),
          onProgress: progress.report,
          inputSummary,
        });
      } finally {
        await progress.flush();
      }
      const structured = redact(
        {
          runId: result.runId,
          pipeline: result.pipeline,
          status: result.status,
          outputs: toJsonSafe(result.outputs),
          warnings: result.warnings,
          ...(result.error ? { error: result.error } : {}),
          durationMs: result.durationMs,
          ...(result.traceLocation ? { traceLocation: result.traceLocation } : {}),
        },
        secrets,
      );
      if (result.status === 'succeeded') return toolSuccess(structured);
      return failedRun(structured, result);
    }),
  );
}

function failedRun(structured: Record<string, unknown>, result: RunResult): CallToolResult {
  const error = result.error ?? { code: 'RUN_FAILED', message: `The run ended with status ${result.status}.` };
  return toolFailure(
    {
      code: error.code,
      message: error.message,
      hint: error.hint ?? `Look at the spans with get_run {"runId": "${result.runId}"}.`,
      ...(error.path ? { path: error.path } : {}),
    },
    structured,
  );
}

/**
 * Progress goes out in order and strictly increasing: 0 when the run starts (its message carries the
 * run id, so a client can look the run up while it is going), then the engine's total of finished items.
 */
function progressReporter(extra: ProgressExtra, runId: string) {
  const token = extra._meta?.progressToken;
  let last = -1;
  let queue: Promise<void> = Promise.resolve();
  const send = (progress: number, message: string) => {
    if (token === undefined || progress <= last) return;
    last = progress;
    queue = queue
      .then(() => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } }))
      .catch(() => undefined);
  };
  send(0, `run ${runId} started`);
  return {
    report: (event: ProgressEvent) => send(event.totalDone, `${event.nodeId}: ${event.itemsDone} item(s) ${event.kind === 'item-failed' ? 'failed' : 'done'}`),
    flush: () => queue,
  };
}

/** Values of the `${ENV}` placeholders the pipeline uses: never echoed back in a result. */
function secretValues(document: unknown): string[] {
  return placeholderNames(document)
    .map((name) => process.env[name])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function redact<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value;
  const visit = (entry: unknown): unknown => {
    if (typeof entry === 'string') return redactSecrets(entry, secrets);
    if (Array.isArray(entry)) return entry.map(visit);
    if (entry && typeof entry === 'object') return Object.fromEntries(Object.entries(entry).map(([key, item]) => [key, visit(item)]));
    return entry;
  };
  return visit(value) as T;
}

