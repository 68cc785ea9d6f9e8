import { z } from 'zod';
import { fixSchema, problemSchema as problem } from '../node-kit/index.js';
import { runRecordSchema as runRecord, spanRecordSchema as spanRecord, traceErrorSchema } from '../trace/index.js';

/**
 * What the tools return, for their MCP output schemas: the records defined once in node-kit and
 * trace, made loose so that a field added later does not break a client's validation.
 */
export const problemSchema = problem.loose();
export { fixSchema };
export const runRecordSchema = runRecord.loose();
export const spanRecordSchema = spanRecord.loose();
export { traceErrorSchema };

/** A pipeline document as a tool argument: any object; the validator reports every problem in it. */
export const pipelineArgumentSchema = z
  .record(z.string(), z.unknown())
  .describe('A pipeline document in the *.pipe.json format: {version: 1, name, nodes: [{id, type, config?, inputs?}], outputs: [{lane, from, as}]}');
