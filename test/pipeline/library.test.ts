import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipelineLibrary } from '../../src/pipeline/index.js';

function withLibrary(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), 'pipelane-library-'));
    try {
      await fn(join(root, 'pipelines'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

const doc = (name: string, description?: string) => ({ version: 1, name, ...(description ? { description } : {}), nodes: [], outputs: [] });

test('save, list, get and delete saved pipelines; the folder is created on first save', withLibrary(async (dir) => {
  const library = createPipelineLibrary(dir);
  assert.deepEqual(library.names(), []);
  assert.deepEqual(await library.list(), []);
  const path = await library.save('invoice-ocr', doc('invoice-ocr', 'OCR invoices'));
  assert.equal(path, join(dir, 'invoice-ocr.pipe.json'));
  await library.save('alpha', doc('alpha'));
  assert.equal(readFileSync(path, 'utf8'), JSON.stringify(doc('invoice-ocr', 'OCR invoices'), null, 2) + '\n');
  assert.deepEqual(library.names(), ['alpha', 'invoice-ocr']);
  assert.deepEqual(await library.list(), [
    { name: 'alpha', path: join(dir, 'alpha.pipe.json') },
    { name: 'invoice-ocr', path, description: 'OCR invoices' },
  ]);
  assert.deepEqual(await library.get('alpha'), doc('alpha'));
  assert.equal(library.has('alpha'), true);
  await library.save('alpha', doc('alpha', 'second version'));
  assert.deepEqual(await library.get('alpha'), doc('alpha', 'second version'));
  assert.deepEqual(readdirSync(dir).sort(), ['alpha.pipe.json', 'invoice-ocr.pipe.json'], 'no temporary files left behind');
  await library.delete('alpha');
  assert.equal(library.has('alpha'), false);
  assert.deepEqual(library.names(), ['invoice-ocr']);
}));

test('unknown names are PIPELINE_NOT_FOUND with the nearest saved name; broken JSON is PIPELINE_NOT_JSON and still listed', withLibrary(async (dir) => {
  const library = createPipelineLibrary(dir);
  await library.save('invoice-ocr', doc('invoice-ocr'));
  await assert.rejects(library.get('invoice-orc'), (error: Error & { code?: string; hint?: string }) => {
    assert.equal(error.code, 'PIPELINE_NOT_FOUND');
    assert.match(error.message, /saved: invoice-ocr/);
    assert.equal(error.hint, 'Did you mean "invoice-ocr"?');
    return true;
  });
  await assert.rejects(library.delete('nope'), { code: 'PIPELINE_NOT_FOUND' });
  writeFileSync(join(dir, 'broken.pipe.json'), '{"version": 1,');
  await assert.rejects(library.get('broken'), { code: 'PIPELINE_NOT_JSON' });
  const listed = await library.list();
  assert.equal(listed.find((entry) => entry.name === 'broken')?.error !== undefined, true);
}));

test('names that could leave the folder or are not ids are refused before any file is touched', withLibrary(async (dir) => {
  const library = createPipelineLibrary(dir);
  for (const name of ['../escape', 'a/b', '', '1abc', 'x'.repeat(65), 'dot.name']) {
    await assert.rejects(library.save(name, doc('x')), { code: 'PIPELINE_NAME_INVALID' }, name);
    await assert.rejects(library.get(name), { code: 'PIPELINE_NAME_INVALID' }, name);
    assert.equal(library.has(name), false);
  }
  assert.deepEqual(library.names(), []);
}));
