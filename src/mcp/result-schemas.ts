import { z } from 'zod';
import { RUN_STATUSES, SPAN_KINDS, SPAN_STATUSES, type RunStatus, type SpanKind, type SpanStatus } from '../trace/index.js';

/**
 * Zod schemas of what the tools return, used for their MCP output schemas. Records are loose
 * objects so that a field added to a trace record does not break a client's validation.
 */

export const fixSchema = z.object({
  summary: z.string().describe('What the patch does'),
  patch: z
    .array(
      z.object({
        op: z.enum(['add', 'remove', 'replace']),
        path: z.string().describe('JSON Pointer into the pipeline document'),
        value: z.unknown().optional(),
      }),
    )
    .describe('JSON Patch (RFC 6902) to apply to the pipeline document'),
});

export const problemSchema = z.looseObject({
  code: z.string().describe('Stable UPPER_SNAKE code, e.g. UNKNOWN_NODE_TYPE'),
  severity: z.enum(['error', 'warning']),
  path: z.string().describe('JSON Pointer into the pipeline document'),
  message: z.string(),
  hint: z.string().describe('One sentence of what to do'),
  fix: fixSchema.optional().describe('A concrete patch that fixes the problem, when one exists'),
});

export const traceErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  path: z.string().optional(),
});

export const runRecordSchema = z
  .looseObject({
    runId: z.string(),
    pipeline: z.string(),
    status: z.enum(RUN_STATUSES as [RunStatus, ...RunStatus[]]),
    startedAt: z.string().describe('ISO timestamp'),
    endedAt: z.string().optional(),
    durationMs: z.number().optional(),
    input: z.string().optional().describe('Short summary of the run input'),
    error: traceErrorSchema.optional(),
    warnings: z.array(z.string()).optional(),
    outputs: z.record(z.string(), z.number()).optional().describe('Output name -> item count'),
  })
  .describe('One pipeline run');

export const spanRecordSchema = z
  .looseObject({
    spanId: z.string(),
    runId: z.string(),
    parentSpanId: z.string().optional(),
    nodeId: z.string(),
    nodeType: z.string(),
    kind: z.enum(SPAN_KINDS as [SpanKind, ...SpanKind[]]),
    status: z.enum(SPAN_STATUSES as [SpanStatus, ...SpanStatus[]]),
    startedAt: z.string(),
    endedAt: z.string(),
    durationMs: z.number(),
    error: traceErrorSchema.optional(),
    inputPreview: z.string().optional(),
    outputPreview: z.string().optional(),
    itemsIn: z.number(),
    itemsOut: z.number(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('One node invocation (or LLM call, tool call, agent step) of a run');

/** A pipeline document as a tool argument: any object; the validator reports every problem in it. */
export const pipelineArgumentSchema = z
  .record(z.string(), z.unknown())
  .describe('A pipeline document in the *.pipe.json format: {version: 1, name, nodes: [{id, type, config?, inputs?}], outputs: [{lane, from, as}]}');
