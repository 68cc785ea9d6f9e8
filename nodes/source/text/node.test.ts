import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runNode, type RunInput } from '../../../src/node-kit/index.js';
import sourceText from './node.js';

test('run input text becomes a question by default', async () => {
  const result = await runNode(sourceText, { inputs: [{ text: '  What is a trace tree? ' }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.emitted, [{ lane: 'question', item: { text: 'What is a trace tree?', meta: { source: 'text' } } }]);
});

test('lane text emits a text item and outputsFor narrows to it', async () => {
  const result = await runNode(sourceText, { config: { lane: 'text' }, inputs: [{ text: 'Hello' }] });
  assert.deepEqual(result.emitted, [{ lane: 'text', item: { text: 'Hello', meta: { source: 'text' } } }]);
  assert.deepEqual(sourceText.outputsFor!(sourceText.config.parse({ lane: 'text' })), ['text']);
});

test('an empty input fails with SOURCE_TEXT_EMPTY naming --text', async () => {
  const result = await runNode(sourceText, { inputs: [{ text: '   ' }] });
  assert.equal(result.errors[0]?.code, 'SOURCE_TEXT_EMPTY');
  assert.match(result.errors[0]!.hint, /--text/);
});

test('a text over maxChars is refused', async () => {
  const result = await runNode(sourceText, { config: { maxChars: 5 }, inputs: [{ text: 'too long' }] });
  assert.equal(result.errors[0]?.code, 'SOURCE_TEXT_TOO_LONG');
});

describe('source.text given a file', () => {
  const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'pipelane-source-text-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function errorOf(input: RunInput, config: Record<string, unknown> = {}) {
    const result = await runNode(sourceText, { config: { lane: 'text', ...config }, inputs: [input] });
    assert.deepEqual(result.emitted, []);
    assert.equal(result.errors.length, 1, 'one typed error');
    return result.errors[0]!;
  }

  it('refuses a missing file with INPUT_NOT_FOUND', async () => {
    const error = await errorOf({ path: path.join(scratch, 'nowhere.txt') });
    assert.equal(error.code, 'INPUT_NOT_FOUND');
    assert.match(error.hint, /path/);
  });

  it('refuses a directory with INPUT_NOT_A_FILE', async () => {
    const folder = path.join(scratch, 'folder');
    await mkdir(folder);
    const error = await errorOf({ path: folder });
    assert.equal(error.code, 'INPUT_NOT_A_FILE');
  });

  it('refuses random bytes named .png, from a path or as bytes, as not text', async () => {
    const bytes = randomBytes(4096);
    const file = path.join(scratch, 'corrupt.png');
    await writeFile(file, bytes);
    for (const input of [{ path: file }, { bytes, name: 'corrupt.png' }]) {
      const error = await errorOf(input);
      assert.equal(error.code, 'INPUT_TYPE_NOT_ACCEPTED');
      assert.match(error.message, /corrupt\.png.*not UTF-8 text/);
      assert.match(error.hint, /source\.file -> parse\.auto/);
      assert.match(error.hint, /ocr\.tesseract/);
    }
  });

  for (const [label, file, mime, parser] of [
    ['a real PNG', 'samples/scanned-invoice.png', 'image/png', /source\.file -> ocr\.tesseract/],
    ['a real PDF', 'test/fixtures/pdf/tracemonkey.pdf', 'application/pdf', /source\.file -> parse\.pdf/],
  ] as const) {
    it(`refuses ${label} as ${mime}, naming the node to use, though it is larger than maxChars allows`, async () => {
      const error = await errorOf({ path: path.join(repo, file) });
      assert.equal(error.code, 'INPUT_TYPE_NOT_ACCEPTED');
      assert.equal(error.details?.mime, mime);
      assert.match(error.hint, parser);
    });
  }

  it('accepts UTF-8 text with emoji, RTL and zero-width characters unchanged, without its byte order mark', async () => {
    const line = 'Emoji 👩‍👩‍👧‍👦 🇫🇷, RTL עברית مرحبا بالعالم \u202Bembedded\u202C, zero-width a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf, é ñ 中文.\n';
    // Longer than the 64 KiB looked at first, cut there inside a multi-byte character.
    let content = '';
    for (let pad = 0; pad < 4 && content === ''; pad += 1) {
      const candidate = 'x'.repeat(pad) + line.repeat(700);
      const cut = Buffer.from('\uFEFF' + candidate)[64 * 1024]!;
      if ((cut & 0xc0) === 0x80) content = candidate;
    }
    assert.notEqual(content, '', 'the 64 KiB boundary falls inside a character');
    const file = path.join(scratch, 'unicode.txt');
    await writeFile(file, '\uFEFF' + content);
    const result = await runNode(sourceText, { config: { lane: 'text' }, inputs: [{ path: file }] });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.emitted, [{ lane: 'text', item: { text: content, meta: { source: 'unicode.txt' } } }]);

    // Text that starts like a short magic number (BMP "BM", .exe "MZ") is still text.
    const weak = path.join(scratch, 'question.txt');
    await writeFile(weak, 'BMW or MZ: which one?');
    const asked = await runNode(sourceText, { inputs: [{ path: weak }] });
    assert.deepEqual(asked.emitted, [{ lane: 'question', item: { text: 'BMW or MZ: which one?', meta: { source: 'question.txt' } } }]);
  });

  it('refuses text with a NUL byte past the first 64 KiB as not text', async () => {
    const file = path.join(scratch, 'late-binary.txt');
    await writeFile(file, Buffer.concat([Buffer.from('a'.repeat(70_000)), Buffer.from([0x00, 0xff, 0xfe])]));
    const error = await errorOf({ path: file });
    assert.equal(error.code, 'INPUT_TYPE_NOT_ACCEPTED');
  });

  it('refuses a huge file from its size with SOURCE_TEXT_TOO_LONG, without reading it', async () => {
    const file = path.join(scratch, 'huge.txt');
    await writeFile(file, 'a'.repeat(64 * 1024));
    // Sparse, and over 2 GiB: readFile could not even read it, so passing proves it was not read.
    const size = 3 * 1024 * 1024 * 1024;
    await truncate(file, size);
    const started = performance.now();
    const error = await errorOf({ path: file });
    assert.equal(error.code, 'SOURCE_TEXT_TOO_LONG');
    assert.equal(error.path, '/config/maxChars');
    assert.equal(error.details?.bytes, size);
    assert.ok(performance.now() - started < 1000, 'refused at once');
  });
});
