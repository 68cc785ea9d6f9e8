import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { modelHistory, modelKey, modelStats, shutdownModels } from '../../../src/models/index.js';
import { runNode, type Document } from '../../../src/node-kit/index.js';
import embedTransformers from '../../../nodes/embed/transformers/node.js';

// The real tiny-bert model through the real hub: what the issue asks of the micro-batcher and eviction.
const modelPath = new URL('../../fixtures/models/tiny-bert', import.meta.url).pathname;

after(() => shutdownModels());

const words = ['apple', 'river', 'castle', 'violin', 'comet', 'harbor', 'lantern', 'meadow', 'pepper', 'saddle', 'tundra', 'walnut'];
/** Run `index`'s own chunks: different words and lengths, so vectors differ from run to run. */
const chunksOf = (index: number): Document[] =>
  Array.from({ length: 1 + (index % 4) }, (_, chunk) => ({
    id: `run${index}-chunk${chunk}`,
    text: `${words[index % words.length]} ${words[(index * 7 + chunk) % words.length]} number ${index} part ${chunk}`.repeat(1 + ((index + chunk) % 3)),
    metadata: { run: index },
  }));

const embed = (documents: Document[], config: Record<string, unknown> = {}) =>
  runNode(embedTransformers, { config: { modelPath, ...config }, items: [{ lane: 'documents', item: documents }] });

test('40 concurrent runs embedding through the shared batcher each get exactly their own vectors, in shared batches', async () => {
  const runs = Array.from({ length: 40 }, (_, index) => chunksOf(index));
  // What each chunk's vector is when it is embedded on its own (batch of one, nothing else running).
  const alone = new Map<string, number[]>();
  for (const documents of runs.slice(0, 12)) {
    for (const document of documents) {
      const result = await embed([document], { batchSize: 1 });
      alone.set(document.id, (result.emitted[0]!.item as Document[])[0]!.embedding!);
    }
  }
  const results = await Promise.all(runs.map((documents) => embed(documents)));
  results.forEach((result, index) => {
    assert.deepEqual(result.errors, []);
    const embedded = result.emitted[0]!.item as Document[];
    assert.deepEqual(
      embedded.map((document) => document.id),
      runs[index]!.map((document) => document.id),
      `run ${index} got its own documents back`,
    );
    for (const document of embedded) {
      const expected = alone.get(document.id);
      if (expected === undefined) continue;
      document.embedding!.forEach((value, position) => assert.ok(Math.abs(value - expected[position]!) < 1e-5, `${document.id}[${position}] differs from its own vector`));
    }
  });
  const batchSizes = results.map((result) => result.attributes['model.batchSize'] as number);
  assert.ok(Math.max(...batchSizes) > 4, `texts of several runs shared a model call (largest batch ${Math.max(...batchSizes)})`);
  const batcher = modelStats().find((stats) => stats.key.startsWith('batch.embed.transformers:') && stats.key.includes('pooling=mean') && stats.key.includes('maxBatch=32'));
  const texts = runs.flat().length;
  assert.ok(batcher !== undefined && (batcher.batches ?? 0) < texts / 3, `${batcher?.batches} model calls for ${texts} texts of 40 runs`);
  for (const result of results) for (const name of ['model.queueWaitMs', 'model.batchSize', 'model.workers']) assert.equal(typeof result.attributes[name], 'number', name);
});

test('an idle model is evicted after its TTL and loaded again on the next use, giving the same vectors', async () => {
  const previous = process.env.PIPELANE_MODEL_TTL_MS;
  process.env.PIPELANE_MODEL_TTL_MS = '150';
  try {
    // A copy of the config with another batch size: its own batcher, made under the short TTL.
    await shutdownModels();
    const key = modelKey({ kind: 'embed.transformers', model: modelPath, options: { dtype: 'fp32' } });
    const document = chunksOf(5)[0]!;
    const before = modelHistory(key);
    const first = await embed([document], { batchSize: 7 });
    assert.equal(modelStats().find((stats) => stats.key === key)?.workers, 1, 'loaded');
    await sleep(700);
    assert.equal(modelStats().some((stats) => stats.key === key), false, 'unloaded after its TTL');
    assert.deepEqual(modelHistory(key), { loads: before.loads + 1, evictions: before.evictions + 1 });
    const second = await embed([document], { batchSize: 7 });
    assert.deepEqual(modelHistory(key), { loads: before.loads + 2, evictions: before.evictions + 1 }, 'loaded again');
    assert.deepEqual((second.emitted[0]!.item as Document[])[0]!.embedding, (first.emitted[0]!.item as Document[])[0]!.embedding);
  } finally {
    if (previous === undefined) delete process.env.PIPELANE_MODEL_TTL_MS;
    else process.env.PIPELANE_MODEL_TTL_MS = previous;
  }
});
