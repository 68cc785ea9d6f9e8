import type { z } from 'zod';
import {
  defineNode,
  isAbortError,
  isPipelaneError,
  PipelaneError,
  type Document,
  type LaneAttributeMap,
  type NodeContext,
  type NodeDefinition,
  type NodeExample,
  type NodeLifecycleContext,
  type QuestionItem,
} from '../../../src/node-kit/index.js';
import type { StoreConfig } from './store-config.js';
import type { EmbeddedDocument, VectorStoreClient } from './vector-store.js';

export interface StoreNodeOptions<Schema extends z.ZodType<StoreConfig>> {
  type: string;
  title: string;
  description: string;
  /** Must include the shared fields: extend `storeConfigSchema`. */
  config: Schema;
  examples?: NodeExample[];
  /** Opens one client for the run (called in `open()`, closed in `close()`). */
  connect(config: z.output<Schema>, ctx: NodeLifecycleContext<z.output<Schema>>): Promise<VectorStoreClient>;
}

type StoreLanes = 'documents' | 'question';
type Context<Config> = NodeContext<StoreLanes, StoreLanes, Config>;

const clientKey = 'store.client';
const writtenKey = 'store.written';

/**
 * A store.* node with the semantics every vector store shares. documents in: upserted by id in
 * batches (re-ingesting does not duplicate) and passed on; question in (with an embedding): the
 * topK nearest documents become its `context` (score in metadata) and are emitted as documents.
 */
export function defineStoreNode<Schema extends z.ZodType<StoreConfig>>(
  options: StoreNodeOptions<Schema>,
): NodeDefinition<StoreLanes, StoreLanes, Schema> {
  type Config = z.output<Schema>;
  return defineNode({
    type: options.type,
    title: options.title,
    description: options.description,
    inputs: ['documents', 'question'],
    outputs: ['documents', 'question'],
    config: options.config,
    ...(options.examples ? { examples: options.examples } : {}),
    requires(config: Config): LaneAttributeMap {
      if (config.dimensions === undefined) return {};
      const embedding = { dim: config.dimensions };
      return { documents: { embedding }, question: { embedding } };
    },
    attributes(_config: Config, incoming: LaneAttributeMap): LaneAttributeMap {
      // Written documents pass through; hits for a question live in the question's embedding space.
      const documents = incoming.documents ?? incoming.question;
      return { ...(documents ? { documents } : {}), ...(incoming.question ? { question: incoming.question } : {}) };
    },
    async open(ctx) {
      ctx.state[writtenKey] = 0;
      ctx.state[clientKey] = await options.connect(ctx.config, ctx);
    },
    async process(item, ctx) {
      const client = ctx.state[clientKey] as VectorStoreClient;
      if (ctx.lane === 'question') await answer(client, item as QuestionItem, ctx);
      else await write(client, item as Document[], ctx);
    },
    async close(ctx) {
      const client = ctx.state[clientKey] as VectorStoreClient | undefined;
      delete ctx.state[clientKey];
      await client?.close();
    },
  });
}

async function write<Config extends StoreConfig>(client: VectorStoreClient, documents: Document[], ctx: Context<Config>): Promise<void> {
  const { collection, batchSize } = ctx.config;
  ctx.signal.throwIfAborted();
  if (documents.length === 0) {
    await ctx.emit('documents', []);
    return;
  }
  const embedded = requireEmbeddings(documents, ctx);
  const dimension = embedded[0]!.embedding.length;
  const configured = ctx.config.dimensions;
  if (configured !== undefined && configured !== dimension) {
    throw dimensionMismatch(ctx, `Node "${ctx.nodeId}" is configured for ${configured}-dimension embeddings, but got documents with ${dimension} dimensions.`, configured, dimension);
  }
  const existing = await client.dimension(collection);
  if (existing !== undefined && existing !== dimension) {
    throw dimensionMismatch(ctx, `Collection "${collection}" holds ${existing}-dimension embeddings, but node "${ctx.nodeId}" got documents with ${dimension} dimensions.`, existing, dimension);
  }
  let written = 0;
  for (let start = 0; start < embedded.length; start += batchSize) {
    ctx.signal.throwIfAborted();
    const batch = embedded.slice(start, start + batchSize);
    try {
      await client.upsert(collection, batch, ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted || isAbortError(error)) throw error;
      if (isPipelaneError(error) && error.code !== 'STORE_WRITE_FAILED') throw error;
      const total = (ctx.state[writtenKey] as number) + written;
      throw new PipelaneError(
        'STORE_WRITE_FAILED',
        `Node "${ctx.nodeId}" (${ctx.nodeType}) wrote ${written} of ${embedded.length} documents to "${collection}" before a write failed: ${(error as Error).message ?? String(error)}`,
        {
          hint: 'Run the ingest again once the store is reachable: documents are upserted by id, so nothing is duplicated.',
          retryable: true,
          cause: error,
          details: { written, of: embedded.length, writtenInRun: total, collection },
        },
      );
    }
    written += batch.length;
  }
  ctx.state[writtenKey] = (ctx.state[writtenKey] as number) + written;
  ctx.setAttributes({ 'store.collection': collection, 'store.written': written });
  await ctx.emit('documents', embedded);
}

