import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { toDocuments } from '../shared/documents.js';

const config = z
  .object({
    size: z.number().int().min(1).default(800).describe('Maximum characters per chunk (UTF-16 code units)'),
    overlap: z
      .number()
      .int()
      .min(0)
      .default(80)
      .describe('Characters neighbouring chunks share, about: the next chunk starts at a word this far back; must be smaller than size'),
  })
  .refine((value) => value.overlap < value.size, { path: ['overlap'], message: 'must be smaller than size' });

export default defineNode({
  type: 'chunk.text',
  title: 'Text chunker',
  description:
    'Splits text by paragraph, then sentence, then word, then grapheme into chunks of at most `size` characters ' +
    'with about `overlap` characters shared; each chunk keeps its offsets (start, end) into the input text.',
  inputs: ['text'],
  outputs: ['documents'],
  config,
  general: true,
  examples: [
    { title: 'Chunks for embedding', config: { size: 800, overlap: 80 } },
    { title: 'Small chunks without overlap', config: { size: 200, overlap: 0 } },
  ],
  async process(item, ctx) {
    const { text, meta } = item;
    // loaded on first use (its Intl.Segmenters are slow to build): keeps `pipelane mcp` start-up under 1 s
    const { splitRecursively } = await import('../shared/split-recursively.js');
    const spans = splitRecursively(text, ctx.config);
    if (spans.length === 0) {
      ctx.warn(`Text${meta.source ? ` from ${meta.source}` : ''} is empty or only whitespace: no chunks.`);
    }
    const documents = toDocuments(text, meta, spans);
    ctx.setAttributes({ 'chunk.count': documents.length });
    await ctx.emit('documents', documents);
  },
});
