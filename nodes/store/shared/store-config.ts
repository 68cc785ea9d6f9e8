import { z } from 'zod';

export const metadataFilterSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe('Only documents whose metadata has exactly these values (equality on each key)');

/** Config fields every store.* node shares; a store adds its own with `.extend({...})`. */
export const storeConfigSchema = z.object({
  collection: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'letters, digits, _ and -, starting with a letter, at most 63 characters')
    .default('documents')
    .describe('Collection (table) the documents go to and questions are answered from'),
  dimensions: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Embedding dimension the collection holds; when set, the validator checks the embedder before the run'),
  topK: z.number().int().min(1).max(1000).default(5).describe('Nearest documents returned for a question'),
  filter: metadataFilterSchema.optional(),
  batchSize: z.number().int().min(1).max(10_000).default(256).describe('Documents written per batch'),
});

export type StoreConfig = z.output<typeof storeConfigSchema>;
