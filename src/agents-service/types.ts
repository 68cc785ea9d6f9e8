import type { Logger } from 'pino';
import type { Engine } from '../engine/index.js';
import type { Registry } from '../node-kit/index.js';
import type { TraceStore } from '../trace/index.js';

/** What the agent services need; the app (CLI) and the MCP deps both have this shape. */
export interface AgentServiceDeps {
  registry: Registry;
  engine: Engine;
  traceStore: TraceStore;
  /** Saved pipelines (`pipe:<name>` tools) are `<workspaceRoot>/pipelines/<name>.pipe.json`. */
  workspaceRoot: string;
  logger: Logger;
  /** Keep previews (and LLM request/response payloads) on the judge and replay spans (default: PIPELANE_TRACE_PREVIEWS, on unless off). */
  tracePreviews?: boolean;
  /** Where PIPELANE_JUDGE_MODEL and API keys are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ServiceCallOptions {
  /** Cancels the work: runs end `cancelled`, no further model or tool call starts. */
  signal?: AbortSignal;
  /** Id for the run (run_agent only; default a new UUID), so a caller can follow it while it goes. */
  runId?: string;
  /** Called as parts finish (a variant, the judging), `done` strictly increasing up to `total`. */
  onProgress?: (progress: { done: number; total: number; message: string }) => void;
}
