import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { modelStats, shutdownModels, tesseractPool, tesseractThreadOf } from '../../../src/models/index.js';
import { runNode, type TextItem } from '../../../src/node-kit/index.js';
import ocrTesseract from '../../../nodes/ocr/tesseract/node.js';

// The real tesseract pool through the hub: results per caller, crash recovery, growth and shrinking.
// Small pages (one short line each) keep it to a few seconds.

after(() => shutdownModels());

const words = ['zebra', 'walrus', 'falcon', 'badger', 'otter', 'lemur'];

async function page(word: string, number: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="760" height="120"><rect width="100%" height="100%" fill="white"/>
    <text x="30" y="75" font-family="DejaVu Sans" font-size="36">Parcel ${number} for the ${word}</text></svg>`;
  return sharp(Buffer.from(svg)).grayscale().png().toBuffer();
}

test('concurrent OCR of different pages: each run gets its own text; the pool grows to its max under the backlog and shrinks when idle', async () => {
  const previous = { max: process.env.PIPELANE_OCR_MAX_WORKERS, idle: process.env.PIPELANE_OCR_IDLE_MS };
  process.env.PIPELANE_OCR_MAX_WORKERS = '2';
  process.env.PIPELANE_OCR_IDLE_MS = '400';
  try {
    const pages = await Promise.all(words.map((word, index) => page(word, 100 + index)));
    const results = await Promise.all(
      pages.map((bytes) => runNode(ocrTesseract, { config: { autoRotate: false }, items: [{ item: { bytes, mime: 'image/png', meta: { source: 'page.png' } } }] })),
    );
    results.forEach((result, index) => {
      assert.deepEqual(result.errors, []);
      const text = (result.emitted[0]!.item as TextItem).text;
      assert.match(text, new RegExp(`Parcel ${100 + index} for the ${words[index]}`), `run ${index} read ${JSON.stringify(text)}`);
      const foreign = words.filter((word) => word !== words[index] && text.includes(word));
      assert.deepEqual(foreign, [], `run ${index} holds text of other runs`);
      assert.equal(typeof result.attributes['model.queueWaitMs'], 'number');
    });
    const waits = results.map((result) => result.attributes['model.queueWaitMs'] as number);
    assert.ok(Math.max(...waits) > 0, 'six pages on two workers: some waited');
    const pool = modelStats().find((stats) => stats.key === 'tesseract:eng:engine=lstm');
    assert.deepEqual([pool?.peakWorkers, pool?.created], [2, 2], 'grew to max (2) under the backlog, no further');
    assert.equal(pool?.workers, 2);
    await sleep(700);
    assert.equal(modelStats().find((stats) => stats.key === 'tesseract:eng:engine=lstm')?.workers, 0, 'both workers ended after the idle timeout');
  } finally {
    for (const [name, value] of [['PIPELANE_OCR_MAX_WORKERS', previous.max], ['PIPELANE_OCR_IDLE_MS', previous.idle]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await shutdownModels();
  }
});

test('an OCR worker whose thread dies mid-page is replaced and the page read again once, with the right text', async () => {
  const reference = tesseractPool(['eng'], { max: 1 });
  try {
    const png = await page('heron', 7);
    const attempts: number[] = [];
    const result = await reference.pool.use(async (worker, lease) => {
      attempts.push(lease.attempt);
      const reading = worker.recognize(png, '3');
      if (lease.attempt === 1) await tesseractThreadOf(worker)!.terminate(); // the crash
      return reading;
    });
    assert.match(result.text, /Parcel 7 for the heron/);
    assert.deepEqual(attempts, [1, 2]);
    const stats = reference.pool.stats();
    assert.deepEqual([stats.crashed, stats.retried, stats.created, stats.workers], [1, 1, 2, 1]);
  } finally {
    reference.release();
    await reference.pool.close();
  }
});

test('a page that crashes its worker twice fails with the crash, and the next page is read on a fresh worker', async () => {
  const reference = tesseractPool(['eng'], { max: 1 });
  try {
    const png = await page('gecko', 8);
    await assert.rejects(
      reference.pool.use(async (worker) => {
        const reading = worker.recognize(png, '3');
        await tesseractThreadOf(worker)!.terminate();
        return reading;
      }),
      /tesseract worker thread exited/,
    );
    const next = await reference.pool.use((worker) => worker.recognize(png, '3'));
    assert.match(next.text, /Parcel 8 for the gecko/);
    assert.deepEqual([reference.pool.stats().crashed, reference.pool.stats().created], [2, 3]);
  } finally {
    reference.release();
    await reference.pool.close();
  }
});

test('an idle OCR worker whose thread dies leaves the pool at once', async () => {
  const reference = tesseractPool(['eng'], { max: 1 });
  try {
    const png = await page('koala', 9);
    let thread: ReturnType<typeof tesseractThreadOf>;
    await reference.pool.use(async (worker) => {
      thread = tesseractThreadOf(worker);
      return worker.recognize(png, '3');
    });
    await thread!.terminate();
    await sleep(20);
    assert.deepEqual([reference.pool.stats().workers, reference.pool.stats().crashed], [0, 1]);
    assert.match((await reference.pool.use((worker) => worker.recognize(png, '3'))).text, /Parcel 9 for the koala/);
  } finally {
    reference.release();
    await reference.pool.close();
  }
});
