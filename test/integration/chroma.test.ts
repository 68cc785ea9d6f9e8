import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import embedHash from '../../nodes/embed/hash/node.js';
import { ChromaVectorStore } from '../../nodes/store/chroma/chroma-store.js';
import chroma from '../../nodes/store/chroma/node.js';
import { embeddedChromaServer, freePort, heartbeat, startChromaServer, stopEmbeddedChromaServers, type ChromaServer } from '../../src/models/chroma-server.js';
import { runNode, type Document, type PipelaneError, type QuestionItem } from '../../src/node-kit/index.js';

// A real Chroma server (the chromadb package's own CLI) on a temporary data folder.
let root: string;
let server: ChromaServer;

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pipelane-chroma-'));
  server = await startChromaServer({ path: path.join(root, 'main') });
});

after(async () => {
  await server?.stop();
  await stopEmbeddedChromaServers();
  rmSync(root, { recursive: true, force: true });
});

const texts: Record<string, string> = {
  bread: 'Knead the dough, let it rise for an hour, then bake the bread at 220 degrees until the crust is brown.',
  cats: 'Cats sleep most of the day and hunt mice at night; a cat purrs when it is content.',
  quantum: 'Quantum entanglement links the states of two particles however far apart they are measured.',
  tax: 'The invoice total includes value added tax at twenty percent, payable within thirty days.',
};

async function embedded(ids: string[], dimensions = 64): Promise<Document[]> {
  const documents = ids.map((id) => ({ id, text: texts[id]!, metadata: { source: `${id}.txt`, page: 1, layout: { column: 2 }, tags: ['a', 'b'] } }));
  const result = await runNode(embedHash, { config: { dimensions }, items: [{ item: documents }] });
  return result.emitted[0]!.item as Document[];
}

async function embeddedQuestion(text: string, dimensions = 64): Promise<QuestionItem> {
  const result = await runNode(embedHash, { config: { dimensions }, items: [{ lane: 'question', item: { text } }] });
  return result.emitted[0]!.item as QuestionItem;
}

async function count(url: string, collection: string): Promise<number> {
  const store = new ChromaVectorStore({ url });
  try {
    return await store.count(collection);
  } finally {
    await store.close();
  }
}

test('upserted documents are found again: the right one first, score = 1 - cosine distance', async () => {
  const config = { url: server.url, collection: 'recipes', topK: 3 };
  const ingest = await runNode(chroma, { config, items: [{ item: await embedded(['bread', 'cats', 'quantum', 'tax']) }] });
  assert.deepEqual(ingest.errors, []);
  assert.equal(ingest.attributes['store.written'], 4);

  const ask = await runNode(chroma, { config, items: [{ lane: 'question', item: await embeddedQuestion('How long should the bread dough rise before you bake it?') }] });
  assert.deepEqual(ask.problems, []);
  const question = ask.emitted.find((emitted) => emitted.lane === 'question')!.item as QuestionItem;
  const context = question.context!;
  assert.equal(context.length, 3);
  assert.equal(context[0]!.id, 'bread');
  assert.equal(context[0]!.text, texts.bread);
  // Chroma keeps scalars only: nested objects come back flattened, arrays are left out.
  assert.deepEqual(context[0]!.metadata, { source: 'bread.txt', page: 1, 'layout.column': 2, score: context[0]!.metadata.score });
  const scores = context.map((document) => document.metadata.score as number);
  assert.ok(scores[0]! > 0.3 && scores[0]! <= 1, `top score ${scores[0]}`);
  assert.ok(scores[0]! > scores[1]! + 0.1, `scores ${scores.join(', ')}`);
  assert.ok(scores.every((score, index) => index === 0 || score <= scores[index - 1]!), 'best first');
});

test('a metadata filter (several keys) keeps only matching documents', async () => {
  const config = { url: server.url, collection: 'filtered', filter: { source: 'cats.txt', page: 1 } };
  await runNode(chroma, { config, items: [{ item: await embedded(['bread', 'cats', 'tax']) }] });
  const ask = await runNode(chroma, { config, items: [{ lane: 'question', item: await embeddedQuestion('bake the bread') }] });
  const question = ask.emitted.find((emitted) => emitted.lane === 'question')!.item as QuestionItem;
  assert.deepEqual(question.context!.map((document) => document.id), ['cats']);
});

test('upserting the same ids again replaces them: the collection count does not grow', async () => {
  const config = { url: server.url, collection: 'reingest' };
  const documents = await embedded(['bread', 'cats', 'quantum']);
  await runNode(chroma, { config, items: [{ item: documents }] });
  assert.equal(await count(server.url, 'reingest'), 3);
  const changed = documents.map((document) => ({ ...document, metadata: { ...document.metadata, revision: 2 } }));
  const again = await runNode(chroma, { config, items: [{ item: changed }, { item: documents.slice(0, 1) }] });
  assert.deepEqual(again.errors, []);
  assert.equal(await count(server.url, 'reingest'), 3);
});

test('documents of another dimension fail with STORE_DIMENSION_MISMATCH and write nothing', async () => {
  const config = { url: server.url, collection: 'fixed64' };
  await runNode(chroma, { config, items: [{ item: await embedded(['bread', 'cats']) }] });
  const mismatch = await runNode(chroma, { config, items: [{ item: await embedded(['quantum', 'tax'], 32) }] });
  assert.equal(mismatch.errors.length, 1);
  assert.equal(mismatch.errors[0]!.code, 'STORE_DIMENSION_MISMATCH');
  assert.deepEqual(mismatch.errors[0]!.details, { expected: 64, got: 32 });
  assert.equal(mismatch.emitted.length, 0);
  assert.equal(await count(server.url, 'fixed64'), 2);
});

