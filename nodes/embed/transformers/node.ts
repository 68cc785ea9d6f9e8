import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import type { MicroBatcher, ModelReference, PoolReference } from '../../../src/models/index.js';
import { BatchUsage, checkDimensions, dimensionMismatch, embedDocuments, embedQuestion, embeddingAttributes, type EmbedSummary, type EmbedTexts } from '../shared/embed-items.js';
import { embedThroughHub, locateModel, modelName, openEmbeddingBatcher, openEmbeddingModel, type EmbeddingModel } from './local-model.js';

const modelKey = 'embed.transformers.model';
const batcherKey = 'embed.transformers.batcher';
const dimKey = 'embed.transformers.dim';

const config = z
  .object({
    modelPath: z.string().min(1).optional().describe('Folder of a transformers.js feature-extraction model (config.json, tokenizer.json, onnx/model.onnx)'),
    modelsDir: z.string().min(1).optional().describe('Folder holding models by id: the model is read from <modelsDir>/<model>/'),
    model: z
      .string()
      .min(1)
      .optional()
      .describe('Model id, e.g. Xenova/all-MiniLM-L6-v2: looked up in modelsDir (downloaded from the Hugging Face hub only with allowRemote); names the model in lane attributes'),
    allowRemote: z.boolean().default(false).describe('Download the model when it is not on disk (off: nothing is fetched from the network)'),
    dtype: z.enum(['fp32', 'q8']).optional().describe('ONNX weights: fp32 (onnx/model.onnx) or q8 (onnx/model_quantized.onnx); default: the one present, fp32 first'),
    pooling: z.enum(['mean', 'cls']).default('mean').describe('Token vectors to one vector: their mean (sentence-transformers) or the [CLS] token (BGE)'),
    normalize: z.boolean().default(true).describe('Scale each vector to length 1 (cosine similarity = dot product)'),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(32)
      .describe('Most texts per model call; texts from concurrent runs share calls (micro-batching, see docs/models.md)'),
    dimensions: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('The dimension the model must give (checked against config.json hidden_size when the node opens); lets the validator check stores before a run'),
  })
  .refine((value) => value.modelPath !== undefined || value.model !== undefined, {
    path: ['modelPath'],
    message: 'set modelPath, or model with modelsDir (or allowRemote)',
  })
  .refine((value) => value.modelPath !== undefined || value.modelsDir !== undefined || value.allowRemote, {
    path: ['modelsDir'],
    message: 'model needs modelsDir to be found on disk (or allowRemote: true to download it)',
  });

export default defineNode({
  type: 'embed.transformers',
  title: 'Local embeddings (transformers.js)',
  description:
    'Embeds documents and questions with a local ONNX model through transformers.js (mean or CLS pooling, unit vectors), ' +
    'offline: the model is read from a folder and never downloaded unless allowRemote is set. One load per process, shared by runs; ' +
    'texts from concurrent runs are micro-batched into shared model calls, each run getting its own vectors back.',
  inputs: ['documents', 'question'],
  outputs: ['documents', 'question'],
  config,
  timeoutMs: 600_000,
  examples: [
    { title: 'A model folder', config: { modelPath: 'models/all-MiniLM-L6-v2', dimensions: 384 } },
    { title: 'BGE from a models folder, CLS pooling', config: { modelsDir: 'models', model: 'Xenova/bge-small-en-v1.5', pooling: 'cls', dimensions: 384 } },
  ],
  attributes: (settings) => embeddingAttributes(modelName(settings), settings.dimensions),
  async open(ctx) {
    const location = locateModel(ctx.config);
    const reference = openEmbeddingModel(location);
    let batcher: ModelReference<MicroBatcher<string, number[]>> | undefined;
    try {
      // Load now, so a broken model fails the run at start rather than at the first item.
      const dim = await reference.pool.use(async (model) => model.dim, ctx.signal);
      const stated = ctx.config.dimensions;
      if (dim > 0 && stated !== undefined && dim !== stated) throw dimensionMismatch(modelName(ctx.config), stated, dim, 'hidden_size of the loaded model');
      ctx.state[dimKey] = dim > 0 ? dim : ctx.config.dimensions;
      const { pooling, normalize, batchSize } = ctx.config;
      batcher = openEmbeddingBatcher(location, { pooling, normalize, batchSize });
    } catch (error) {
      reference.release();
      throw error;
    }
    ctx.state[modelKey] = reference;
    ctx.state[batcherKey] = batcher;
  },
  async process(item, ctx) {
    const batcher = ctx.state[batcherKey] as ModelReference<MicroBatcher<string, number[]>>;
    const name = modelName(ctx.config);
    const usage = new BatchUsage();
    const embed: EmbedTexts = async (texts) => {
      const result = await embedThroughHub(batcher.resource, texts, ctx.signal);
      usage.add(result);
      const expected = ctx.state[dimKey] as number | undefined;
      checkDimensions(result.outputs, expected ?? result.outputs[0]?.length, name, 'vectors the model returned', ctx.config.dimensions !== undefined);
      ctx.state[dimKey] ??= result.outputs[0]?.length;
      return result.outputs;
    };
    let summary: EmbedSummary;
    if (Array.isArray(item)) {
      const embedded = await embedDocuments(item, embed);
      summary = embedded.summary;
      await ctx.emit('documents', embedded.documents);
    } else {
      const embedded = await embedQuestion(item, embed);
      summary = embedded.summary;
      await ctx.emit('question', embedded.question);
    }
    ctx.setAttributes({
      'embedding.model': name,
      'embedding.dim': summary.dim ?? ctx.state[dimKey],
      'embedding.count': summary.count,
      'embedding.batches': usage.batches,
      ...usage.attributes(batcher.key, batcher.resource.workers()),
    });
  },
  close(ctx) {
    (ctx.state[batcherKey] as ModelReference<MicroBatcher<string, number[]>> | undefined)?.release();
    (ctx.state[modelKey] as PoolReference<EmbeddingModel> | undefined)?.release();
    delete ctx.state[batcherKey];
    delete ctx.state[modelKey];
  },
});
