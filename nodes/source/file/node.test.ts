import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { z } from 'zod';
import { runNode, type LaneName, type RunInput } from '../../../src/node-kit/index.js';
import sourceFile from './node.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/ocr');
let scratch: string;

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'pipelane-source-file-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function run(input: RunInput, options: { subscribedLanes?: LaneName[]; config?: Record<string, unknown> } = {}) {
  const result = await runNode(sourceFile, { inputs: [input], ...options });
  assert.deepEqual(result.problems, [], 'every emitted item matches its lane schema');
  return result;
}

/** Runs one input and returns the one item emitted, with its lane. */
async function emitOne(input: RunInput, options: { subscribedLanes?: LaneName[]; config?: Record<string, unknown> } = {}) {
  const result = await run(input, options);
  assert.deepEqual(result.errors, []);
  assert.equal(result.emitted.length, 1);
  return { lane: result.emitted[0]!.lane, item: result.emitted[0]!.item as Record<string, unknown> & { meta: Record<string, unknown> } };
}

async function errorOf(input: RunInput, options: { subscribedLanes?: LaneName[]; config?: Record<string, unknown> } = {}) {
  const result = await run(input, options);
  assert.equal(result.emitted.length, 0);
  assert.equal(result.errors.length, 1, 'one typed error');
  return result.errors[0]!;
}

const solid = { width: 8, height: 6, channels: 3 as const, background: '#ffffff' };
const bytesOf = (text: string) => new TextEncoder().encode(text);

// Hand-made headers: just enough for magic-byte detection.
const wavHeader = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(32)]);
const mp3Frames = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(400)]);
const mp4Header = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41'), Buffer.alloc(64)]);
const pdfHeader = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

