import { PipelaneError, type Document, type LaneAttributeMap, type QuestionItem } from '../../../src/node-kit/index.js';

/** Embeds a list of texts in order; one call per batch. Implemented by each embedding node. */
export type EmbedTexts = (texts: string[]) => Promise<number[][]>;

/** What an embedding run did, for the span. */
export interface EmbedSummary {
  count: number;
  batches: number;
  dim: number | undefined;
}

/** `items` cut into consecutive slices of at most `size` (the last one shorter). */
export function splitIntoBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** Every text embedded, `batchSize` at a time, in input order. */
export async function embedInBatches(texts: readonly string[], batchSize: number, embed: EmbedTexts): Promise<{ vectors: number[][]; batches: number }> {
  const vectors: number[][] = [];
  const batches = splitIntoBatches(texts, batchSize);
  for (const batch of batches) {
    const embedded = await embed(batch);
    if (embedded.length !== batch.length) {
      throw new PipelaneError('EMBED_RESPONSE_INVALID', `The embedder returned ${embedded.length} vectors for ${batch.length} texts.`, {
        hint: 'The model or server answered with the wrong number of embeddings; check that it is an embedding model.',
        retryable: true,
      });
    }
    vectors.push(...embedded);
  }
  return { vectors, batches: batches.length };
}

/** The documents with `embedding` set (new objects; the input is left as it was). */
export async function embedDocuments(documents: readonly Document[], batchSize: number, embed: EmbedTexts): Promise<{ documents: Document[]; summary: EmbedSummary }> {
  const { vectors, batches } = await embedInBatches(documents.map((document) => document.text), batchSize, embed);
  return {
    documents: documents.map((document, index) => ({ ...document, embedding: vectors[index]! })),
    summary: { count: vectors.length, batches, dim: vectors[0]?.length },
  };
}

/** The question with `embedding` set. */
export async function embedQuestion(question: QuestionItem, embed: EmbedTexts): Promise<{ question: QuestionItem; summary: EmbedSummary }> {
  const [embedding] = await embed([question.text]);
  if (embedding === undefined) {
    throw new PipelaneError('EMBED_RESPONSE_INVALID', 'The embedder returned no vector for the question.', {
      hint: 'The model or server answered with the wrong number of embeddings; check that it is an embedding model.',
      retryable: true,
    });
  }
  return { question: { ...question, embedding }, summary: { count: 1, batches: 1, dim: embedding.length } };
}

/**
 * Throws EMBED_DIMENSION_MISMATCH when a vector's length differs from `expected` (what the config
 * states, or what the model reported first). `source` says where the vectors came from.
 */
export function checkDimensions(vectors: readonly number[][], expected: number | undefined, model: string, source: string, stated = true): void {
  if (expected === undefined) return;
  const wrong = vectors.find((vector) => vector.length !== expected);
  if (wrong === undefined) return;
  throw dimensionMismatch(model, expected, wrong.length, source, stated);
}

/** `stated`: the expected dimension is the config's; else it is what the model gave earlier in the run. */
export function dimensionMismatch(model: string, expected: number, actual: number, source: string, stated = true): PipelaneError {
  const against = stated ? `the config states dimensions: ${expected}` : `it gave ${expected} dimensions earlier in this run`;
  return new PipelaneError(
    'EMBED_DIMENSION_MISMATCH',
    `Embedding model "${model}" gives ${actual}-dimension vectors (${source}), but ${against}.`,
    {
      hint: `Set dimensions to ${actual} (and use a store made for ${actual} dimensions), or pick a model that gives ${expected}.`,
      path: '/config/dimensions',
      details: { model, expected, actual },
    },
  );
}

/**
 * Static attributes for both lanes an embedder emits, when the config states the dimension (no I/O
 * here; the node checks it against the model when it opens). Without a dimension nothing is
 * claimed: the lane's `embedding` attribute needs `dim`, and a store that requires one would
 * otherwise be told the embedder gives something else.
 */
export function embeddingAttributes(model: string, dimensions: number | undefined): LaneAttributeMap {
  if (dimensions === undefined) return {};
  const embedding = { dim: dimensions, model };
  // The question lane's attribute schema (src/lanes) is still empty; the store nodes' `requires`
  // and the validator already read `question.embedding`, as embed.hash emits it.
  return { documents: { embedding }, question: { embedding } } as unknown as LaneAttributeMap;
}
