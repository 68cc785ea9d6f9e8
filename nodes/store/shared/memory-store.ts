import type { EmbeddedDocument, ScoredDocument, VectorQueryOptions, VectorStoreClient } from './vector-store.js';

/**
 * A brute-force in-memory VectorStoreClient: cosine similarity over every stored vector. The
 * reference the real stores are tested and benchmarked against; state lives in the instance only.
 */
export class MemoryVectorStore implements VectorStoreClient {
  private readonly collections = new Map<string, { dimension: number; documents: Map<string, EmbeddedDocument> }>();

  async dimension(collection: string): Promise<number | undefined> {
    return this.collections.get(collection)?.dimension;
  }

  async upsert(collection: string, documents: EmbeddedDocument[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (documents.length === 0) return;
    let entry = this.collections.get(collection);
    if (!entry) {
      entry = { dimension: documents[0]!.embedding.length, documents: new Map() };
      this.collections.set(collection, entry);
    }
    for (const document of documents) entry.documents.set(document.id, { ...document, embedding: [...document.embedding] });
  }

  async query(collection: string, embedding: number[], options: VectorQueryOptions): Promise<ScoredDocument[]> {
    const entry = this.collections.get(collection);
    if (!entry) return [];
    const filter = Object.entries(options.filter ?? {});
    const queryNorm = Math.hypot(...embedding) || 1;
    const scored: ScoredDocument[] = [];
    for (const document of entry.documents.values()) {
      if (!filter.every(([key, value]) => document.metadata[key] === value)) continue;
      let dot = 0;
      let norm = 0;
      for (let index = 0; index < embedding.length; index++) {
        const value = document.embedding[index]!;
        dot += value * embedding[index]!;
        norm += value * value;
      }
      scored.push({ ...document, score: dot / (queryNorm * (Math.sqrt(norm) || 1)) });
    }
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, options.topK);
  }

  async delete(collection: string, ids: string[]): Promise<number> {
    const entry = this.collections.get(collection);
    if (!entry) return 0;
    return ids.filter((id) => entry.documents.delete(id)).length;
  }

  async close(): Promise<void> {}

  /** Documents stored in a collection (tests). */
  count(collection: string): number {
    return this.collections.get(collection)?.documents.size ?? 0;
  }
}