describe('source.file mime detection from real bytes', () => {
  it('reads a TIFF from a path as an image with its size and provenance', async () => {
    const { lane, item } = await emitOne({ path: path.join(fixtures, 'phototest.tif') });
    assert.equal(lane, 'image');
    assert.equal(item.mime, 'image/tiff');
    assert.equal(item.width, 640);
    assert.equal(item.height, 480);
    assert.deepEqual(item.meta, { source: 'phototest.tif', size: 38668 });
  });

  for (const [format, mime] of [
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['tiff', 'image/tiff'],
  ] as const) {
    it(`detects ${mime} in bytes made by sharp`, async () => {
      const bytes = await sharp({ create: solid }).toFormat(format).toBuffer();
      const { lane, item } = await emitOne({ bytes, name: 'picture' });
      assert.equal(lane, 'image');
      assert.equal(item.mime, mime);
      assert.equal(item.width, 8);
      assert.equal(item.meta.source, 'picture');
      assert.equal(item.meta.size, bytes.byteLength);
    });
  }

  for (const [label, bytes, mime, lane] of [
    ['wav', wavHeader, 'audio/wav', 'audio'],
    ['mp3', mp3Frames, 'audio/mpeg', 'audio'],
    ['mp4', mp4Header, 'video/mp4', 'video'],
    ['pdf', pdfHeader, 'application/pdf', 'file'],
    ['unknown binary', Buffer.from([0x00, 0x9f, 0x92, 0x96, 0xff, 0x00, 0x01]), 'application/octet-stream', 'file'],
  ] as const) {
    it(`detects ${label} as ${mime} on the ${lane} lane`, async () => {
      const { lane: emittedLane, item } = await emitOne({ bytes: new Uint8Array(bytes), name: `sample.${label}` });
      assert.equal(emittedLane, lane);
      assert.equal(item.mime, mime);
      assert.equal(item.meta.size, bytes.byteLength);
    });
  }

  for (const [label, name, content, mime] of [
    ['plain text', 'notes.txt', 'Just a few words.\nAnd a second line with ünïcödé.', 'text/plain'],
    ['markdown by extension', 'readme.md', 'No markers at all', 'text/markdown'],
    ['markdown by look', 'notes', '# Title\n\nSee [the docs](https://example.org).', 'text/markdown'],
    ['html by extension', 'page.html', 'hello', 'text/html'],
    ['html by doctype', 'page', '  <!DOCTYPE html>\n<html><body>hi</body></html>', 'text/html'],
    ['html by tag', 'page', '<html lang="en"><body>hi</body></html>', 'text/html'],
    ['csv by extension', 'table.csv', 'a,b\n1,2\n', 'text/csv'],
    ['json by extension', 'data.json', '{"a": 1}', 'application/json'],
    ['json by parsing', 'data', '[{"a": 1}, {"a": 2}]', 'application/json'],
    ['a bare JSON number as plain text', 'data', '42', 'text/plain'],
  ] as const) {
    it(`detects ${label} as ${mime} and emits the decoded text`, async () => {
      const { lane, item } = await emitOne({ bytes: bytesOf(content), name });
      assert.equal(lane, 'text');
      assert.equal(item.text, content);
      assert.deepEqual(item.meta, { source: name, size: bytesOf(content).byteLength, mime });
    });
  }

  it('strips a UTF-8 byte order mark', async () => {
    const { item } = await emitOne({ bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf('hello')]), name: 'bom.txt' });
    assert.equal(item.text, 'hello');
  });

  it('treats invalid UTF-8 as binary, not text', async () => {
    const { lane, item } = await emitOne({ bytes: new Uint8Array([0x68, 0x69, 0xc3, 0x28]), name: 'broken.txt' });
    assert.equal(lane, 'file');
    assert.equal(item.mime, 'application/octet-stream');
  });

  it('reads a text file from a path', async () => {
    const file = path.join(scratch, 'chapter.md');
    await writeFile(file, '## Chapter one\n\nIt was a dark night.');
    const { lane, item } = await emitOne({ path: file });
    assert.equal(lane, 'text');
    assert.deepEqual(item.meta, { source: 'chapter.md', size: 36, mime: 'text/markdown' });
  });

  it('emits --text input on the text lane as is', async () => {
    const { lane, item } = await emitOne({ text: '# not sniffed, just text' });
    assert.equal(lane, 'text');
    assert.deepEqual(item, { text: '# not sniffed, just text', meta: { source: 'text', size: 24, mime: 'text/plain' } });
  });
});

