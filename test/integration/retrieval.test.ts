import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { loadRegistry } from '../../src/cli/app.js';
import { startChromaServer } from '../../src/models/chroma-server.js';
import { ChromaVectorStore } from '../../nodes/store/chroma/chroma-store.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import type { Document, QuestionItem, Registry } from '../../src/node-kit/index.js';
import { loadPipelineFile, validatePipeline, type Pipeline } from '../../src/pipeline/index.js';

const pdf = new URL('../fixtures/pdf/tracemonkey.pdf', import.meta.url).pathname;
const question = 'how are trace trees extended when a side exit becomes hot?';

let folder: string;
let registry: Registry;
let engine: Engine;
let ingest: Pipeline;
let ask: Pipeline;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'pipelane-retrieval-'));
  registry = await loadRegistry();
  engine = createEngine({ registry });
  ingest = (await loadPipelineFile(new URL('../../pipelines/ingest-pdf.pipe.json', import.meta.url).pathname)) as Pipeline;
  ask = (await loadPipelineFile(new URL('../../pipelines/ask.pipe.json', import.meta.url).pathname)) as Pipeline;
});
after(() => rm(folder, { recursive: true, force: true }));

/** The pipeline with every store.sqlite pointed at `path` (and other config changes by node id). */
function withStore(pipeline: Pipeline, path: string, changes: Record<string, Record<string, unknown>> = {}): Pipeline {
  const copy = structuredClone(pipeline);
  for (const node of copy.nodes) {
    if (node.type === 'store.sqlite') node.config = { ...node.config, path };
    if (changes[node.id]) node.config = { ...node.config, ...changes[node.id] };
  }
  return copy;
}

function countRows(path: string, collection = 'documents'): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM "${collection}_documents"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Ingests tracemonkey.pdf and asks the question; asserts the right chunk is in the top 3 with its page. */
async function ingestThenAsk(t: TestContext, ingestPipeline: Pipeline, askPipeline: Pipeline, countStored: () => Promise<number> | number): Promise<void> {
  const ingested = await engine.run({ pipeline: ingestPipeline, inputs: [{ path: pdf }] });
  assert.equal(ingested.status, 'succeeded', JSON.stringify(ingested.error));
  const stored = (ingested.outputs.stored as Document[][]).flat();
  assert.ok(stored.length > 50, `${stored.length} chunks`);
  assert.equal(await countStored(), stored.length);

  const answered = await engine.run({ pipeline: askPipeline, inputs: [{ text: question }] });
  assert.equal(answered.status, 'succeeded', JSON.stringify(answered.error));
  const context = (answered.outputs.context as Document[][]).flat();
  assert.equal(context.length, 3);
  t.diagnostic(context.map((document, rank) => `#${rank + 1} page ${document.metadata.page} score ${(document.metadata.score as number).toFixed(3)}: ${document.text.slice(0, 80).replace(/\s+/g, ' ')}`).join('\n'));
  // Section 3.2 (page 5): "When a side exit becomes hot, TraceMonkey starts a new branch trace from that point";
  // "Extending a tree" (pages 5-6): "there is a counter for each side exit ... recording starts".
  const right = context.findIndex(
    (document) => /side exits? becomes? hot/i.test(document.text) && /branch trace|extend/i.test(document.text.replace(/-\s*\n/g, '')),
  );
  assert.ok(right >= 0 && right < 3, 'no chunk about extending trees at hot side exits in the top 3');
  const page = context[right]!.metadata.page as number;
  assert.ok(page >= 4 && page <= 6, `page ${page}`);

  const prompt = (answered.outputs.prompt as QuestionItem[])[0]!;
  assert.ok(prompt.text.includes(`[${right + 1}] (tracemonkey.pdf, page ${page}, id ${context[right]!.id})`));
  assert.ok(prompt.text.endsWith(`Question: ${question}`));
  assert.deepEqual((prompt.meta!.citations as Array<{ id: string }>).map((citation) => citation.id), context.map((document) => document.id));
}

test('ingest tracemonkey.pdf, then ask: the chunk on extending trees at hot side exits is in the top 3 with its page', { timeout: 120_000 }, async (t) => {
  const path = join(folder, 'ask.db');
  await ingestThenAsk(t, withStore(ingest, path), withStore(ask, path), () => countRows(path));
});

test('the same ingest and question against a real Chroma server the test starts and stops', { timeout: 120_000 }, async (t) => {
  const server = await startChromaServer({ path: join(folder, 'chroma') });
  try {
    const toChroma = (pipeline: Pipeline): Pipeline => {
      const copy = structuredClone(pipeline);
      for (const node of copy.nodes) {
        if (node.type === 'store.sqlite') {
          node.type = 'store.chroma';
          node.config = { ...node.config, url: server.url };
        }
      }
      return copy;
    };
    const stored = async () => {
      const store = new ChromaVectorStore({ url: server.url });
      try {
        return await store.count('documents');
      } finally {
        await store.close();
      }
    };
    await ingestThenAsk(t, toChroma(ingest), toChroma(ask), stored);
  } finally {
    await server.stop();
  }
});

