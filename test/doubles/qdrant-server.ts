import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the part of Qdrant's REST API that store.qdrant's client calls, speaking the
 * wire format of Qdrant 1.15 (`{result, status: "ok", time}`, errors as `{status: {error}}`):
 *
 *   GET  /collections/{name}                  collection info (404 when missing)
 *   PUT  /collections/{name}                  create: {vectors: {size, distance}}
 *   PUT  /collections/{name}/points           upsert: {points: [{id, vector, payload}]}
 *   POST /collections/{name}/points           retrieve: {ids, with_payload, with_vector}
 *   POST /collections/{name}/points/search    search: {vector, limit, filter, with_payload}
 *   POST /collections/{name}/points/delete    delete: {points: [...]}
 *   POST /collections/{name}/points/count     count: {exact}
 *
 * Point ids must be unsigned integers or UUIDs, as in Qdrant (a string id gets the same 400).
 * Cosine collections store normalised vectors and score by dot product, like Qdrant. Every request
 * is recorded; failures can be scripted for the next requests.
 */

export interface RecordedQdrantRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface ScriptedQdrantResponse {
  status: number;
  body?: unknown;
}

interface StoredPoint {
  id: string | number;
  vector: number[];
  payload: Record<string, unknown>;
}

interface StoredCollection {
  size: number;
  distance: string;
  points: Map<string, StoredPoint>;
}

