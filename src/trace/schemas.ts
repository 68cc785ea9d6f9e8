import { z } from 'zod';

/**
 * The one definition of a trace record. The store, the engine and the MCP output schemas read
 * these; TypeScript types are inferred from them.
 */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export const SPAN_STATUSES = ['ok', 'error', 'cancelled', 'skipped'] as const;
export const SPAN_KINDS = ['node', 'llm', 'tool', 'agent-step'] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];
export type SpanStatus = (typeof SPAN_STATUSES)[number];
export type SpanKind = (typeof SPAN_KINDS)[number];

export const traceErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  path: z.string().optional().describe('JSON Pointer into the pipeline document'),
});

export const runRecordSchema = z
  .object({
    runId: z.string(),
    pipeline: z.string(),
    status: z.enum(RUN_STATUSES),
    startedAt: z.string().describe('ISO timestamp'),
    endedAt: z.string().optional().describe('ISO timestamp'),
    durationMs: z.number().optional(),
    input: z.string().optional().describe('Short summary of the run input (file name, text preview)'),
    error: traceErrorSchema.optional(),
    warnings: z.array(z.string()).optional(),
    outputs: z.record(z.string(), z.number()).optional().describe('Output name -> item count'),
  })
  .describe('One pipeline run');

export const spanRecordSchema = z
  .object({
    spanId: z.string(),
    runId: z.string(),
    parentSpanId: z.string().optional(),
    nodeId: z.string(),
    nodeType: z.string(),
    kind: z.enum(SPAN_KINDS),
    status: z.enum(SPAN_STATUSES),
    startedAt: z.string(),
    endedAt: z.string(),
    durationMs: z.number(),
    error: traceErrorSchema.optional(),
    inputPreview: z.string().optional(),
    outputPreview: z.string().optional(),
    itemsIn: z.number(),
    itemsOut: z.number(),
    attributes: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Free-form measurements, e.g. {"ocr.confidence": 91, "model.queueWaitMs": 3}'),
  })
  .describe('One node invocation (or LLM call, tool call, agent step) of a run');

export type TraceError = z.output<typeof traceErrorSchema>;
export type RunRecord = z.output<typeof runRecordSchema>;
export type SpanRecord = z.output<typeof spanRecordSchema>;