function requireEmbeddings<Config extends StoreConfig>(documents: Document[], ctx: Context<Config>): EmbeddedDocument[] {
  const missing = documents.filter((document) => !document.embedding || document.embedding.length === 0);
  if (missing.length > 0) {
    throw new PipelaneError(
      'STORE_NEEDS_EMBEDDINGS',
      `Node "${ctx.nodeId}" (${ctx.nodeType}) got ${missing.length} of ${documents.length} documents without an embedding (first: "${missing[0]!.id}").`,
      { hint: `Put an embed.* node (for example embed.hash) before "${ctx.nodeId}".`, details: { missing: missing.length } },
    );
  }
  const embedded = documents as EmbeddedDocument[];
  const dimension = embedded[0]!.embedding.length;
  const odd = embedded.find((document) => document.embedding.length !== dimension);
  if (odd) {
    throw dimensionMismatch(ctx, `Node "${ctx.nodeId}" got documents of mixed dimensions: "${embedded[0]!.id}" has ${dimension}, "${odd.id}" has ${odd.embedding.length}.`, dimension, odd.embedding.length);
  }
  return embedded;
}

async function answer<Config extends StoreConfig>(client: VectorStoreClient, question: QuestionItem, ctx: Context<Config>): Promise<void> {
  const { collection, topK, filter } = ctx.config;
  if (!question.embedding || question.embedding.length === 0) {
    throw new PipelaneError('STORE_NEEDS_EMBEDDINGS', `Node "${ctx.nodeId}" (${ctx.nodeType}) got a question without an embedding.`, {
      hint: `Put an embed.* node (the same one the documents went through) before "${ctx.nodeId}".`,
    });
  }
  const dimension = question.embedding.length;
  const configured = ctx.config.dimensions;
  if (configured !== undefined && configured !== dimension) {
    throw dimensionMismatch(ctx, `Node "${ctx.nodeId}" is configured for ${configured}-dimension embeddings, but the question's embedding has ${dimension}.`, configured, dimension);
  }
  const existing = await client.dimension(collection);
  if (existing === undefined) {
    ctx.warn(`Collection "${collection}" does not exist yet: no context for the question (ingest documents first).`);
  } else if (existing !== dimension) {
    throw dimensionMismatch(ctx, `Collection "${collection}" holds ${existing}-dimension embeddings, but the question's embedding has ${dimension}.`, existing, dimension);
  }
  ctx.signal.throwIfAborted();
  const hits = existing === undefined ? [] : await client.query(collection, question.embedding, { topK, ...(filter ? { filter } : {}) });
  const context: Document[] = hits.map(({ score, ...document }) => ({ ...document, metadata: { ...document.metadata, score } }));
  ctx.setAttributes({ 'store.collection': collection, 'store.hits': context.length, 'store.topScore': hits[0]?.score ?? null });
  await ctx.emit('question', { ...question, context });
  await ctx.emit('documents', context);
}

function dimensionMismatch<Config extends StoreConfig>(ctx: Context<Config>, message: string, expected: number, got: number): PipelaneError {
  const written = ctx.lane === 'question' ? '' : ' Nothing was written.';
  return new PipelaneError('STORE_DIMENSION_MISMATCH', `${message}${written}`, {
    hint: `Embed with ${expected} dimensions (e.g. embed.hash {"dimensions": ${expected}}), or use another collection for ${got}-dimension embeddings.`,
    path: '/config/collection',
    details: { expected, got },
  });
}
