import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runNode, type Document } from '../../../src/node-kit/index.js';
import { defineStoreNode } from './define-store-node.js';
import { MemoryVectorStore } from './memory-store.js';
import { storeConfigSchema } from './store-config.js';
import type { EmbeddedDocument } from './vector-store.js';

/** A memory store that survives the node's close() so tests can count, and can fail on demand. */
class TestStore extends MemoryVectorStore {
  upserts = 0;
  failOnUpsert: number | undefined;
  onUpsert: (() => void) | undefined;
  closed = 0;
  override async upsert(collection: string, documents: EmbeddedDocument[], signal: AbortSignal): Promise<void> {
    this.upserts += 1;
    if (this.failOnUpsert === this.upserts) throw new Error('disk full');
    await super.upsert(collection, documents, signal);
    this.onUpsert?.();
  }
  override async close(): Promise<void> {
    this.closed += 1;
  }
}

function storeNode(store: TestStore) {
  return defineStoreNode({
    type: 'store.test',
    title: 'Test store',
    description: 'A store for tests.',
    config: storeConfigSchema,
    connect: async () => store,
  });
}

function documents(count: number, dimension: number, prefix = 'doc'): Document[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    text: `text ${index}`,
    metadata: { source: 'a.pdf', page: (index % 3) + 1 },
    embedding: Array.from({ length: dimension }, (_, axis) => (axis === index % dimension ? 1 : 0.01)),
  }));
}

test('documents are upserted in batches, passed on, and re-ingesting does not duplicate', async () => {
  const store = new TestStore();
  const items = [{ item: documents(10, 4) }];
  const first = await runNode(storeNode(store), { config: { batchSize: 3 }, items });
  assert.deepEqual(first.problems, []);
  assert.equal(store.upserts, 4);
  assert.equal(first.emitted[0]!.lane, 'documents');
  assert.equal((first.emitted[0]!.item as Document[]).length, 10);
  await runNode(storeNode(store), { config: { batchSize: 3 }, items });
  assert.equal(store.count('documents'), 10);
  assert.equal(store.closed, 2);
});

test('documents without embeddings fail with STORE_NEEDS_EMBEDDINGS naming embed.*', async () => {
  const store = new TestStore();
  const bare = documents(2, 4).map(({ embedding: _embedding, ...document }) => document);
  const result = await runNode(storeNode(store), { items: [{ item: bare }] });
  assert.equal(result.errors[0]?.code, 'STORE_NEEDS_EMBEDDINGS');
  assert.match(result.errors[0]!.hint, /embed\./);
  assert.equal(store.count('documents'), 0);
});

test('a collection of another dimension refuses the batch and nothing is written', async () => {
  const store = new TestStore();
  await runNode(storeNode(store), { items: [{ item: documents(3, 4) }] });
  const result = await runNode(storeNode(store), { items: [{ item: documents(5, 8, 'other') }] });
  assert.equal(result.errors[0]?.code, 'STORE_DIMENSION_MISMATCH');
  assert.deepEqual(result.errors[0]?.details, { expected: 4, got: 8 });
  assert.equal(store.count('documents'), 3);
});

test('a failure mid-way says how many documents were written before it', async () => {
  const store = new TestStore();
  store.failOnUpsert = 3;
  const result = await runNode(storeNode(store), { config: { batchSize: 4 }, items: [{ item: documents(10, 4) }] });
  const error = result.errors[0]!;
  assert.equal(error.code, 'STORE_WRITE_FAILED');
  assert.equal(error.details?.written, 8);
  assert.match(error.message, /wrote 8 of 10 documents/);
  assert.equal(store.count('documents'), 8);
});

test('no write after the signal aborts', async () => {
  const store = new TestStore();
  const controller = new AbortController();
  store.onUpsert = () => controller.abort();
  await assert.rejects(runNode(storeNode(store), { config: { batchSize: 2 }, signal: controller.signal, items: [{ item: documents(10, 4) }] }));
  assert.equal(store.upserts, 1);
  assert.equal(store.count('documents'), 2);
});

test('a question with an embedding gets the topK hits as context with their score', async () => {
  const store = new TestStore();
  await runNode(storeNode(store), { items: [{ item: documents(4, 4) }] });
  const result = await runNode(storeNode(store), {
    config: { topK: 2, filter: { page: 2 } },
    items: [{ lane: 'question', item: { text: 'q', embedding: [0, 1, 0, 0] } }],
  });
  assert.deepEqual(result.problems, []);
  const question = result.emitted.find((entry) => entry.lane === 'question')!.item as { context: Document[] };
  assert.deepEqual(question.context.map((document) => document.id), ['doc-1']);
  assert.ok((question.context[0]!.metadata.score as number) > 0.9);
  assert.equal((result.emitted.find((entry) => entry.lane === 'documents')!.item as Document[]).length, 1);
});

test('requires() states the configured dimension for documents and question', () => {
  const node = storeNode(new TestStore());
  const config = storeConfigSchema.parse({ dimensions: 384 });
  assert.deepEqual(node.requires!(config), { documents: { embedding: { dim: 384 } }, question: { embedding: { dim: 384 } } });
  assert.deepEqual(node.requires!(storeConfigSchema.parse({})), {});
});

test('attributes() passes the documents attributes through, and gives question hits the question\'s', () => {
  const node = storeNode(new TestStore());
  const config = storeConfigSchema.parse({});
  const embedding = { dim: 384, model: 'hash-v1' };
  assert.deepEqual(node.attributes!(config, { documents: { embedding } }), { documents: { embedding } });
  assert.deepEqual(node.attributes!(config, { question: { embedding } }), { documents: { embedding }, question: { embedding } });
  assert.deepEqual(node.attributes!(config, {}), {});
});

test('a question before any ingest gets an empty context and a warning; another dimension is refused', async () => {
  const store = new TestStore();
  const empty = await runNode(storeNode(store), { config: { dimensions: 4 }, items: [{ lane: 'question', item: { text: 'q', embedding: [1, 0, 0, 0] } }] });
  assert.deepEqual((empty.emitted[0]!.item as { context: Document[] }).context, []);
  assert.match(empty.warnings[0]!, /does not exist yet/);
  await runNode(storeNode(store), { items: [{ item: documents(2, 4) }] });
  const mismatch = await runNode(storeNode(store), { items: [{ lane: 'question', item: { text: 'q', embedding: [1, 0] } }] });
  assert.equal(mismatch.errors[0]?.code, 'STORE_DIMENSION_MISMATCH');
  assert.doesNotMatch(mismatch.errors[0]!.message, /Nothing was written/);
});
