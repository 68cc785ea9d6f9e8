import { z } from 'zod';
import { defineNode, type LaneAttributeMap } from '../../../src/node-kit/index.js';
import { HASH_MODEL, hashEmbedding } from './hash-embedding.js';

const config = z.object({
  dimensions: z.number().int().min(8).max(8192).default(384).describe('Embedding dimension (the store must be configured for the same)'),
  ngram: z.number().int().min(0).max(8).default(3).describe('Character n-gram length inside words (0 = whole words only)'),
});

export default defineNode({
  type: 'embed.hash',
  title: 'Hashing embedder',
  description:
    'Embeds documents and questions by feature hashing of lower-cased words, word pairs and character n-grams into `dimensions` buckets, ' +
    'L2-normalised: deterministic, no model weights, no network, fast. A lexical baseline for retrieval; use the same config for documents and questions.',
  inputs: ['documents', 'question'],
  outputs: ['documents', 'question'],
  config,
  examples: [
    { title: '384 dimensions with 3-grams', config: {} },
    { title: 'Small vectors, whole words only', config: { dimensions: 128, ngram: 0 } },
  ],
  attributes(settings): LaneAttributeMap {
    // The n-gram length changes the vectors, so it is part of the model name.
    const embedding = { dim: settings.dimensions, model: `${HASH_MODEL}-n${settings.ngram}` };
    return { documents: { embedding }, question: { embedding } };
  },
  async process(item, ctx) {
    if (ctx.lane === 'question') {
      const question = item as Extract<typeof item, { text: string }>;
      await ctx.emit('question', { ...question, embedding: hashEmbedding(question.text, ctx.config) });
      return;
    }
    const documents = item as Extract<typeof item, unknown[]>;
    const embedded = documents.map((document) => ({ ...document, embedding: hashEmbedding(document.text, ctx.config) }));
    ctx.setAttributes({ 'embed.documents': embedded.length, 'embed.dim': ctx.config.dimensions });
    await ctx.emit('documents', embedded);
  },
});
