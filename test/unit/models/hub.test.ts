import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireModel, getPool, hubSettings, modelHistory, modelKey, modelStats, shutdownModels, WorkerPool, type HubResource } from '../../../src/models/index.js';

after(() => shutdownModels());

/** A stand-in for a loaded model: counts loads and closes, and can be made busy. */
class FakeModel implements HubResource {
  static loads = 0;
  closed = false;
  busy = false;
  #idleSince: number | undefined = performance.now();
  constructor() {
    FakeModel.loads += 1;
  }
  async work(ms: number): Promise<void> {
    this.#idleSince = undefined;
    await sleep(ms);
    this.#idleSince = performance.now();
  }
  idleSince() {
    return this.#idleSince;
  }
  async close() {
    this.closed = true;
  }
  stats() {
    return { name: 'fake-model' };
  }
}

const fakePool = () =>
  new WorkerPool<{ id: number }>({ name: 'fake', max: 2, create: async () => ({ id: 1 }), terminate: () => {} });

describe('model hub', () => {
  it('makes one key per (kind, model, options), whatever the order of the options', () => {
    assert.equal(modelKey({ kind: 'tesseract', model: 'eng+fra', options: { osd: true, engine: 'lstm' } }), 'tesseract:eng+fra:engine=lstm,osd=true');
    assert.equal(modelKey({ kind: 'tesseract', model: 'eng+fra', options: { engine: 'lstm', osd: true } }), 'tesseract:eng+fra:engine=lstm,osd=true');
    assert.equal(modelKey({ kind: 'tesseract', model: 'eng', options: { engine: 'lstm', osd: undefined } }), 'tesseract:eng:engine=lstm');
    assert.equal(modelKey({ kind: 'embed.hash', model: 'hash-v1-n3' }), 'embed.hash:hash-v1-n3');
  });

  it('shares one resource per key and counts references; a second release is harmless', async () => {
    let made = 0;
    const factory = () => {
      made += 1;
      return fakePool();
    };
    const first = getPool('fake:a', factory);
    const second = getPool('fake:a', factory);
    assert.equal(first.pool, second.pool);
    assert.equal(made, 1);
    await first.pool.use(async () => 1);
    const stats = modelStats().find((entry) => entry.key === 'fake:a');
    assert.deepEqual([stats?.references, stats?.workers, stats?.loads, stats?.evictions], [2, 1, 1, 0]);
    first.release();
    first.release();
    assert.equal(modelStats().find((entry) => entry.key === 'fake:a')?.references, 1);
    second.release();
    assert.equal(modelStats().find((entry) => entry.key === 'fake:a')?.workers, 1, 'a warm pool outlives its last reference until its TTL');
  });

  it('evicts a model nobody holds once it has been idle for its TTL, and loads it again on the next use', async () => {
    FakeModel.loads = 0;
    const reference = acquireModel('fake:ttl', () => new FakeModel(), { ttlMs: 40 });
    const model = reference.resource;
    await sleep(80);
    assert.equal(model.closed, false, 'never evicted while held, however idle');
    reference.release();
    await sleep(20);
    assert.equal(model.closed, false, 'not before its TTL');
    await sleep(60);
    assert.equal(model.closed, true, 'evicted after its TTL');
    assert.equal(modelStats().some((entry) => entry.key === 'fake:ttl'), false);
    const again = acquireModel('fake:ttl', () => new FakeModel(), { ttlMs: 40 });
    assert.notEqual(again.resource, model);
    assert.equal(FakeModel.loads, 2);
    assert.deepEqual(modelHistory('fake:ttl'), { loads: 2, evictions: 1 });
    again.release();
  });

  it('does not evict a model that is still working when its last reference goes; the TTL counts from its last work', async () => {
    const reference = acquireModel('fake:busy', () => new FakeModel(), { ttlMs: 30 });
    const model = reference.resource;
    const work = model.work(80);
    reference.release();
    await sleep(60);
    assert.equal(model.closed, false, 'busy past its TTL, still loaded');
    await work;
    await sleep(15);
    assert.equal(model.closed, false, 'idle for less than its TTL');
    await sleep(50);
    assert.equal(model.closed, true);
  });

  it('a reference taken during the TTL cancels the eviction', async () => {
    const first = acquireModel('fake:rescued', () => new FakeModel(), { ttlMs: 30 });
    first.release();
    await sleep(15);
    const second = acquireModel('fake:rescued', () => new FakeModel(), { ttlMs: 30 });
    assert.equal(second.resource, first.resource);
    await sleep(60);
    assert.equal(second.resource.closed, false);
    second.release();
  });

  it('keeps a private identity apart from the key it shows', () => {
    const one = acquireModel('embed.openai:m', () => new FakeModel(), { identity: 'embed.openai:m|digest-1' });
    const two = acquireModel('embed.openai:m', () => new FakeModel(), { identity: 'embed.openai:m|digest-2' });
    assert.notEqual(one.resource, two.resource, 'another key value, another client');
    assert.deepEqual(
      modelStats()
        .filter((entry) => entry.key.startsWith('embed.openai'))
        .map((entry) => entry.key),
      ['embed.openai:m', 'embed.openai:m'],
    );
    one.release();
    two.release();
  });

  it('reads its knobs from the environment and refuses junk with MODEL_SETTING_INVALID naming the variable', () => {
    const settings = hubSettings({ PIPELANE_OCR_MAX_WORKERS: '3', PIPELANE_OCR_MIN_WORKERS: '9', PIPELANE_MODEL_TTL_MS: '1000' });
    assert.deepEqual([settings.ocrMaxWorkers, settings.ocrMinWorkers, settings.modelTtlMs], [3, 3, 1000]);
    assert.throws(() => hubSettings({ PIPELANE_OCR_MAX_WORKERS: 'two' }), { code: 'MODEL_SETTING_INVALID', message: /PIPELANE_OCR_MAX_WORKERS is "two"/ });
    assert.throws(() => hubSettings({ PIPELANE_OCR_MAX_WORKERS: '0' }), { code: 'MODEL_SETTING_INVALID' });
  });

  it('shutdownModels() closes every resource', async () => {
    const reference = getPool('fake:c', fakePool);
    await reference.pool.use(async () => 1);
    await shutdownModels();
    assert.deepEqual(modelStats(), []);
    assert.equal(reference.pool.closed, true);
  });
});
