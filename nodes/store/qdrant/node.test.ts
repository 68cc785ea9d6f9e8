import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startQdrantDouble, type QdrantServerDouble } from '../../../test/doubles/qdrant-server.js';
import embedHash from '../../embed/hash/node.js';
import { runNode, type Document, type PipelaneError, type QuestionItem } from '../../../src/node-kit/index.js';
import store from './node.js';
import { pointId } from './point-id.js';
import { QdrantVectorStore } from './qdrant-store.js';

// Tested against the REST wire format only: test/doubles/qdrant-server.ts, not a running Qdrant.
let qdrant: QdrantServerDouble;

before(async () => {
  qdrant = await startQdrantDouble();
});
after(async () => {
  await qdrant.close();
});
beforeEach(() => {
  qdrant.requests.length = 0;
  qdrant.collections.clear();
  qdrant.apiKey = undefined;
});

const texts: Record<string, string> = {
  bread: 'Knead the dough, let it rise for an hour, then bake the bread at 220 degrees until the crust is brown.',
  cats: 'Cats sleep most of the day and hunt mice at night; a cat purrs when it is content.',
  tax: 'The invoice total includes value added tax at twenty percent, payable within thirty days.',
};

async function embedded(ids: string[], dimensions = 32): Promise<Document[]> {
  const documents = ids.map((id) => ({ id, text: texts[id]!, metadata: { source: `${id}.txt`, layout: { page: 1 } } }));
  return (await runNode(embedHash, { config: { dimensions }, items: [{ item: documents }] })).emitted[0]!.item as Document[];
}

async function question(text: string, dimensions = 32): Promise<QuestionItem> {
  return (await runNode(embedHash, { config: { dimensions }, items: [{ lane: 'question', item: { text } }] })).emitted[0]!.item as QuestionItem;
}

const bodies = (method: string, suffix: string) => qdrant.requests.filter((request) => request.method === method && request.path.endsWith(suffix)).map((request) => request.body as Record<string, unknown>);