test('running the ingest again does not duplicate documents', { timeout: 120_000 }, async () => {
  const path = join(folder, 'twice.db');
  const first = await engine.run({ pipeline: withStore(ingest, path), inputs: [{ path: pdf }] });
  assert.equal(first.status, 'succeeded', JSON.stringify(first.error));
  const rows = countRows(path);
  const second = await engine.run({ pipeline: withStore(ingest, path), inputs: [{ path: pdf }] });
  assert.equal(second.status, 'succeeded', JSON.stringify(second.error));
  assert.equal(countRows(path), rows);
  assert.equal((second.outputs.stored as Document[][]).flat().length, rows);
});

test('256-dimension documents into a collection created at 384 fail with STORE_DIMENSION_MISMATCH and write nothing', { timeout: 120_000 }, async () => {
  const path = join(folder, 'mismatch.db');
  const created = await engine.run({ pipeline: withStore(ingest, path, { pdf: { pages: '1' } }), inputs: [{ path: pdf }] });
  assert.equal(created.status, 'succeeded', JSON.stringify(created.error));
  const rows = countRows(path);
  // No `dimensions` on the store: the validator cannot know, the store finds out at run time.
  const pipeline = withStore(ingest, path, { embed: { dimensions: 256 } });
  delete (pipeline.nodes.find((node) => node.id === 'store')!.config as Record<string, unknown>).dimensions;
  assert.equal(validatePipeline(pipeline, registry).valid, true);
  const mismatched = await engine.run({ pipeline, inputs: [{ path: pdf }] });
  assert.equal(mismatched.status, 'failed');
  assert.equal(mismatched.error?.code, 'STORE_DIMENSION_MISMATCH');
  assert.equal(mismatched.error?.path, '/nodes/4/config/collection');
  assert.match(mismatched.error!.message, /holds 384-dimension embeddings.*256 dimensions/);
  assert.equal(countRows(path), rows);
});

test('the validator catches embed.hash at 256 dimensions into store.sqlite at 384 before the run', async () => {
  const path = join(folder, 'never.db');
  const pipeline = withStore(ingest, path, { embed: { dimensions: 256 } });
  const result = validatePipeline(pipeline, registry);
  assert.equal(result.valid, false);
  const problem = result.problems.find((entry) => entry.code === 'LANE_ATTRIBUTE_MISMATCH');
  assert.ok(problem, JSON.stringify(result.problems));
  assert.equal(problem.path, '/nodes/4/inputs/0');
  assert.match(problem.message, /"store" \(store\.sqlite\) needs documents with embedding \{"dim":384\}, but "embed" \(embed\.hash\) gives \{"dim":256,"model":"hash-v1-n3"\}/);
  await assert.rejects(engine.run({ pipeline, inputs: [{ path: pdf }] }), { code: 'PIPELINE_INVALID' });
  assert.equal(existsSync(path), false);
});

test('the validator also catches a 256-dimension question embedding into a 384-dimension store', () => {
  const result = validatePipeline(withStore(ask, join(folder, 'never.db'), { embed: { dimensions: 256 } }), registry);
  const problem = result.problems.find((entry) => entry.code === 'LANE_ATTRIBUTE_MISMATCH');
  assert.ok(problem, JSON.stringify(result.problems));
  assert.equal(problem.path, '/nodes/2/inputs/0');
  assert.match(problem.message, /needs question with embedding \{"dim":384\}/);
});

test('a cancel mid-ingest: no document is written after the cancel', { timeout: 120_000 }, async () => {
  const path = join(folder, 'cancel.db');
  const controller = new AbortController();
  let rowsAtCancel: number | undefined;
  const result = await engine.run({
    pipeline: withStore(ingest, path),
    inputs: [{ path: pdf }],
    signal: controller.signal,
    onProgress(event) {
      // The store has written its first page of chunks: cancel, and count what is there now.
      if (event.nodeId === 'store' && event.kind === 'item-done' && rowsAtCancel === undefined) {
        rowsAtCancel = countRows(path);
        controller.abort();
      }
    },
  });
  assert.equal(result.status, 'cancelled');
  assert.ok(rowsAtCancel !== undefined && rowsAtCancel > 0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(countRows(path), rowsAtCancel);
  const db = new Database(path, { readonly: true });
  const pages = (db.prepare("SELECT count(DISTINCT json_extract(metadata, '$.page')) AS n FROM documents_documents").get() as { n: number }).n;
  db.close();
  assert.ok(pages < 14, `chunks of ${pages} of 14 pages were written`);
});
