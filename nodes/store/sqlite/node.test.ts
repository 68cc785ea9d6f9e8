import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { runNode, type Document, type QuestionItem } from '../../../src/node-kit/index.js';
import storeSqlite, { defaultStorePath } from './node.js';
import { SqliteVectorStore } from './sqlite-vector-store.js';

const directory = mkdtempSync(join(tmpdir(), 'pipelane-store-sqlite-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(directory, `vectors-${++files}.db`);

function documents(count: number, dimension: number, prefix = 'doc'): Document[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    text: `text ${index}`,
    metadata: { source: 'a.pdf', page: (index % 3) + 1, scanned: index % 2 === 0 },
    embedding: Array.from({ length: dimension }, (_, axis) => (axis === index % dimension ? 1 : 0.01)),
  }));
}

const signal = new AbortController().signal;

test('documents are written to the file and upserting the same ids replaces, not duplicates', async () => {
  const path = freshPath();
  const first = await runNode(storeSqlite, { config: { path, collection: 'papers', batchSize: 4 }, items: [{ item: documents(10, 8) }] });
  assert.deepEqual(first.problems, []);
  assert.deepEqual(first.errors, []);
  const changed = documents(10, 8).map((document) => ({ ...document, text: `${document.text} (v2)` }));
  await runNode(storeSqlite, { config: { path, collection: 'papers' }, items: [{ item: changed }] });
  const db = new Database(path, { readonly: true });
  sqliteVec.load(db);
  assert.equal((db.prepare('SELECT count(*) AS n FROM papers_documents').get() as { n: number }).n, 10);
  assert.equal((db.prepare("SELECT text FROM papers_documents WHERE id = 'doc-3'").get() as { text: string }).text, 'text 3 (v2)');
  assert.equal((db.prepare('SELECT count(*) AS n FROM papers_vectors').get() as { n: number }).n, 10);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

test('a question gets the nearest documents with cosine scores and their embeddings', async () => {
  const path = freshPath();
  await runNode(storeSqlite, { config: { path }, items: [{ item: documents(6, 6) }] });
  const query = Array.from({ length: 6 }, (_, axis) => (axis === 4 ? 1 : 0));
  const result = await runNode(storeSqlite, { config: { path, topK: 2 }, items: [{ lane: 'question', item: { text: 'q', embedding: query } }] });
  assert.deepEqual(result.problems, []);
  const question = result.emitted.find((entry) => entry.lane === 'question')!.item as QuestionItem;
  assert.deepEqual(question.context!.map((document) => document.id).slice(0, 1), ['doc-4']);
  assert.equal(question.context!.length, 2);
  assert.ok(Math.abs((question.context![0]!.metadata.score as number) - 0.9999) < 0.01);
  assert.equal(question.context![0]!.embedding!.length, 6);
  assert.equal(question.context![0]!.metadata.page, 2);
});

test('metadata filters are equality on keys, numbers and booleans included', async () => {
  const store = new SqliteVectorStore(freshPath());
  await store.upsert('c', documents(9, 4) as Array<Document & { embedding: number[] }>, signal);
  const hits = await store.query('c', [1, 0, 0, 0], { topK: 10, filter: { page: 1, scanned: true } });
  assert.deepEqual(hits.map((hit) => hit.id).sort(), ['doc-0', 'doc-6']);
  assert.deepEqual(await store.query('c', [1, 0, 0, 0], { topK: 10, filter: { source: 'b.pdf' } }), []);
  await store.close();
});

test('delete removes documents and vectors by id and counts what existed', async () => {
  const store = new SqliteVectorStore(freshPath());
  await store.upsert('c', documents(5, 4) as Array<Document & { embedding: number[] }>, signal);
  assert.equal(await store.delete('c', ['doc-1', 'doc-2', 'missing']), 2);
  assert.equal(store.count('c'), 3);
  assert.equal((await store.query('c', [0, 1, 0, 0], { topK: 5 })).some((hit) => hit.id === 'doc-1'), false);
  assert.equal(await store.delete('unknown', ['doc-1']), 0);
  await store.close();
});

test('a collection created at 8 dimensions refuses 4-dimension documents and keeps its rows', async () => {
  const path = freshPath();
  await runNode(storeSqlite, { config: { path }, items: [{ item: documents(3, 8) }] });
  const result = await runNode(storeSqlite, { config: { path }, items: [{ item: documents(5, 4, 'other') }] });
  assert.equal(result.errors[0]?.code, 'STORE_DIMENSION_MISMATCH');
  const store = new SqliteVectorStore(path);
  assert.equal(store.count('documents'), 3);
  assert.equal(await store.dimension('documents'), 8);
  await store.close();
});

test('the default file is vectors.db under PIPELANE_HOME', () => {
  assert.equal(defaultStorePath({ PIPELANE_HOME: join(directory, 'home') }), join(directory, 'home', 'vectors.db'));
  assert.match(defaultStorePath({}), /\.pipelane\/vectors\.db$/);
});

test('an unopenable path fails with STORE_OPEN_FAILED', () => {
  const notADirectory = freshPath();
  writeFileSync(notADirectory, 'a file, not a directory');
  assert.throws(() => new SqliteVectorStore(join(notADirectory, 'vectors.db')), { code: 'STORE_OPEN_FAILED' });
});