export interface QdrantServerDouble {
  readonly url: string;
  readonly requests: RecordedQdrantRequest[];
  readonly collections: Map<string, StoredCollection>;
  /** Answers the next matching requests (all requests when `match` is left out) with these responses, in order. */
  enqueue(response: ScriptedQdrantResponse, match?: (method: string, path: string) => boolean): void;
  /** When set, only requests with this `api-key` header are served (others get 401). */
  apiKey: string | undefined;
  close(): Promise<void>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startQdrantDouble(): Promise<QdrantServerDouble> {
  const requests: RecordedQdrantRequest[] = [];
  const collections = new Map<string, StoredCollection>();
  const scripted: Array<{ response: ScriptedQdrantResponse; match?: (method: string, path: string) => boolean }> = [];
  const started = Date.now();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://double');
      const method = request.method ?? 'GET';
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const record: RecordedQdrantRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body, status: 0 };
      requests.push(record);
      const send = (status: number, payload: unknown) => {
        record.status = status;
        respond(response, status, payload);
      };
      const index = scripted.findIndex((entry) => entry.match === undefined || entry.match(method, url.pathname));
      if (index >= 0) {
        const [{ response: next }] = scripted.splice(index, 1) as [{ response: ScriptedQdrantResponse }];
        send(next.status, next.body ?? { status: { error: `scripted ${next.status}` }, time: 0 });
        return;
      }
      if (double.apiKey !== undefined && request.headers['api-key'] !== double.apiKey) {
        send(401, { status: { error: 'Must provide an API key or an Authorization bearer token' }, time: 0 });
        return;
      }
      const [status, result] = route(method, url.pathname, body, collections);
      send(status, status < 300 ? { result, status: 'ok', time: (Date.now() - started) / 1e6 } : { status: { error: result }, time: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const double: QdrantServerDouble = {
    url: `http://127.0.0.1:${port}`,
    requests,
    collections,
    apiKey: undefined,
    enqueue(response, match) {
      scripted.push({ response, ...(match ? { match } : {}) });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return double;
}

function respond(response: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

type Routed = [number, unknown];

function route(method: string, path: string, body: unknown, collections: Map<string, StoredCollection>): Routed {
  const match = /^\/collections\/([^/]+)(\/points(?:\/(search|delete|count))?)?$/.exec(path);
  if (!match) return [404, `Not found: ${method} ${path}`];
  const name = decodeURIComponent(match[1]!);
  const points = match[2] !== undefined;
  const action = match[3];
  const collection = collections.get(name);
  const request = (body ?? {}) as Record<string, unknown>;

  if (!points && method === 'PUT') {
    if (collection) return [409, `Wrong input: Collection \`${name}\` already exists!`];
    const vectors = request.vectors as { size?: unknown; distance?: unknown } | undefined;
    if (typeof vectors?.size !== 'number' || !['Cosine', 'Dot', 'Euclid', 'Manhattan'].includes(String(vectors.distance))) {
      return [400, 'Wrong input: vectors must be {size, distance}'];
    }
    collections.set(name, { size: vectors.size, distance: String(vectors.distance), points: new Map() });
    return [200, true];
  }
  if (!collection) return [404, `Not found: Collection \`${name}\` doesn't exist!`];

  if (!points && method === 'GET') {
    return [
      200,
      {
        status: 'green',
        optimizer_status: 'ok',
        points_count: collection.points.size,
        indexed_vectors_count: 0,
        segments_count: 1,
        config: {
          params: { vectors: { size: collection.size, distance: collection.distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
          hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
          optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
          wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        },
        payload_schema: {},
      },
    ];
  }
  if (action === undefined && method === 'PUT') {
    const incoming = request.points;
    if (!Array.isArray(incoming)) return [400, 'Wrong input: points must be a list'];
    for (const point of incoming as Array<Record<string, unknown>>) {
      const problem = pointIdProblem(point.id);
      if (problem) return [400, problem];
      const vector = point.vector;
      if (!Array.isArray(vector) || vector.length !== collection.size) {
        return [400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${Array.isArray(vector) ? vector.length : 'none'}`];
      }
    }
    for (const point of incoming as Array<{ id: string | number; vector: number[]; payload?: Record<string, unknown> }>) {
      const vector = collection.distance === 'Cosine' ? normalise(point.vector) : point.vector;
      collection.points.set(String(point.id), { id: point.id, vector, payload: point.payload ?? {} });
    }
    return [200, { operation_id: collection.points.size, status: 'completed' }];
  }
  if (action === undefined && method === 'POST') {
    const ids = (request.ids as Array<string | number> | undefined) ?? [];
    return [200, ids.flatMap((id) => {
      const point = collection.points.get(String(id));
      if (!point) return [];
      return [{ id: point.id, ...(request.with_payload ? { payload: point.payload } : {}), ...(request.with_vector ? { vector: point.vector } : {}) }];
    })];
  }
  if (action === 'search' && method === 'POST') {
    const vector = request.vector as number[] | undefined;
    if (!Array.isArray(vector) || vector.length !== collection.size) return [400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${vector?.length}`];
    const query = collection.distance === 'Cosine' ? normalise(vector) : vector;
    const limit = typeof request.limit === 'number' ? request.limit : 10;
    const filter = request.filter as { must?: Array<{ key: string; match: { value: unknown } }> } | undefined;
    const hits = [...collection.points.values()]
      .filter((point) => (filter?.must ?? []).every((condition) => valueAt(point.payload, condition.key) === condition.match.value))
      .map((point) => ({ id: point.id, version: 0, score: dot(query, point.vector), ...(request.with_payload ? { payload: point.payload } : {}) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    return [200, hits];
  }
  if (action === 'delete' && method === 'POST') {
    const ids = request.points as Array<string | number> | undefined;
    if (!Array.isArray(ids)) return [400, 'Wrong input: points must be a list of ids'];
    for (const id of ids) collection.points.delete(String(id));
    return [200, { operation_id: 0, status: 'completed' }];
  }
  if (action === 'count' && method === 'POST') return [200, { count: collection.points.size }];
  return [404, `Not found: ${method} ${path}`];
}

function pointIdProblem(id: unknown): string | undefined {
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return undefined;
  if (typeof id === 'string' && uuidPattern.test(id)) return undefined;
  return `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`;
}

function valueAt(payload: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), payload);
}

function normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * b[index]!, 0);
}
