import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { currentRun, toJsonSafe, type RunResult } from '../../engine/index.js';
import { PipelaneError, type RunInput } from '../../node-kit/index.js';
import { placeholderNames } from '../../pipeline/index.js';
import { checkFile, checkText } from '../limits.js';
import { applyOutputBudget, truncatedOutputSchema } from '../output-budget.js';
import { pipelineArgumentShape, readPipelineArgument } from '../pipeline-argument.js';
import { traceErrorSchema } from '../result-schemas.js';
import { runProgress, type ProgressExtra } from '../run-progress.js';
import type { McpServices } from '../services.js';
import { environmentSecrets, inBand, redactValue, toolFailure, toolOutputSchema, toolSuccess } from '../tool-result.js';
import { confinePath } from '../workspace.js';

const inputSchema = z.object({
  ...pipelineArgumentShape,
  input: z.string().min(1).optional().describe('Input file for the source node: a path relative to the workspace root (or absolute inside it)'),
  text: z.string().optional().describe('Literal text input for the source node, instead of a file'),
  timeoutMs: z.number().int().positive().max(3_600_000).optional().describe('Whole-run time limit in milliseconds'),
});

/** The result of a run, for run_pipeline and every exposed pipeline tool. */
export const runOutputSchema = toolOutputSchema({
  runId: z.string().describe('Id for get_run and query_traces'),
  pipeline: z.string(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  outputs: z
    .record(z.string(), z.array(z.unknown()))
    .describe('Pipeline output name ("as") -> items; bytes appear as {"$bytes": length}; a cut output holds its first items only (see truncated)'),
  truncated: z
    .array(truncatedOutputSchema)
    .optional()
    .describe('Outputs cut to a preview because the result exceeded the output budget; resources/read each uri (pages: ?page=N) for all items'),
  warnings: z.array(z.string()),
  error: traceErrorSchema.optional().describe('Why the run failed or was cancelled'),
  durationMs: z.number(),
  traceLocation: z.string().optional().describe('Trace store file holding this run'),
});

export const RUN_RESULT_SUMMARY =
  'Returns {runId, pipeline, status, outputs: {<as>: item[]}, warnings, durationMs, traceLocation}. When the result would exceed ' +
  'the output budget (default 20,000 characters), large outputs hold their first items, cut, `truncated` lists them, and a ' +
  'resource_link per output points to pipelane://runs/{runId}/outputs/{name}, which resources/read serves in pages (?page=N). ' +
  'A failed or cancelled run is isError with {code, message, hint, path?} plus runId and status. Sends notifications/progress ' +
  '(at least every few seconds) when the request has a progressToken; cancelling the request aborts the run at once.';

export function registerRunPipeline(server: McpServer, deps: McpServices): void {
  server.registerTool(
    'run_pipeline',
    {
      title: 'Run a pipeline',
      description:
        'Runs a pipeline on one input and returns its outputs. Give exactly one of `pipeline` (the document), `path` ' +
        '(a *.pipe.json in the workspace) or `name` (a saved pipeline, see list_pipelines), plus `input` (a file path inside the ' +
        'workspace root) or `text` (literal text). The pipeline is validated first; an invalid one is isError PIPELINE_INVALID ' +
        'with every problem (validate_pipeline shows the same problems with fixes). ' +
        RUN_RESULT_SUMMARY +
        ' Inspect a run afterwards with get_run or query_traces.',
      inputSchema,
      outputSchema: runOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    inBand('run_pipeline', deps.logger, async (args, extra) => {
      const document = await readPipelineArgument(args, deps);
      if (args.input !== undefined && args.text !== undefined) {
        throw new PipelaneError('ARGUMENTS_INVALID', 'Both `input` and `text` were given; a run takes one input.', {
          hint: 'Pass `input` (a file path inside the workspace) or `text`, not both; start two runs for two inputs.',
        });
      }
      const input =
        args.input !== undefined
          ? await fileInput(deps, args.input, 'input')
          : args.text !== undefined
            ? textInput(deps, args.text, 'text')
            : undefined;
      if (!input) {
        throw new PipelaneError('INPUT_REQUIRED', 'No input given for the run.', {
          hint: 'Pass `input` (a file path inside the workspace) or `text` (literal text for the source node).',
        });
      }
      return executeRun(deps, { document, ...input, ...(args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {}) }, extra);
    }),
  );
}

export interface RunCall {
  document: unknown;
  input: RunInput;
  /** How the input is shown in the run record. */
  inputSummary: string;
  timeoutMs?: number;
}

/** A file argument: confined to the workspace (no `..`, no symlink out) and held to the file size limit. */
export async function fileInput(deps: McpServices, userPath: string, argument: string): Promise<Pick<RunCall, 'input' | 'inputSummary'>> {
  const path = await confinePath(deps.workspaceRoot, userPath, { argument });
  await checkFile(path, deps.limits, 'input', `/${argument}`);
  return { input: { path, name: basename(path) }, inputSummary: userPath };
}

export function textInput(deps: McpServices, text: string, argument: string): Pick<RunCall, 'input' | 'inputSummary'> {
  checkText(text, deps.limits, `/${argument}`);
  return { input: { text }, inputSummary: `text: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}` };
}

/**
 * Runs a pipeline for a tool call: progress notifications while it runs, the request's abort signal
 * as the run's cancel, every secret the run knew masked in the result, and the output budget applied.
 */
export async function executeRun(deps: McpServices, call: RunCall, extra: ProgressExtra & { signal: AbortSignal }): Promise<CallToolResult> {
  const runId = randomUUID();
  const progress = runProgress(extra, runId);
  // The run's own secrets (resolved ${ENV} values, API keys providers used) live on its context,
  // reachable from the progress callback, which the engine calls inside the run.
  let runSecrets: readonly string[] = [];
  let result: RunResult;
  try {
    result = await deps.engine.run({
      pipeline: call.document,
      inputs: [call.input],
      runId,
      signal: extra.signal,
      ...(call.timeoutMs !== undefined ? { timeoutMs: call.timeoutMs } : {}),
      onProgress: (event) => {
        runSecrets = currentRun()?.secrets ?? runSecrets;
        progress.report(event);
      },
      inputSummary: call.inputSummary,
    });
  } finally {
    await progress.finish();
  }
  const secrets = [...placeholderValues(call.document), ...runSecrets, ...environmentSecrets()];
  const structured = redactValue(
    {
      runId: result.runId,
      pipeline: result.pipeline,
      status: result.status,
      outputs: toJsonSafe(result.outputs) as Record<string, unknown[]>,
      warnings: result.warnings,
      ...(result.error ? { error: result.error } : {}),
      durationMs: result.durationMs,
      ...(result.traceLocation ? { traceLocation: result.traceLocation } : {}),
    },
    secrets,
  );
  const budgeted = await applyOutputBudget(structured, { budget: deps.limits.outputBudget, store: deps.outputs });
  const answer = result.status === 'succeeded' ? toolSuccess(budgeted.structured) : failedRun(budgeted.structured, result);
  return { ...answer, content: [...answer.content, ...budgeted.links] };
}

function failedRun(structured: Record<string, unknown>, result: RunResult): CallToolResult {
  // The masked copy: the engine masks what it knew, the result adds the environment's credentials.
  const error = (structured.error as RunResult['error']) ?? { code: 'RUN_FAILED', message: `The run ended with status ${result.status}.` };
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

/** Values of the `${ENV}` placeholders the pipeline uses: never echoed back in a result. */
function placeholderValues(document: unknown): string[] {
  return placeholderNames(document)
    .map((name) => process.env[name])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}
