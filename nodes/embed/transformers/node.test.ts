import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { isPipelaneError, runNode, type Document, type QuestionItem } from '../../../src/node-kit/index.js';
import { modelStats, shutdownModels } from '../../../src/models/index.js';
import node from './node.js';

after(() => shutdownModels());

const modelPath = new URL('../../../test/fixtures/models/tiny-bert', import.meta.url).pathname;
const modelsDir = new URL('../../../test/fixtures/models', import.meta.url).pathname;

const documents: Document[] = [
  { id: 'a', text: 'the cat sat on the mat', metadata: { source: 'a.txt' } },
  { id: 'b', text: 'hello world', metadata: { source: 'b.txt', page: 2 } },
  { id: 'c', text: 'a dog', metadata: { source: 'c.txt' } },
];
const question: QuestionItem = { text: 'where did the cat sit?', meta: { source: 'cli' } };

const norm = (vector: number[]) => Math.hypot(...vector);

async function embed(config: Record<string, unknown>, items: Array<{ lane: 'documents' | 'question'; item: unknown }>) {
  const result = await runNode(node, { config, items });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  return result;
}

test('tiny-bert from a local folder embeds documents and a question to 16-dimension unit vectors', async () => {
  const result = await embed({ modelPath }, [
    { lane: 'documents', item: documents },
    { lane: 'question', item: question },
  ]);
  assert.deepEqual(result.emitted.map((emitted) => emitted.lane), ['documents', 'question']);
  const embedded = result.emitted[0]!.item as Document[];
  assert.deepEqual(embedded.map(({ embedding, ...rest }) => rest), documents, 'ids, text and metadata unchanged');
  for (const document of embedded) {
    assert.equal(document.embedding!.length, 16);
    assert.ok(Math.abs(norm(document.embedding!) - 1) < 1e-5, `norm ${norm(document.embedding!)}`);
  }
  assert.notDeepEqual(embedded[0]!.embedding, embedded[1]!.embedding, 'different texts, different vectors');
  const asked = result.emitted[1]!.item as QuestionItem;
  assert.equal(asked.text, question.text);
  assert.deepEqual(asked.meta, question.meta);
  assert.equal(asked.embedding!.length, 16);
  assert.ok(Math.abs(norm(asked.embedding!) - 1) < 1e-5);
  assert.equal(documents[0]!.embedding, undefined, 'the input documents are not changed');
  assert.equal(result.attributes['embedding.model'], 'tiny-bert');
  assert.equal(result.attributes['embedding.dim'], 16);
});

test('the same text gives the same vector, in any batch and any run', async () => {
  const first = await embed({ modelPath, batchSize: 1 }, [{ lane: 'documents', item: documents }]);
  const second = await embed({ modelPath, batchSize: 3 }, [{ lane: 'documents', item: [...documents].reverse() }]);
  const byId = (item: unknown) => new Map((item as Document[]).map((document) => [document.id, document.embedding!]));
  const one = byId(first.emitted[0]!.item);
  const two = byId(second.emitted[0]!.item);
  for (const id of ['a', 'b', 'c']) {
    one.get(id)!.forEach((value, index) => assert.ok(Math.abs(value - two.get(id)![index]!) < 1e-6, `${id}[${index}]`));
  }
  assert.equal(first.attributes['embedding.batches'], 3);
  assert.equal(second.attributes['embedding.batches'], 1);
});

test('cls pooling and normalize: false give other vectors than mean pooling', async () => {
  const vectorOf = async (config: Record<string, unknown>) =>
    ((await embed({ modelPath, ...config }, [{ lane: 'question', item: question }])).emitted[0]!.item as QuestionItem).embedding!;
  const mean = await vectorOf({});
  const cls = await vectorOf({ pooling: 'cls' });
  const raw = await vectorOf({ normalize: false });
  assert.notDeepEqual(mean, cls);
  assert.ok(Math.abs(norm(cls) - 1) < 1e-5);
  assert.ok(Math.abs(norm(raw) - 1) > 1e-3, `unnormalized norm ${norm(raw)}`);
  raw.forEach((value, index) => assert.ok(Math.abs(value / norm(raw) - mean[index]!) < 1e-5));
});

test('two runs share one model load through the hub', async () => {
  const loaded = () => modelStats().filter((stats) => stats.key.startsWith('embed.transformers:') && stats.key.includes('tiny-bert'));
  const batchers = () => modelStats().filter((stats) => stats.key.startsWith('batch.embed.transformers:') && stats.key.includes('tiny-bert'));
  await embed({ modelsDir, model: 'tiny-bert' }, [{ lane: 'question', item: question }]);
  const createdAfterFirst = loaded().reduce((sum, stats) => sum + (stats.created ?? 0), 0);
  const result = await embed({ modelsDir, model: 'tiny-bert', pooling: 'cls' }, [{ lane: 'question', item: question }]);
  const pools = loaded();
  assert.equal(pools.length, 1, 'one pool for the folder, whatever the pooling');
  assert.equal(pools[0]!.created, createdAfterFirst, 'the second run loaded nothing');
  assert.equal(pools[0]!.created, 1);
  assert.equal(pools[0]!.references, batchers().length, 'held only by the batchers in front of it');
  assert.ok(batchers().every((stats) => stats.references === 0), 'both runs gave their references back');
  assert.match(String(result.attributes['model.key']), /^batch\.embed\.transformers:.*tiny-bert.*pooling=cls/);
  assert.deepEqual([result.attributes['model.batchSize'], result.attributes['model.workers']], [1, 1]);
  assert.equal(typeof result.attributes['model.queueWaitMs'], 'number');
});

