import { PipelaneError, type Document, type LaneAttributeMap, type QuestionItem } from '../../../src/node-kit/index.js';
import type { BatchedResult } from '../../../src/models/index.js';

/** Embeds a list of texts in order (the model hub cuts and batches them). Implemented by each embedding node. */
export type EmbedTexts = (texts: string[]) => Promise<number[][]>;

/** What an embedding item did, for the span. */
export interface EmbedSummary {
  count: number;
  dim: number | undefined;
}

/** Every text embedded, in input order; the count is checked. */
export async function embedTexts(texts: readonly string[], embed: EmbedTexts): Promise<number[][]> {
  if (texts.length === 0) return [];
  const vectors = await embed([...texts]);
  if (vectors.length !== texts.length) {
    throw new PipelaneError('EMBED_RESPONSE_INVALID', `The embedder returned ${vectors.length} vectors for ${texts.length} texts.`, {
      hint: 'The model or server answered with the wrong number of embeddings; check that it is an embedding model.',
      retryable: true,
    });
  }
  return vectors;
}

/** The documents with `embedding` set (new objects; the input is left as it was). */
export async function embedDocuments(documents: readonly Document[], embed: EmbedTexts): Promise<{ documents: Document[]; summary: EmbedSummary }> {
  const vectors = await embedTexts(documents.map((document) => document.text), embed);
  return {
    documents: documents.map((document, index) => ({ ...document, embedding: vectors[index]! })),
    summary: { count: vectors.length, dim: vectors[0]?.length },
  };
}

/** The question with `embedding` set. */
export async function embedQuestion(question: QuestionItem, embed: EmbedTexts): Promise<{ question: QuestionItem; summary: EmbedSummary }> {
  const [embedding] = await embedTexts([question.text], embed);
  if (embedding === undefined) {
    throw new PipelaneError('EMBED_RESPONSE_INVALID', 'The embedder returned no vector for the question.', {
      hint: 'The model or server answered with the wrong number of embeddings; check that it is an embedding model.',
      retryable: true,
    });
  }
  return { question: { ...question, embedding }, summary: { count: 1, dim: embedding.length } };
}

/**
 * How one item's texts went through the hub's micro-batcher, summed over its calls: the span
 * attributes every embedding node records (`model.queueWaitMs`, `model.batchSize`, `model.workers`).
 */
export class BatchUsage {
  #calls = 0;
  #batches = 0;
  #queueWaitMs = 0;
  #batchSize = 0;
  #sharedWith = 0;

  add(result: Pick<BatchedResult<unknown>, 'queueWaitMs' | 'batchSize' | 'batches' | 'sharedWith'>): void {
    this.#calls += 1;
    this.#batches += result.batches;
    this.#queueWaitMs += result.queueWaitMs;
    if (result.batchSize >= this.#batchSize) {
      this.#batchSize = result.batchSize;
      this.#sharedWith = Math.max(this.#sharedWith, result.sharedWith);
    }
  }

  /** Model calls the item's texts took part in. */
  get batches(): number {
    return this.#batches;
  }

  attributes(key: string, workers: number): Record<string, unknown> {
    return {
      'model.key': key,
      'model.queueWaitMs': Math.round(this.#queueWaitMs * 10) / 10,
      'model.batchSize': this.#batchSize,
      'model.batchCallers': this.#sharedWith,
      'model.workers': workers,
    };
  }
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
