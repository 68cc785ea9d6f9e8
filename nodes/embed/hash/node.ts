import { z } from 'zod';
import { defineNode, type LaneAttributeMap } from '../../../src/node-kit/index.js';
import { MicroBatcher, acquireModel, modelKey, type ModelReference } from '../../../src/models/index.js';
import { BatchUsage, embedDocuments, embedQuestion, type EmbedTexts } from '../shared/embed-items.js';
import { HASH_MODEL, hashEmbedding, type HashEmbeddingOptions } from './hash-embedding.js';

const config = z.object({
  dimensions: z.number().int().min(8).max(8192).default(384).describe('Embedding dimension (the store must be configured for the same)'),
  ngram: z.number().int().min(0).max(8).default(3).describe('Character n-gram length inside words (0 = whole words only)'),
});

const batcherKey = 'embed.hash.batcher';

/**
 * The shared batcher for one hash configuration. Hashing is a cheap synchronous loop, so nothing
 * waits for company (maxWaitMs 0): calls that queue up while one runs still go together, and the
 * node reports the same model.* span attributes as the other embedders.
 */
function openHashBatcher(options: HashEmbeddingOptions): ModelReference<MicroBatcher<string, number[]>> {
  const key = modelKey({ kind: 'embed.hash', model: `${HASH_MODEL}-n${options.ngram}`, options: { dimensions: options.dimensions } });
  return acquireModel(
    key,
    () =>
      new MicroBatcher<string, number[]>({
        name: key,
        maxBatch: 256,
        maxWaitMs: 0,
        run: async (texts) => texts.map((text) => hashEmbedding(text, options)),
      }),
  );
}

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
  open(ctx) {
    ctx.state[batcherKey] = openHashBatcher({ dimensions: ctx.config.dimensions, ngram: ctx.config.ngram });
  },
  async process(item, ctx) {
    const batcher = ctx.state[batcherKey] as ModelReference<MicroBatcher<string, number[]>>;
    const usage = new BatchUsage();
    const embed: EmbedTexts = async (texts) => {
      const result = await batcher.resource.submit(texts, ctx.signal);
      usage.add(result);
      return result.outputs;
    };
    if (ctx.lane === 'question') {
      const { question } = await embedQuestion(item as Extract<typeof item, { text: string }>, embed);
      ctx.setAttributes(usage.attributes(batcher.key, batcher.resource.workers()));
      await ctx.emit('question', question);
      return;
    }
    const { documents } = await embedDocuments(item as Extract<typeof item, unknown[]>, embed);
    ctx.setAttributes({ 'embed.documents': documents.length, 'embed.dim': ctx.config.dimensions, ...usage.attributes(batcher.key, batcher.resource.workers()) });
    await ctx.emit('documents', documents);
  },
  close(ctx) {
    (ctx.state[batcherKey] as ModelReference<MicroBatcher<string, number[]>> | undefined)?.release();
    delete ctx.state[batcherKey];
  },
});