test('a server killed mid-ingest: the error says how many documents were written, and the restarted server holds exactly those', async () => {
  const dataPath = path.join(root, 'crash');
  const victim = await startChromaServer({ path: dataPath });
  const total = 600;
  const batchSize = 20;
  const killAfterBatches = 5;
  const documents: Document[] = Array.from({ length: total }, (_, index) => ({
    id: `doc-${index}`,
    text: `document number ${index}`,
    metadata: { index },
    embedding: Array.from({ length: 16 }, (_, position) => Math.sin(index * 16 + position)),
  }));

  // Kill the server right after the Nth upsert is acknowledged, before the next one is sent:
  // everything acknowledged must survive, nothing more was sent.
  const realFetch = globalThis.fetch;
  let upserts = 0;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await realFetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/upsert') && response.ok) {
      upserts += 1;
      if (upserts === killAfterBatches) await victim.kill();
    }
    return response;
  };
  let result;
  try {
    result = await runNode(chroma, { config: { url: victim.url, collection: 'crash', batchSize }, items: [{ item: documents }] });
  } finally {
    globalThis.fetch = realFetch;
  }

  assert.equal(result.errors.length, 1, 'one typed error');
  const error: PipelaneError = result.errors[0]!;
  assert.ok(['STORE_WRITE_FAILED', 'STORE_UNAVAILABLE'].includes(error.code), error.code);
  assert.equal(error.retryable, true);
  assert.equal(error.details?.written, killAfterBatches * batchSize);
  assert.match(error.message, new RegExp(`wrote ${killAfterBatches * batchSize} of ${total}`));
  assert.match(error.message, new RegExp(victim.url.replace(/[.]/g, '\\.')), 'names the server URL');
  assert.equal(result.emitted.length, 0, 'a failed batch is not passed on');

  const restarted = await startChromaServer({ path: dataPath });
  try {
    assert.equal(await count(restarted.url, 'crash'), error.details?.written, 'nothing acknowledged was lost, nothing more was stored');
  } finally {
    await restarted.stop();
  }
});

test('a URL where no server listens fails with STORE_UNAVAILABLE naming the URL', async () => {
  const dead = await startChromaServer({ path: path.join(root, 'dead') });
  const url = dead.url;
  await dead.stop();
  await assert.rejects(
    runNode(chroma, { config: { url, collection: 'nothing' }, items: [] }),
    (error: PipelaneError) => error.code === 'STORE_UNAVAILABLE' && error.retryable && error.message.includes(url),
  );
});

test('embedded: one server per data folder, shared by every run of the process', async () => {
  const dataPath = path.join(root, 'embedded');
  const config = { embedded: { path: dataPath }, collection: 'shared' };
  await runNode(chroma, { config, items: [{ item: await embedded(['bread', 'tax']) }] });
  const ask = await runNode(chroma, { config, items: [{ lane: 'question', item: await embeddedQuestion('What is the tax rate on the invoice?') }] });
  const question = ask.emitted.find((emitted) => emitted.lane === 'question')!.item as QuestionItem;
  assert.equal(question.context![0]!.id, 'tax');
  const shared = await embeddedChromaServer(dataPath);
  assert.equal(await count(shared.url, 'shared'), 2);
  assert.equal((await embeddedChromaServer(dataPath)).pid, shared.pid);
  await stopEmbeddedChromaServers();
  assert.equal(shared.exited, true);
});

test('a taken port fails with CHROMA_START_FAILED at once instead of sharing it', async () => {
  await assert.rejects(startChromaServer({ path: path.join(root, 'second'), port: server.port }), (error: PipelaneError) => {
    assert.equal(error.code, 'CHROMA_START_FAILED');
    assert.match(error.message, new RegExp(`Port ${server.port}`));
    return true;
  });
});

test('CHROMA_START_FAILED carries the server output when the process ends before its heartbeat', async () => {
  // 10.255.255.1 is no address of this machine: Chroma cannot bind it and exits.
  await assert.rejects(startChromaServer({ path: path.join(root, 'unbindable'), host: '10.255.255.1', port: 18_999, timeoutMs: 10_000 }), (error: PipelaneError) => {
    assert.equal(error.code, 'CHROMA_START_FAILED');
    assert.match(error.message, /the process ended/);
    assert.match(String(error.details?.outputTail), /not available/);
    return true;
  });
});

test('`pipelane chroma start` prints the URL, serves, and stops the server on Ctrl-C (SIGINT)', async () => {
  const port = await freePort();
  const cli = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/cli/main.ts'), 'chroma', 'start', '--path', path.join(root, 'cli'), '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string | null>((resolve) => cli.once('exit', (code, signal) => resolve(code ?? signal)));
  let stdout = '';
  const printed = await new Promise<string>((resolve, reject) => {
    cli.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('\n')) resolve(stdout.trim());
    });
    void exited.then((code) => reject(new Error(`exited early with ${code}`)));
  });
  assert.equal(printed, `http://127.0.0.1:${port}`);
  assert.equal(await heartbeat(printed), true);
  cli.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.equal(await heartbeat(printed), false, 'the server is gone');
});