describe('source.file lane choice (converts on demand)', () => {
  const cases: Array<[string, () => Promise<RunInput>, LaneName[], LaneName]> = [
    ['a PNG to an image reader', async () => ({ bytes: await sharp({ create: solid }).png().toBuffer() }), ['image'], 'image'],
    ['a PNG to a file reader', async () => ({ bytes: await sharp({ create: solid }).png().toBuffer() }), ['file'], 'file'],
    ['a PNG when both are read', async () => ({ bytes: await sharp({ create: solid }).png().toBuffer() }), ['file', 'image'], 'image'],
    ['a PNG to image and text readers', async () => ({ bytes: await sharp({ create: solid }).png().toBuffer() }), ['text', 'image'], 'image'],
    ['text to a text reader', async () => ({ bytes: bytesOf('hello'), name: 'a.txt' }), ['text', 'file'], 'text'],
    ['text to a file reader', async () => ({ bytes: bytesOf('hello'), name: 'a.txt' }), ['file'], 'file'],
    ['--text to a file reader', async () => ({ text: 'hello' }), ['file'], 'file'],
    ['a WAV to a file reader', async () => ({ bytes: new Uint8Array(wavHeader) }), ['file', 'text'], 'file'],
    ['an MP4 to a video reader', async () => ({ bytes: new Uint8Array(mp4Header) }), ['video', 'file'], 'video'],
    ['a PDF to a file reader', async () => ({ bytes: new Uint8Array(pdfHeader) }), ['file', 'image'], 'file'],
  ];
  for (const [label, input, subscribedLanes, expected] of cases) {
    it(`sends ${label} on ${expected} (downstream reads ${subscribedLanes.join(', ')})`, async () => {
      const { lane } = await emitOne(await input(), { subscribedLanes });
      assert.equal(lane, expected);
    });
  }

  it('keeps the path on a file item read from disk, and the text as bytes for --text', async () => {
    const fromDisk = await emitOne({ path: path.join(fixtures, 'phototest.tif') }, { subscribedLanes: ['file'] });
    assert.equal(fromDisk.item.name, 'phototest.tif');
    assert.equal(fromDisk.item.path, path.join(fixtures, 'phototest.tif'));
    assert.equal(fromDisk.item.size, 38668);
    const fromText = await emitOne({ text: 'hello' }, { subscribedLanes: ['file'] });
    assert.equal(fromText.item.mime, 'text/plain');
    assert.deepEqual(fromText.item.bytes, bytesOf('hello'));
  });

  it('narrows its output lanes to the accept config (outputsFor)', () => {
    const outputsFor = (accept?: string[]) => sourceFile.outputsFor!(sourceFile.config.parse(accept ? { accept } : {}));
    assert.deepEqual(outputsFor(), ['file', 'image', 'text', 'audio', 'video']);
    assert.deepEqual(outputsFor(['image/*']), ['file', 'image']);
    assert.deepEqual(outputsFor(['application/pdf']), ['file']);
    assert.deepEqual(outputsFor(['text/*', 'application/json']), ['file', 'text']);
    assert.deepEqual(outputsFor(['audio/*', 'video/mp4']), ['file', 'audio', 'video']);
  });
});

