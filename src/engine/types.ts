import type { Logger } from 'pino';
import type { Registry, RunInput } from '../node-kit/index.js';
import type { PipelineLibrary } from '../pipeline/index.js';
import type { RunContext } from './run-context.js';
import type { RunStatus, SpanRecord, TraceError, TraceStore } from '../trace/index.js';

export interface EngineOptions {
  registry: Registry;
  /** Where runs and spans are stored; without one they are kept in the result only. */
  traceStore?: TraceStore;
  logger?: Logger;
  /** Items buffered between two nodes before the producer waits (default 16). */
  queueSize?: number;
  /**
   * Keep input/output previews on spans (default true). Previews show what a node saw, which may be
   * personal data before redaction; turn them off where traces must not hold it.
   */
  tracePreviews?: boolean;
  /** Per-item limit for nodes that set none (default 120 s). */
  defaultTimeoutMs?: number;
  /**
   * Folder that paths given by models (tool arguments) are confined to, and whose `pipelines/`
   * holds the saved pipelines `pipe:<name>` tools run (default: the current folder, no library).
   */
  workspaceRoot?: string;
  /** Saved pipelines for `pipe:<name>` tools (default: `<workspaceRoot>/pipelines` when workspaceRoot is set). */
  pipelines?: PipelineLibrary;
}

export interface ProgressEvent {
  runId: string;
  nodeId: string;
  kind: 'item-done' | 'item-failed' | 'node-done';
  /** Items this node has finished so far. */
  itemsDone: number;
  /** Items finished by all nodes of the run so far (monotonic). */
  totalDone: number;
  message?: string;
}

export interface RunRequest {
  /** A pipeline document; it is validated before anything runs. */
  pipeline: unknown;
  inputs: RunInput[];
  signal?: AbortSignal;
  /** Whole-run deadline. */
  timeoutMs?: number;
  runId?: string;
  /** Environment for `${VAR}` placeholders (default process.env). */
  env?: NodeJS.ProcessEnv;
  onProgress?: (event: ProgressEvent) => void;
  /** Short description of the input for the run record. */
  inputSummary?: string;
  /** Set for a run started by a `pipe:<name>` tool: the calling run, whose secrets are shared both ways. */
  parentRun?: RunContext;
  /** Saved pipelines the run was called through (pipe tools), outermost first; stops a pipeline calling itself. */
  pipeChain?: readonly string[];
}

export interface RunResult {
  runId: string;
  pipeline: string;
  status: Exclude<RunStatus, 'running'>;
  outputs: Record<string, unknown[]>;
  warnings: string[];
  error?: TraceError;
  durationMs: number;
  spans: SpanRecord[];
  /** Trace store location, when one is configured. */
  traceLocation?: string;
}

export interface Engine {
  run(request: RunRequest): Promise<RunResult>;
}
