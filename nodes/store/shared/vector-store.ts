import type { Document } from '../../../src/node-kit/index.js';

/** A document ready to be stored: its embedding is required. */
export type EmbeddedDocument = Document & { embedding: number[] };

/** A hit of a vector query: the stored document (with its embedding when the store keeps it) and its similarity. */
export type ScoredDocument = Document & { score: number };

/** Equality on metadata keys; every entry must match. */
export type MetadataFilter = Record<string, string | number | boolean>;

export interface VectorQueryOptions {
  topK: number;
  filter?: MetadataFilter;
}

/**
 * The seam every store.* node implements (store.sqlite, store.chroma, store.qdrant): one client per
 * run, opened in the node's `open()` and closed in `close()`. The shared semantics (batches,
 * dimension checks, typed errors, cancellation) live in `defineStoreNode`, not in the clients.
 */
export interface VectorStoreClient {
  /** The embedding dimension of an existing collection, or undefined when it does not exist yet. */
  dimension(collection: string): Promise<number | undefined>;
  /** Inserts or replaces by `id` (creating the collection at the documents' dimension when missing). */
  upsert(collection: string, documents: EmbeddedDocument[], signal: AbortSignal): Promise<void>;
  /**
   * The `topK` nearest documents, best first. `score` is a similarity (higher is closer; cosine
   * similarity for normalised vectors). Returns [] when the collection does not exist.
   */
  query(collection: string, embedding: number[], options: VectorQueryOptions): Promise<ScoredDocument[]>;
  /** Deletes by id; returns how many existed. */
  delete(collection: string, ids: string[]): Promise<number>;
  close(): Promise<void>;
}
