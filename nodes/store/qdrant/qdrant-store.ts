import { QdrantClient } from '@qdrant/js-client-rest';
import { PipelaneError, type Document } from '../../../src/node-kit/index.js';
import type { EmbeddedDocument, MetadataFilter, ScoredDocument, VectorQueryOptions, VectorStoreClient } from '../shared/vector-store.js';
import { pointId } from './point-id.js';

export interface QdrantStoreOptions {
  /** e.g. http://127.0.0.1:6333 */
  url: string;
  /** Sent as the `api-key` header; never logged. */
  apiKey?: string;
  /** Per-request time limit (default 30 s). */
  timeoutMs?: number;
}

/** What a point's payload holds: our document, under keys that do not clash with metadata filters. */
interface DocumentPayload {
  id: string;
  text: string;
  metadata: Document['metadata'];
}

type Operation = 'read' | 'write';

/**
 * A VectorStoreClient over Qdrant's REST API (@qdrant/js-client-rest). Collections are created on
 * first write with the documents' dimension and Cosine distance; point ids are UUIDv5 of the
 * document ids (Qdrant accepts only integers and UUIDs), the original id stays in the payload.
 * Qdrant client types stay inside this file.
 */
export class QdrantVectorStore implements VectorStoreClient {
  readonly url: string;
  private readonly client: QdrantClient;
  private readonly dimensions = new Map<string, number>();

  constructor(options: QdrantStoreOptions) {
    const parsed = new URL(options.url);
    this.url = `${parsed.origin}${parsed.pathname.replace(/\/$/, '')}`;
    this.client = new QdrantClient({
      url: options.url,
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      timeout: options.timeoutMs ?? 30_000,
      // The version check is a fire-and-forget request that only warns on the console.
      checkCompatibility: false,
    });
  }

  async dimension(collection: string): Promise<number | undefined> {
    const known = this.dimensions.get(collection);
    if (known !== undefined) return known;
    let info: Awaited<ReturnType<QdrantClient['getCollection']>>;
    try {
      info = await this.client.getCollection(collection);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.toStoreError(error, 'read', collection);
    }
    const vectors = info.config.params.vectors as { size?: number } | Record<string, { size?: number }> | undefined;
    const size = typeof vectors?.size === 'number' ? vectors.size : undefined;
    if (size === undefined) {
      throw new PipelaneError('STORE_REQUEST_FAILED', `Qdrant collection "${collection}" at ${this.url} uses named vectors, which store.qdrant does not write.`, {
        hint: 'Use a collection with a single unnamed vector (store.qdrant creates one when the collection is missing).',
        path: '/config/collection',
      });
    }
    this.dimensions.set(collection, size);
    return size;
  }

  async upsert(collection: string, documents: EmbeddedDocument[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (documents.length === 0) return;
    if ((await this.dimensionForWrite(collection)) === undefined) {
      const size = documents[0]!.embedding.length;
      await this.call('write', collection, () => this.client.createCollection(collection, { vectors: { size, distance: 'Cosine' } }));
      this.dimensions.set(collection, size);
    }
    signal.throwIfAborted();
    const points = documents.map((document) => ({
      id: pointId(document.id),
      vector: document.embedding,
      payload: { id: document.id, text: document.text, metadata: document.metadata } satisfies DocumentPayload as Record<string, unknown>,
    }));
    await this.call('write', collection, () => this.client.upsert(collection, { wait: true, points }));
  }

  async query(collection: string, embedding: number[], options: VectorQueryOptions): Promise<ScoredDocument[]> {
    if ((await this.dimension(collection)) === undefined) return [];
    const filter = toFilter(options.filter);
    const hits = await this.call('read', collection, () =>
      this.client.search(collection, { vector: embedding, limit: options.topK, with_payload: true, ...(filter ? { filter } : {}) }),
    );
    return hits.map((hit) => {
      const payload = (hit.payload ?? {}) as Partial<DocumentPayload>;
      return { id: payload.id ?? String(hit.id), text: payload.text ?? '', metadata: { ...(payload.metadata ?? {}) }, score: hit.score };
    });
  }

  async delete(collection: string, ids: string[]): Promise<number> {
    if (ids.length === 0 || (await this.dimension(collection)) === undefined) return 0;
    const points = ids.map(pointId);
    const present = await this.call('read', collection, () => this.client.retrieve(collection, { ids: points, with_payload: false, with_vector: false }));
    if (present.length === 0) return 0;
    await this.call('write', collection, () => this.client.delete(collection, { wait: true, points: present.map((point) => point.id) }));
    return present.length;
  }

  /** Points in a collection (0 when it does not exist). */
  async count(collection: string): Promise<number> {
    if ((await this.dimension(collection)) === undefined) return 0;
    return (await this.call('read', collection, () => this.client.count(collection, { exact: true }))).count;
  }

  async close(): Promise<void> {
    this.dimensions.clear();
  }

  /** `dimension()` whose connection failures count as write failures (defineStoreNode adds the written count). */
  private async dimensionForWrite(collection: string): Promise<number | undefined> {
    try {
      return await this.dimension(collection);
    } catch (error) {
      if (error instanceof PipelaneError && error.code === 'STORE_UNAVAILABLE') {
        throw new PipelaneError('STORE_WRITE_FAILED', error.message, { hint: error.hint, retryable: true, cause: error.cause, details: error.details });
      }
      throw error;
    }
  }

  private async call<T>(operation: Operation, collection: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.toStoreError(error, operation, collection);
    }
  }