describe('source.file typed errors', () => {
  it('INPUT_LANE_MISMATCH for a PDF given to OCR names the input, its mime, the lanes read and what to do', async () => {
    const error = await errorOf({ bytes: new Uint8Array(pdfHeader), name: 'scan.pdf' }, { subscribedLanes: ['image'] });
    assert.equal(error.code, 'INPUT_LANE_MISMATCH');
    assert.match(error.message, /"scan\.pdf"/);
    assert.match(error.message, /application\/pdf/);
    assert.match(error.message, /downstream reads only: image/);
    assert.match(error.hint, /give an image \(png, jpeg, tiff.*\), or put parse\.pdf \(or parse\.auto for any document\) before OCR/i);
  });

  it('INPUT_LANE_MISMATCH for an image given to a text reader suggests OCR', async () => {
    const error = await errorOf({ bytes: await sharp({ create: solid }).png().toBuffer(), name: 'photo.png' }, { subscribedLanes: ['text'] });
    assert.equal(error.code, 'INPUT_LANE_MISMATCH');
    assert.match(error.message, /"photo\.png" is image\/png, which source\.file can emit as image or file, but downstream reads only: text/);
    assert.match(error.hint, /OCR node \(ocr\.tesseract\)/);
  });

  it('INPUT_LANE_MISMATCH for text given to OCR asks for an image', async () => {
    const error = await errorOf({ text: 'hello' }, { subscribedLanes: ['image'] });
    assert.equal(error.code, 'INPUT_LANE_MISMATCH');
    assert.match(error.hint, /give a png, jpeg, tiff/);
  });

  it('INPUT_EMPTY for zero bytes, an empty file and empty text', async () => {
    const empty = path.join(scratch, 'empty.txt');
    await writeFile(empty, '');
    for (const input of [{ bytes: new Uint8Array(0), name: 'nothing.bin' }, { path: empty }, { text: '' }]) {
      const error = await errorOf(input);
      assert.equal(error.code, 'INPUT_EMPTY', JSON.stringify(input));
      assert.match(error.message, /is empty \(0 bytes\)/);
    }
  });

  it('INPUT_NOT_FOUND for a missing file', async () => {
    const missing = path.join(scratch, 'no-such-file.png');
    const error = await errorOf({ path: missing });
    assert.equal(error.code, 'INPUT_NOT_FOUND');
    assert.match(error.message, /no-such-file\.png" does not exist/);
  });

  it('INPUT_TOO_LARGE for a file over maxBytes, checked with stat before reading', async () => {
    const huge = path.join(scratch, 'huge.bin');
    await writeFile(huge, '');
    await truncate(huge, 60 * 1024 * 1024); // sparse: 60 MiB on paper, nothing on disk
    const started = performance.now();
    const error = await errorOf({ path: huge });
    assert.ok(performance.now() - started < 500, 'refused without reading 60 MiB');
    assert.equal(error.code, 'INPUT_TOO_LARGE');
    assert.match(error.message, /"huge\.bin" is 60\.0 MiB, more than maxBytes 50\.0 MiB/);
    assert.equal(error.path, '/config/maxBytes');
  });

  it('INPUT_TOO_LARGE for bytes over a configured maxBytes', async () => {
    const error = await errorOf({ bytes: new Uint8Array(2048).fill(65), name: 'big.txt' }, { config: { maxBytes: 1024 } });
    assert.equal(error.code, 'INPUT_TOO_LARGE');
    assert.match(error.hint, /maxBytes config to at least 2048/);
  });

  it('INPUT_NOT_A_FILE for a directory', async () => {
    const directory = path.join(scratch, 'a-folder');
    await mkdir(directory);
    const error = await errorOf({ path: directory });
    assert.equal(error.code, 'INPUT_NOT_A_FILE');
    assert.match(error.message, /is a directory/);
  });

  it('INPUT_MISSING when neither path, bytes nor text is given', async () => {
    const error = await errorOf({ name: 'just-a-name' });
    assert.equal(error.code, 'INPUT_MISSING');
    assert.match(error.hint, /--input <file>/);
  });

  it('INPUT_TYPE_NOT_ACCEPTED for a mime outside the accept config', async () => {
    const error = await errorOf({ bytes: new Uint8Array(pdfHeader), name: 'scan.pdf' }, { config: { accept: ['image/*'] } });
    assert.equal(error.code, 'INPUT_TYPE_NOT_ACCEPTED');
    assert.match(error.message, /"scan\.pdf" is application\/pdf, which this source does not accept \(accept: image\/\*\)/);
    assert.equal(error.path, '/config/accept');
  });

  it('serves the next input after a failed one', async () => {
    const result = await runNode(sourceFile, { inputs: [{ path: path.join(scratch, 'missing') }, { text: 'still here' }] });
    assert.deepEqual(
      result.errors.map((error) => error.code),
      ['INPUT_NOT_FOUND'],
    );
    assert.equal((result.emitted[0]?.item as { text: string }).text, 'still here');
  });
});

describe('source.file config', () => {
  it('describes every field and rejects a malformed accept pattern', () => {
    const schema = z.toJSONSchema(sourceFile.config, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    for (const [field, property] of Object.entries(schema.properties)) assert.ok(property.description, `${field} has a description`);
    assert.equal(sourceFile.config.safeParse({ accept: ['images'] }).success, false);
    assert.equal(sourceFile.config.safeParse({ maxBytes: 0 }).success, false);
  });
});

describe('source.file on mislabelled input', () => {
  it('says when a .png holds bytes that are not an image at all', async () => {
    const result = await runNode(sourceFile, { config: { accept: ['image/*'] }, inputs: [{ bytes: new Uint8Array([0x13, 0x37, 0x00, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]), name: 'scan.png' }] });
    assert.deepEqual(result.errors.map((error) => error.code), ['INPUT_TYPE_NOT_ACCEPTED']);
    assert.match(result.errors[0]!.message, /name ends in \.png, but its bytes are not a readable \.png file: damaged, cut short/);
    assert.match(result.errors[0]!.hint, /damaged or mislabelled/);
  });
});
