import { z } from 'zod';

/** Provenance every item carries so an answer can cite where it came from. */
export const metaSchema = z
  .looseObject({
    source: z.string().optional().describe('Where the item came from: a file name or path, a URL, a node id'),
    page: z.number().int().min(1).optional().describe('1-based page number in the source'),
    offset: z.number().int().min(0).optional().describe('Character offset in the source text'),
  })
  .describe('Provenance and node-specific metadata');

export const bytesSchema = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'expected bytes (a Uint8Array)' })
  .describe('Raw bytes (in JSON results: {"$bytes": length})');

export const documentSchema = z.object({
  id: z.string().min(1).describe('Stable id: the same source chunk always gets the same id'),
  text: z.string(),
  metadata: metaSchema,
  embedding: z.array(z.number()).optional(),
});

export const fileItemSchema = z
  .object({
    name: z.string().describe('File name without directories'),
    mime: z.string().describe('Mime type detected from magic bytes'),
    bytes: bytesSchema.optional(),
    path: z.string().optional(),
    size: z.number().int().min(0).optional(),
    meta: metaSchema,
  })
  .refine((file) => file.bytes !== undefined || file.path !== undefined, { message: 'needs bytes or path' });

export const textItemSchema = z.object({ text: z.string(), meta: metaSchema });

export const documentsItemSchema = z.array(documentSchema);

export const tableItemSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  meta: metaSchema,
});

export const questionItemSchema = z.object({
  text: z.string().min(1),
  history: z.array(z.object({ role: z.enum(['user', 'assistant', 'system']), content: z.string() })).optional(),
  context: z.array(documentSchema).optional(),
  embedding: z.array(z.number()).optional().describe('The question embedded, for a vector store query'),
  meta: metaSchema.optional(),
});

export const usageSchema = z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) });

export const answerItemSchema = z.object({
  text: z.string(),
  citations: z.array(z.object({ id: z.string(), text: z.string().optional() })).optional(),
  usage: usageSchema.optional(),
  meta: metaSchema.optional(),
});

export const imageItemSchema = z.object({
  bytes: bytesSchema,
  mime: z.string(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  meta: metaSchema.and(z.looseObject({ timestampMs: z.number().min(0).optional() })),
});

const mediaBase = {
  bytes: bytesSchema.optional(),
  path: z.string().optional(),
  mime: z.string(),
  meta: metaSchema,
};

export const audioItemSchema = z
  .object({ ...mediaBase, sampleRate: z.number().int().positive().optional() })
  .refine((audio) => audio.bytes !== undefined || audio.path !== undefined, { message: 'needs bytes or path' });

export const videoItemSchema = z
  .object({ ...mediaBase, durationMs: z.number().min(0).optional() })
  .refine((video) => video.bytes !== undefined || video.path !== undefined, { message: 'needs bytes or path' });

export const entitySchema = z.object({
  type: z.string().describe('Entity type, e.g. EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD'),
  start: z.number().int().min(0).describe('Start offset (UTF-16 code units) in the text'),
  end: z.number().int().min(0).describe('End offset, exclusive'),
  score: z.number().min(0).max(1),
  text: z.string().optional().describe('The matched text (absent after anonymization)'),
});

export const entitiesItemSchema = z.object({
  text: z.string(),
  entities: z.array(entitySchema),
  meta: metaSchema.optional(),
});
