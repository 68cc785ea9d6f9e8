import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { toDocuments } from '../shared/documents.js';
import { encodingNames, loadEncoding, type TokenEncoding } from './token-encoding.js';

const config = z
  .object({
    encoding: z
      .enum(encodingNames)
      .default('cl100k_base')
      .describe('Tokenizer: cl100k_base (GPT-4, GPT-3.5, text-embedding-3) or o200k_base (GPT-4o, o1, o3)'),
    size: z.number().int().min(1).default(512).describe('Maximum tokens per chunk'),
    overlap: z
      .number()
      .int()
      .min(0)
      .default(64)
      .describe('Tokens the next chunk repeats from the end of the previous one, at most; must be smaller than size'),
  })
  .refine((value) => value.overlap < value.size, { path: ['overlap'], message: 'must be smaller than size' });

export default defineNode({
  type: 'chunk.tokens',
  title: 'Token chunker',
  description:
    'Splits text into chunks of at most `size` tokens of a real tokenizer (cl100k_base or o200k_base), ' +
    'neighbours sharing up to `overlap` tokens; cuts fall on token boundaries that never split a grapheme ' +
    'cluster, each chunk keeps its offsets (start, end) and its token count (metadata.tokens).',
  inputs: ['text'],
  outputs: ['documents'],
  config,
  examples: [
    { title: 'Chunks that fit an embedding model', config: { encoding: 'cl100k_base', size: 512, overlap: 64 } },
    { title: 'GPT-4o context pieces without overlap', config: { encoding: 'o200k_base', size: 2000, overlap: 0 } },
  ],
  async open(ctx) {
    ctx.state.encoding = await loadEncoding(ctx.config.encoding);
  },
  async process(item, ctx) {
    const { text, meta } = item;
    const encoding = ctx.state.encoding as TokenEncoding;
    // loaded on first use (its Intl.Segmenters are slow to build): keeps `pipelane mcp` start-up under 1 s
    const { splitTokens } = await import('./split-tokens.js');
    const chunks = splitTokens(text, encoding, ctx.config);
    if (chunks.length === 0) {
      ctx.warn(`Text${meta.source ? ` from ${meta.source}` : ''} is empty or only whitespace: no chunks.`);
    }
    const documents = toDocuments(
      text,
      meta,
      chunks.map((chunk) => ({ start: chunk.start, end: chunk.end, metadata: { tokens: chunk.tokens, encoding: encoding.name } })),
    );
    ctx.setAttributes({ 'chunk.count': documents.length, 'chunk.tokens': chunks.reduce((sum, chunk) => sum + chunk.tokens, 0) });
    await ctx.emit('documents', documents);
  },
});
