export { createEngine } from './engine.js';
export { currentRun, withRunContext, type RunContext } from './run-context.js';
export { toJsonSafe } from './json-safe.js';
export type { Engine, EngineOptions, ProgressEvent, RunRequest, RunResult } from './types.js';
