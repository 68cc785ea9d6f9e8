/** Row shapes of the trace tables and the mapping to and from trace records (JSON columns included). */
import type { RunRecord, RunStatus, SpanKind, SpanRecord, SpanStatus, TraceError } from './types.js';

export interface RunRow {
  run_id: string;
  pipeline: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  input: string | null;
  error_json: string | null;
  warnings_json: string | null;
  outputs_json: string | null;
}

export interface SpanRow {
  span_id: string;
  run_id: string;
  parent_span_id: string | null;
  node_id: string;
  node_type: string;
  kind: string;
  status: string;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  error_json: string | null;
  input_preview: string | null;
  output_preview: string | null;
  items_in: number;
  items_out: number;
  attributes_json: string | null;
}

export const RUN_COLUMNS =
  'run_id, pipeline, status, started_at, ended_at, duration_ms, input, error_json, warnings_json, outputs_json';
export const SPAN_COLUMNS =
  'span_id, run_id, parent_span_id, node_id, node_type, kind, status, started_at, ended_at, duration_ms, ' +
  'error_json, input_preview, output_preview, items_in, items_out, attributes_json';

function toJson(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value, (_key, entry: unknown) => (typeof entry === 'bigint' ? entry.toString() : entry));
}

function fromJson<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

export function runToRow(run: RunRecord): RunRow {
  return {
    run_id: run.runId,
    pipeline: run.pipeline,
    status: run.status,
    started_at: run.startedAt,
    ended_at: run.endedAt ?? null,
    duration_ms: run.durationMs ?? null,
    input: run.input ?? null,
    error_json: toJson(run.error),
    warnings_json: toJson(run.warnings),
    outputs_json: toJson(run.outputs),
  };
}

export function runFromRow(row: RunRow): RunRecord {
  const run: RunRecord = {
    runId: row.run_id,
    pipeline: row.pipeline,
    status: row.status as RunStatus,
    startedAt: row.started_at,
  };
  if (row.ended_at !== null) run.endedAt = row.ended_at;
  if (row.duration_ms !== null) run.durationMs = row.duration_ms;
  if (row.input !== null) run.input = row.input;
  const error = fromJson<TraceError>(row.error_json);
  if (error !== undefined) run.error = error;
  const warnings = fromJson<string[]>(row.warnings_json);
  if (warnings !== undefined) run.warnings = warnings;
  const outputs = fromJson<Record<string, number>>(row.outputs_json);
  if (outputs !== undefined) run.outputs = outputs;
  return run;
}

export function spanToRow(span: SpanRecord): SpanRow {
  return {
    span_id: span.spanId,
    run_id: span.runId,
    parent_span_id: span.parentSpanId ?? null,
    node_id: span.nodeId,
    node_type: span.nodeType,
    kind: span.kind,
    status: span.status,
    started_at: span.startedAt,
    ended_at: span.endedAt,
    duration_ms: span.durationMs,
    error_json: toJson(span.error),
    input_preview: span.inputPreview ?? null,
    output_preview: span.outputPreview ?? null,
    items_in: span.itemsIn,
    items_out: span.itemsOut,
    attributes_json: toJson(span.attributes),
  };
}

export function spanFromRow(row: SpanRow): SpanRecord {
  const span: SpanRecord = {
    spanId: row.span_id,
    runId: row.run_id,
    nodeId: row.node_id,
    nodeType: row.node_type,
    kind: row.kind as SpanKind,
    status: row.status as SpanStatus,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    itemsIn: row.items_in,
    itemsOut: row.items_out,
  };
  if (row.parent_span_id !== null) span.parentSpanId = row.parent_span_id;
  const error = fromJson<TraceError>(row.error_json);
  if (error !== undefined) span.error = error;
  if (row.input_preview !== null) span.inputPreview = row.input_preview;
  if (row.output_preview !== null) span.outputPreview = row.output_preview;
  const attributes = fromJson<Record<string, unknown>>(row.attributes_json);
  if (attributes !== undefined) span.attributes = attributes;
  return span;
}
