import { z } from 'zod';
import { laneNames } from '../lanes/index.js';

/** The one schema of a `*.pipe.json` file. Docs, MCP tool schemas and the validator read it. */
const idSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must start with a letter and use letters, digits, _ or - (max 64)');

export const laneSchema = z.enum(laneNames).describe('A lane name: ' + laneNames.join(', '));

export const edgeSchema = z
  .strictObject({
    lane: laneSchema,
    from: z.string().min(1).describe('Id of the node that produces the lane'),
  })
  .describe('A data edge, declared on the consumer');

export const pipelineNodeSchema = z
  .strictObject({
    id: idSchema.describe('Unique id of this node in the pipeline'),
    type: z.string().min(1).describe('Node type, e.g. ocr.tesseract (see list_nodes)'),
    config: z.record(z.string(), z.unknown()).optional().describe('Node configuration; ${ENV} placeholders resolve at run time'),
    inputs: z.array(edgeSchema).optional().describe('Data edges into this node (fan-in: list several)'),
    uses: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]))
      .optional()
      .describe('Control bindings, e.g. {"llm": "gpt", "tools": ["search"]}'),
    onError: z.enum(['fail', 'skip', 'retry']).optional().describe('What a failing item does: fail the run (default), skip it, or retry'),
    retries: z.number().int().min(0).max(10).optional().describe('Attempts after the first when onError is retry (default 2)'),
    timeoutMs: z.number().int().positive().optional().describe('Per-item time limit, overriding the node default'),
    concurrency: z.number().int().min(1).max(64).optional().describe('Items processed at once in this node'),
  })
  .describe('One node instance');

export const pipelineOutputSchema = z.strictObject({
  lane: laneSchema,
  from: z.string().min(1).describe('Id of the node whose lane is collected'),
  as: idSchema.describe('Name of the output in the run result'),
});

export const pipelineSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('File format version'),
    name: idSchema.describe('Pipeline name'),
    description: z.string().optional(),
    expose: z.boolean().optional().describe('Expose this saved pipeline as its own MCP tool'),
    nodes: z.array(pipelineNodeSchema).min(1).describe('Node instances; order does not matter'),
    outputs: z.array(pipelineOutputSchema).describe('What the run returns'),
  })
  .describe('A Pipelane pipeline (*.pipe.json)');

export type Pipeline = z.output<typeof pipelineSchema>;
export type PipelineNode = z.output<typeof pipelineNodeSchema>;
export type PipelineEdge = z.output<typeof edgeSchema>;
export type PipelineOutput = z.output<typeof pipelineOutputSchema>;

export function pipelineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(pipelineSchema, { io: 'input' }) as Record<string, unknown>;
}
