export { createEngine } from './engine.js';
export { currentRun, withRunContext, createRunContext, type RunContext, type RunContextOptions } from './run-context.js';
export { redactSpan } from './redact-span.js';
export { toJsonSafe } from './json-safe.js';
export { toolResultJson, TOOL_RESULT_MAX_CHARS } from './tool-result.js';
export { pipeToolName } from './pipeline-as-tool.js';
export { withSpanScope, currentSpanScope, recordChildSpan, meterCall, CallMeter, type SpanScope, type MeteredCall, type ChildSpan } from './span-scope.js';
export type { Engine, EngineOptions, ProgressEvent, RunRequest, RunResult } from './types.js';