  /**
   * Maps the client's errors to ours. Unreachable: STORE_UNAVAILABLE when reading, STORE_WRITE_FAILED
   * when writing (defineStoreNode completes it with how many documents were written).
   */
  private toStoreError(error: unknown, operation: Operation, collection: string): PipelaneError {
    const status = statusOf(error);
    const details = { url: this.url, collection, ...(status !== undefined ? { status } : {}) };
    if (status === undefined) {
      const reason = describeNetworkError(error);
      const message = `The Qdrant server at ${this.url} is unreachable (${reason}).`;
      const hint = 'Start Qdrant (docker run -p 6333:6333 qdrant/qdrant) or fix `url`; documents are upserted by id, so a rerun duplicates nothing.';
      return new PipelaneError(operation === 'write' ? 'STORE_WRITE_FAILED' : 'STORE_UNAVAILABLE', message, { hint, retryable: true, cause: error, details });
    }
    if (status === 401 || status === 403) {
      return new PipelaneError('STORE_AUTH_FAILED', `Qdrant at ${this.url} refused the API key (HTTP ${status}).`, {
        hint: 'Set apiKeyEnv to the environment variable that holds a valid Qdrant API key.',
        path: '/config/apiKeyEnv',
        cause: error,
        details,
      });
    }
    const retryable = status === 408 || status === 429 || status >= 500;
    const serverMessage = serverErrorMessage(error);
    return new PipelaneError(
      operation === 'write' ? 'STORE_WRITE_FAILED' : 'STORE_REQUEST_FAILED',
      `Qdrant at ${this.url} answered HTTP ${status} to a ${operation} on "${collection}"${serverMessage ? `: ${serverMessage}` : ''}.`,
      {
        hint: retryable ? 'Try again; the server reported a transient failure.' : 'Check the collection against the Qdrant server (its log says why it refused).',
        retryable,
        cause: error,
        details,
      },
    );
  }
}

/** Equality on metadata keys as a Qdrant filter (payload keys live under `metadata.`). */
export function toFilter(filter: MetadataFilter | undefined): { must: Array<{ key: string; match: { value: string | number | boolean } }> } | undefined {
  const entries = Object.entries(filter ?? {});
  if (entries.length === 0) return undefined;
  return { must: entries.map(([key, value]) => ({ key: `metadata.${key}`, match: { value } })) };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') return status;
  // QdrantClientUnexpectedResponseError carries the status in its message only.
  const match = error instanceof Error && error.name === 'QdrantClientUnexpectedResponseError' ? /Unexpected Response: (\d{3})/.exec(error.message) : null;
  return match ? Number(match[1]) : undefined;
}

function serverErrorMessage(error: unknown): string | undefined {
  const data = (error as { data?: { status?: { error?: unknown } } } | undefined)?.data;
  return typeof data?.status?.error === 'string' ? data.status.error : undefined;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error && error.name === 'QdrantClientTimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code ?? (cause?.message ? `${message}: ${cause.message}` : message);
}