test('the first write creates the collection with the documents\' size and Cosine distance', async () => {
  const result = await runNode(store, { config: { url: qdrant.url, collection: 'docs' }, items: [{ item: await embedded(['bread', 'cats']) }] });
  assert.deepEqual(result.errors, []);
  const create = qdrant.requests.find((request) => request.method === 'PUT' && request.path === '/collections/docs');
  assert.deepEqual(create?.body, { vectors: { size: 32, distance: 'Cosine' } });
  assert.deepEqual(
    qdrant.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path} ${request.status}`),
    ['PUT /collections/docs 200', 'PUT /collections/docs/points 200'],
  );
});

test('point ids are UUIDv5 of the document ids; the payload keeps id, text and nested metadata; upserts wait', async () => {
  const documents = await embedded(['bread']);
  await runNode(store, { config: { url: qdrant.url, collection: 'docs' }, items: [{ item: documents }] });
  const upsert = qdrant.requests.find((request) => request.method === 'PUT' && request.path === '/collections/docs/points')!;
  assert.equal(upsert.query.wait, 'true');
  const [point] = (upsert.body as { points: Array<{ id: string; vector: number[]; payload: unknown }> }).points;
  assert.equal(point!.id, pointId('bread'));
  assert.match(point!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(point!.vector, documents[0]!.embedding);
  assert.deepEqual(point!.payload, { id: 'bread', text: texts.bread, metadata: { source: 'bread.txt', layout: { page: 1 } } });
});

test('a question gets the nearest documents first, with the cosine score and the original ids', async () => {
  const config = { url: qdrant.url, collection: 'docs', topK: 2 };
  await runNode(store, { config, items: [{ item: await embedded(['bread', 'cats', 'tax']) }] });
  const asked = await runNode(store, { config, items: [{ lane: 'question', item: await question('What tax rate is on the invoice?') }] });
  assert.deepEqual(asked.problems, []);
  const context = (asked.emitted.find((emitted) => emitted.lane === 'question')!.item as QuestionItem).context!;
  assert.equal(context.length, 2);
  assert.equal(context[0]!.id, 'tax');
  assert.equal(context[0]!.text, texts.tax);
  assert.ok((context[0]!.metadata.score as number) > (context[1]!.metadata.score as number));
  const [search] = bodies('POST', '/points/search');
  assert.equal(search!.limit, 2);
  assert.equal(search!.with_payload, true);
  assert.equal((search!.vector as number[]).length, 32);
});

test('a metadata filter becomes a must-match on metadata.<key>', async () => {
  const config = { url: qdrant.url, collection: 'docs', filter: { source: 'cats.txt' } };
  await runNode(store, { config, items: [{ item: await embedded(['bread', 'cats', 'tax']) }] });
  const asked = await runNode(store, { config, items: [{ lane: 'question', item: await question('invoice tax') }] });
  const context = (asked.emitted.find((emitted) => emitted.lane === 'question')!.item as QuestionItem).context!;
  assert.deepEqual(context.map((document) => document.id), ['cats']);
  assert.deepEqual(bodies('POST', '/points/search')[0]!.filter, { must: [{ key: 'metadata.source', match: { value: 'cats.txt' } }] });
});

test('re-ingesting the same ids replaces points instead of adding', async () => {
  const config = { url: qdrant.url, collection: 'docs' };
  const documents = await embedded(['bread', 'cats']);
  await runNode(store, { config, items: [{ item: documents }, { item: documents }] });
  const client = new QdrantVectorStore({ url: qdrant.url });
  assert.equal(await client.count('docs'), 2);
  assert.equal(await client.delete('docs', ['bread', 'missing']), 1);
  assert.equal(await client.count('docs'), 1);
});

test('documents of another dimension: STORE_DIMENSION_MISMATCH and no upsert sent', async () => {
  const config = { url: qdrant.url, collection: 'docs' };
  await runNode(store, { config, items: [{ item: await embedded(['bread']) }] });
  qdrant.requests.length = 0;
  const result = await runNode(store, { config, items: [{ item: await embedded(['cats'], 16) }] });
  assert.equal(result.errors[0]?.code, 'STORE_DIMENSION_MISMATCH');
  assert.deepEqual(result.errors[0]?.details, { expected: 32, got: 16 });
  assert.equal(qdrant.requests.filter((request) => request.path.endsWith('/points')).length, 0);
});

test('a batch refused mid-ingest: STORE_WRITE_FAILED says how many were written, and the server holds exactly those', async () => {
  const documents: Document[] = Array.from({ length: 50 }, (_, index) => ({
    id: `doc-${index}`,
    text: `document ${index}`,
    metadata: {},
    embedding: Array.from({ length: 8 }, (_, position) => Math.cos(index * 8 + position)),
  }));
  let upserts = 0;
  qdrant.enqueue({ status: 503, body: { status: { error: 'Service Unavailable: shard is being moved' }, time: 0 } }, (method, path) => method === 'PUT' && path.endsWith('/points') && ++upserts === 3);
  const result = await runNode(store, { config: { url: qdrant.url, collection: 'docs', batchSize: 10 }, items: [{ item: documents }] });
  const error: PipelaneError = result.errors[0]!;
  assert.equal(error.code, 'STORE_WRITE_FAILED');
  assert.equal(error.retryable, true);
  assert.equal(error.details?.written, 20);
  assert.match(error.message, /wrote 20 of 50/);
  assert.match(error.message, /HTTP 503.*shard is being moved/);
  assert.equal(qdrant.collections.get('docs')?.points.size, 20);
});

test('the API key named by apiKeyEnv goes in the api-key header; a refused key is STORE_AUTH_FAILED; an unset variable is MISSING_ENV_VARIABLE', async () => {
  qdrant.apiKey = 'qdrant-secret-key';
  process.env.PIPELANE_TEST_QDRANT_KEY = 'qdrant-secret-key';
  try {
    const ok = await runNode(store, { config: { url: qdrant.url, apiKeyEnv: 'PIPELANE_TEST_QDRANT_KEY' }, items: [{ item: await embedded(['bread']) }] });
    assert.deepEqual(ok.errors, []);
    assert.ok(qdrant.requests.every((request) => request.headers['api-key'] === 'qdrant-secret-key'));
    process.env.PIPELANE_TEST_QDRANT_KEY = 'wrong-key';
    const refused = await runNode(store, { config: { url: qdrant.url, apiKeyEnv: 'PIPELANE_TEST_QDRANT_KEY' }, items: [{ item: await embedded(['cats']) }] });
    assert.equal(refused.errors[0]?.code, 'STORE_AUTH_FAILED');
    assert.doesNotMatch(refused.errors[0]!.message, /wrong-key/);
  } finally {
    delete process.env.PIPELANE_TEST_QDRANT_KEY;
  }
  await assert.rejects(runNode(store, { config: { url: qdrant.url, apiKeyEnv: 'PIPELANE_TEST_QDRANT_KEY' } }), {
    code: 'MISSING_ENV_VARIABLE',
    path: '/config/apiKeyEnv',
  });
});

test('nothing listening at the URL: STORE_UNAVAILABLE, retryable, naming the URL', async () => {
  const closed = await startQdrantDouble();
  await closed.close();
  const result = await runNode(store, { config: { url: closed.url, collection: 'docs' }, items: [{ item: await embedded(['bread']) }] });
  const error = result.errors[0]!;
  assert.equal(error.code, 'STORE_UNAVAILABLE');
  assert.equal(error.retryable, true);
  assert.ok(error.message.includes(`${closed.url} is unreachable (connection refused)`), error.message);
});
