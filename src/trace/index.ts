export type {
  OpenTraceStoreOptions,
  RunQuery,
  RunRecord,
  RunStatus,
  SpanKind,
  SpanQuery,
  SpanRecord,
  SpanStatus,
  TraceError,
  TraceStore,
  TraceStoreErrorCode,
} from './types.js';
export { RUN_STATUSES, SPAN_KINDS, SPAN_STATUSES, TraceStoreError, isTraceStoreError } from './types.js';
export { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT, TRACE_SCHEMA_VERSION, openTraceStore } from './sqlite-store.js';
export { ARRAY_HEAD_ITEMS, ARRAY_PREVIEW_LIMIT, OBJECT_KEY_LIMIT, previewOf, redactSecrets } from './preview.js';
export { isoTimestamp, newSpanId } from './span-fields.js';
export type { PreviewOptions } from './preview.js';
export { traceErrorSchema, runRecordSchema, spanRecordSchema } from './schemas.js';