test('a model id not on disk is EMBED_MODEL_UNAVAILABLE naming the folder, without touching the network', async () => {
  const realFetch = globalThis.fetch;
  const fetched: string[] = [];
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0]) => {
    fetched.push(String(input));
    throw new Error('no network in this test');
  }) as typeof fetch;
  try {
    await assert.rejects(runNode(node, { config: { modelsDir, model: 'Xenova/all-MiniLM-L6-v2' }, items: [] }), (error: unknown) => {
      assert.ok(isPipelaneError(error));
      assert.equal(error.code, 'EMBED_MODEL_UNAVAILABLE');
      assert.equal(error.path, '/config/model');
      assert.match(error.message, /models\/Xenova\/all-MiniLM-L6-v2/);
      assert.match(error.message, /remote loading is off/);
      return true;
    });
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(fetched, []);
});

test('allowRemote: true takes the real download path (here refused by a stubbed fetch) into modelsDir', async () => {
  const realFetch = globalThis.fetch;
  const fetched: string[] = [];
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0]) => {
    fetched.push(String(input));
    return new Response('not here', { status: 404, statusText: 'Not Found' });
  }) as typeof fetch;
  const cache = mkdtempSync(join(os.tmpdir(), 'embed-cache-'));
  try {
    await assert.rejects(runNode(node, { config: { modelsDir: cache, model: 'Xenova/all-MiniLM-L6-v2', allowRemote: true } }), {
      code: 'EMBED_MODEL_UNAVAILABLE',
      message: /Embedding model "Xenova\/all-MiniLM-L6-v2" could not be loaded/,
    });
  } finally {
    globalThis.fetch = realFetch;
    rmSync(cache, { recursive: true, force: true });
  }
  assert.ok(fetched.some((url) => url.includes('Xenova/all-MiniLM-L6-v2')), `fetched ${fetched.join(', ')}`);
});

test('a folder without ONNX weights or config.json says what is missing', async () => {
  const folder = mkdtempSync(join(os.tmpdir(), 'embed-model-'));
  try {
    cpSync(modelPath, folder, { recursive: true });
    rmSync(join(folder, 'onnx'), { recursive: true });
    await assert.rejects(runNode(node, { config: { modelPath: folder } }), { code: 'EMBED_MODEL_UNAVAILABLE', message: /has no onnx\/model\.onnx or onnx\/model_quantized\.onnx/ });
    writeFileSync(join(folder, 'config.json'), '{not json');
    await assert.rejects(runNode(node, { config: { modelPath: folder } }), { code: 'EMBED_MODEL_UNAVAILABLE', message: /no readable config\.json/ });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('dimensions that differ from the model is EMBED_DIMENSION_MISMATCH at open', async () => {
  await assert.rejects(runNode(node, { config: { modelPath, dimensions: 384 } }), (error: unknown) => {
    assert.ok(isPipelaneError(error));
    assert.equal(error.code, 'EMBED_DIMENSION_MISMATCH');
    assert.equal(error.path, '/config/dimensions');
    assert.match(error.message, /"tiny-bert" gives 16-dimension vectors .*dimensions: 384/);
    return true;
  });
  await embed({ modelPath, dimensions: 16 }, [{ lane: 'question', item: question }]);
});

test('attributes: dimension and model when dimensions is stated, nothing claimed otherwise', () => {
  const parse = (config: Record<string, unknown>) => node.config.parse(config);
  const tiny = { embedding: { dim: 16, model: 'tiny-bert' } };
  assert.deepEqual(node.attributes!(parse({ modelPath, dimensions: 16 }), {}), { documents: tiny, question: tiny });
  const bge = { embedding: { dim: 384, model: 'Xenova/bge-small-en-v1.5' } };
  assert.deepEqual(node.attributes!(parse({ modelsDir, model: 'Xenova/bge-small-en-v1.5', dimensions: 384 }), {}), { documents: bge, question: bge });
  assert.deepEqual(node.attributes!(parse({ modelPath }), {}), {});
});

test('config needs a model folder or a model id with somewhere to find it', () => {
  assert.throws(() => node.config.parse({}), /set modelPath, or model/);
  assert.throws(() => node.config.parse({ model: 'Xenova/all-MiniLM-L6-v2' }), /needs modelsDir/);
  assert.doesNotThrow(() => node.config.parse({ model: 'Xenova/all-MiniLM-L6-v2', allowRemote: true }));
});
