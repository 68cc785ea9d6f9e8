import { ChromaClient, type Collection, type Metadata, type Where } from 'chromadb';
import { PipelaneError } from '../../../src/node-kit/index.js';
import type { EmbeddedDocument, MetadataFilter, ScoredDocument, VectorQueryOptions, VectorStoreClient } from '../shared/vector-store.js';
import { toScalarMetadata } from './scalar-metadata.js';

export interface ChromaStoreOptions {
  /** Where the server listens, e.g. http://127.0.0.1:8000 */
  url: string;
  headers?: Record<string, string>;
  /** Called with the metadata keys a document lost because Chroma keeps scalars only. */
  onSkippedMetadata?(documentId: string, keys: string[]): void;
}

/**
 * A VectorStoreClient over a Chroma server (chromadb 3 HTTP client). Collections are created with
 * cosine distance and no embedding function: embeddings always travel with the documents, so
 * chromadb never tries to load its default embedder (which would download model weights).
 * chromadb types stay inside this file.
 */
export class ChromaVectorStore implements VectorStoreClient {
  readonly url: string;
  private readonly client: ChromaClient;
  private readonly collections = new Map<string, Collection>();
  private readonly onSkippedMetadata: ChromaStoreOptions['onSkippedMetadata'];

  constructor(options: ChromaStoreOptions) {
    const parsed = new URL(options.url);
    this.url = parsed.origin;
    const ssl = parsed.protocol === 'https:';
    this.client = new ChromaClient({
      host: parsed.hostname,
      port: parsed.port === '' ? (ssl ? 443 : 80) : Number(parsed.port),
      ssl,
      ...(options.headers ? { headers: options.headers } : {}),
    });
    this.onSkippedMetadata = options.onSkippedMetadata;
  }

  /** Fails with STORE_UNAVAILABLE when nothing answers at the URL. */
  async ping(): Promise<void> {
    await this.call('reach', () => this.client.heartbeat());
  }

  async dimension(collection: string): Promise<number | undefined> {
    const handle = await this.existing(collection);
    if (handle === undefined) return undefined;
    const sample = await this.call('read', () => handle.get({ limit: 1, include: ['embeddings'] }));
    const first = sample.embeddings[0];
    return first === undefined || first === null ? undefined : first.length;
  }

  async upsert(collection: string, documents: EmbeddedDocument[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (documents.length === 0) return;
    const handle = await this.writable(collection);
    const metadatas = documents.map((document) => {
      const { metadata, skipped } = toScalarMetadata(document.metadata);
      if (skipped.length > 0) this.onSkippedMetadata?.(document.id, skipped);
      return metadata;
    });
    signal.throwIfAborted();
    await this.call('write', () =>
      handle.upsert({
        ids: documents.map((document) => document.id),
        embeddings: documents.map((document) => document.embedding),
        documents: documents.map((document) => document.text),
        // Chroma refuses an empty metadata object; null stores none.
        metadatas: metadatas.map((metadata) => (Object.keys(metadata).length === 0 ? null : metadata)) as Metadata[],
      }),
    );
  }

  async query(collection: string, embedding: number[], options: VectorQueryOptions): Promise<ScoredDocument[]> {
    const handle = await this.existing(collection);
    if (handle === undefined) return [];
    const where = toWhere(options.filter);
    const result = await this.call('read', () =>
      handle.query({
        queryEmbeddings: [embedding],
        nResults: options.topK,
        include: ['documents', 'metadatas', 'distances'],
        ...(where ? { where } : {}),
      }),
    );
    const ids = result.ids[0] ?? [];
    return ids.map((id, index) => ({
      id,
      text: result.documents[0]?.[index] ?? '',
      metadata: { ...(result.metadatas[0]?.[index] ?? {}) },
      // Chroma's cosine distance is 1 - cosine similarity.
      score: 1 - (result.distances[0]?.[index] ?? 1),
    }));
  }

  async delete(collection: string, ids: string[]): Promise<number> {
    const handle = await this.existing(collection);
    if (handle === undefined || ids.length === 0) return 0;
    const present = await this.call('read', () => handle.get({ ids, include: [] }));
    if (present.ids.length === 0) return 0;
    await this.call('write', () => handle.delete({ ids: present.ids }));
    return present.ids.length;
  }

  /** Documents in a collection (0 when it does not exist). */
  async count(collection: string): Promise<number> {
    const handle = await this.existing(collection);
    return handle === undefined ? 0 : this.call('read', () => handle.count());
  }

  async close(): Promise<void> {
    this.collections.clear();
  }

  private async existing(collection: string): Promise<Collection | undefined> {
    const cached = this.collections.get(collection);
    if (cached) return cached;
    let handle: Collection;
    try {
      handle = await this.client.getCollection({ name: collection });
    } catch (error) {
      if ((error as Error | undefined)?.name === 'ChromaNotFoundError') return undefined;
      throw this.toStoreError(error, 'read');
    }
    this.collections.set(collection, handle);
    return handle;
  }

  private async writable(collection: string): Promise<Collection> {
    const cached = this.collections.get(collection);
    if (cached) return cached;
    const handle = await this.call('write', () =>
      this.client.getOrCreateCollection({ name: collection, embeddingFunction: null, configuration: { hnsw: { space: 'cosine' } } }),
    );
    this.collections.set(collection, handle);
    return handle;
  }

  /**
   * Maps chromadb's errors to ours. An unreachable server is STORE_UNAVAILABLE when reading; when
   * writing it is STORE_WRITE_FAILED, which defineStoreNode completes with how many were written.
   */
  private async call<T>(operation: 'reach' | 'read' | 'write', run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.toStoreError(error, operation);
    }
  }

  private toStoreError(error: unknown, operation: 'reach' | 'read' | 'write'): PipelaneError {
    const name = (error as Error | undefined)?.name ?? '';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'ChromaConnectionError') {
      const text = `The Chroma server at ${this.url} is unreachable (connection refused or reset).`;
      const hint = `Start it (\`pipelane chroma start --port ${new URL(this.url).port || 8000}\`) or use \`embedded: {path}\` to let Pipelane run one.`;
      const code = operation === 'write' ? 'STORE_WRITE_FAILED' : 'STORE_UNAVAILABLE';
      return new PipelaneError(code, text, { hint, retryable: true, cause: error, details: { url: this.url } });
    }
    const retryable = name === 'ChromaServerError' || name === 'ChromaRateLimitError';
    const code = operation === 'write' ? 'STORE_WRITE_FAILED' : 'STORE_REQUEST_FAILED';
    return new PipelaneError(code, `Chroma at ${this.url} refused the ${operation}: ${message}`, {
      hint: retryable ? 'Try again; the server reported a transient failure.' : 'Check the collection and the documents against the Chroma server log.',
      retryable,
      cause: error,
      details: { url: this.url },
    });
  }
}

/** Equality filters as a Chroma `where`: one key as is, several under `$and`. */
export function toWhere(filter: MetadataFilter | undefined): Where | undefined {
  const entries = Object.entries(filter ?? {});
  if (entries.length === 0) return undefined;
  const clauses = entries.map(([key, value]) => ({ [key]: value }) as Where);
  return clauses.length === 1 ? clauses[0] : ({ $and: clauses } as Where);
}
