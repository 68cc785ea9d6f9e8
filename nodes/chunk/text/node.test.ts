import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type Document } from '../../../src/node-kit/index.js';
import node from './node.js';

async function chunk(text: string, config: Record<string, unknown> = {}, meta: Record<string, unknown> = { source: 'doc.txt' }) {
  const result = await runNode(node, { config, items: [{ item: { text, meta } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  assert.equal(result.emitted.length, 1, 'one documents item per input text');
  return { documents: result.emitted[0]!.item as Document[], warnings: result.warnings, attributes: result.attributes };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const presidioReadme = readFileSync(new URL('../../../test/fixtures/pii/README.md', import.meta.url), 'utf8');

/** Deterministic prose: paragraphs of sentences, one run-on sentence and one very long token. */
function generatedParagraphs(paragraphCount: number): string {
  const vocabulary = (
    'the pipeline reads each page and the model returns tokens while queues apply backpressure so that ' +
    'slow consumers never drop items; an agent validates lanes before running, and traces record cost, ' +
    'latency, retries, errors and spans for every node in every run of the workspace'
  ).split(' ');
  let seed = 7;
  const next = (limit: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % limit;
  };
  const sentence = (length: number) => {
    const words = Array.from({ length }, () => vocabulary[next(vocabulary.length)]!);
    const text = words.join(' ');
    return text[0]!.toUpperCase() + text.slice(1) + '.';
  };
  const paragraphs: string[] = [];
  for (let index = 0; index < paragraphCount; index++) {
    const sentences = Array.from({ length: 1 + next(8) }, () => sentence(5 + next(20)));
    if (index === 3) sentences.push(sentence(400)); // one sentence longer than any chunk
    if (index === 5) sentences.push('https://example.com/' + 'a1b2c3d4'.repeat(150)); // one 1,220-character token
    paragraphs.push(sentences.join(' '));
  }
  return paragraphs.join('\n\n');
}

function assertChunkInvariants(text: string, documents: Document[], size: number, overlap: number): void {
  assert.ok(documents.length > 1);
  documents.forEach((document, index) => {
    const { start, end, chunkIndex, chunkCount } = document.metadata as Record<string, number> as {
      start: number; end: number; chunkIndex: number; chunkCount: number;
    };
    assert.equal(text.slice(start, end), document.text, `chunk ${index}: text.slice(start, end) === text`);
    assert.ok(document.text.length <= size, `chunk ${index} has ${document.text.length} > ${size} characters`);
    const clusters = Array.from(graphemes.segment(document.text), (segment) => segment.segment);
    assert.ok(!/^\s+$/u.test(clusters[0]!) && !/^\s+$/u.test(clusters.at(-1)!), `chunk ${index} is trimmed`);
    assert.equal(chunkIndex, index);
    assert.equal(chunkCount, documents.length);
    if (index > 0) {
      const previous = documents[index - 1]!.metadata as Record<string, number>;
      assert.ok(start > previous.start! && end > previous.end!, `chunk ${index} moves forward`);
      assert.match(text.slice(previous.end!, start), /^\s*$/u, `chunk ${index} leaves text out after chunk ${index - 1}`);
      assert.ok(previous.end! - start <= overlap, `chunk ${index} repeats more than ${overlap} characters`);
    }
  });
  // every non-blank character is in some chunk (the first and last chunks too)
  const covered = new Uint8Array(text.length);
  for (const document of documents) covered.fill(1, document.metadata.start as number, document.metadata.end as number);
  for (let index = 0; index < text.length; index++) {
    if (!covered[index]) assert.match(text[index]!, /\s/, `character ${index} is in no chunk`);
  }
}

/** Shared characters of each neighbouring pair. */
function sharedLengths(documents: Document[]): number[] {
  return documents.slice(1).map((document, index) => (documents[index]!.metadata.end as number) - (document.metadata.start as number));
}

test('on the Presidio README every chunk is text.slice(start, end), at most size long, and neighbours overlap', async (t) => {
  const { documents } = await chunk(presidioReadme, { size: 300, overlap: 60 });
  assertChunkInvariants(presidioReadme, documents, 300, 60);
  const shared = sharedLengths(documents);
  assert.ok(shared.every((length) => length > 0), `pairs without overlap: ${shared}`);
  const mean = shared.reduce((sum, length) => sum + length, 0) / shared.length;
  t.diagnostic(`${documents.length} chunks, mean overlap ${mean.toFixed(1)} characters (target 60)`);
  assert.ok(mean >= 40, `mean overlap ${mean}`);
});

test('on generated paragraphs with a run-on sentence and a 1,220-character token, default and small sizes', async (t) => {
  const text = generatedParagraphs(40);
  for (const [size, overlap] of [[800, 80], [200, 40], [50, 0]] as const) {
    const { documents } = await chunk(text, { size, overlap });
    assertChunkInvariants(text, documents, size, overlap);
    const shared = sharedLengths(documents);
    if (overlap === 0) assert.ok(shared.every((length) => length <= 0), 'overlap 0 repeats nothing');
    else assert.ok(shared.filter((length) => length > 0).length >= shared.length * 0.9, `overlaps: ${shared}`);
    t.diagnostic(`size ${size}: ${documents.length} chunks over ${text.length} characters`);
  }
});

test('overlap starts at a word', async () => {
  const text = generatedParagraphs(5); // prose only, no token longer than a chunk
  const { documents } = await chunk(text, { size: 200, overlap: 40 });
  for (const document of documents.slice(1)) {
    const start = document.metadata.start as number;
    assert.doesNotMatch(text.slice(start - 1, start + 1), /^[\p{L}\p{N}]{2}$/u, `chunk starts mid-word at ${start}`);
  }
});

test('ids are stable across runs and unique; metadata keeps the input meta', async () => {
  const meta = { source: 'handbook.pdf', page: 3, offset: 1000, language: 'en' };
  const first = await chunk(presidioReadme, {}, meta);
  const second = await chunk(presidioReadme, {}, meta);
  assert.deepEqual(first.documents.map((document) => document.id), second.documents.map((document) => document.id));
  assert.equal(new Set(first.documents.map((document) => document.id)).size, first.documents.length);
  assert.ok(first.documents.every((document) => /^[0-9a-f]{16}$/.test(document.id)));
  const other = await chunk(presidioReadme, {}, { ...meta, source: 'other.pdf' });
  assert.notEqual(other.documents[0]!.id, first.documents[0]!.id, 'the source is part of the id');
  const [firstDocument, secondDocument] = first.documents;
  assert.deepEqual(firstDocument!.metadata, {
    source: 'handbook.pdf', page: 3, offset: 1000, language: 'en', start: 0, end: firstDocument!.text.length, chunkIndex: 0, chunkCount: first.documents.length,
  });
  assert.equal(secondDocument!.metadata.offset, 1000 + (secondDocument!.metadata.start as number));
  assert.deepEqual(first.attributes, { 'chunk.count': first.documents.length });
});

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test('no chunk boundary splits a surrogate pair or a grapheme cluster (emoji ZWJ, flags, skin tones, accents)', async () => {
  const clusters = [
    '👩‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇯🇵', '🇺🇸', '👍🏽', '🧑🏿‍💻', '❤️', 'e\u0301', 'a\u0308\u0323', 'ñ', '한', '\u1100\u1161\u11A8',
    'Z\u0351\u0358\u0345\u036B', ' \u0301', '𝔘𝔫𝔦', '😀', 'x', '🇩🇪🇩🇪', '1\uFE0F\u20E3',
  ];
  let seed = 11;
  const pick = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const parts: string[] = [];
  for (let index = 0; index < 3000; index++) {
    parts.push(clusters[pick() % clusters.length]!);
    const gap = pick() % 40;
    if (gap === 0) parts.push(' ');
    else if (gap === 1) parts.push('. ');
    else if (gap === 2) parts.push('\n\n');
  }
  const text = parts.join('');
  const boundaries = new Set(Array.from(graphemes.segment(text), (segment) => segment.index));
  boundaries.add(text.length);
  for (const [size, overlap] of [[50, 10], [120, 30], [800, 80]] as const) {
    const { documents } = await chunk(text, { size, overlap });
    assertChunkInvariants(text, documents, size, overlap);
    for (const document of documents) {
      const { start, end } = document.metadata as Record<string, number>;
      assert.ok(boundaries.has(start!), `size ${size}: chunk starts inside a cluster at ${start}: ${JSON.stringify(text.slice(start! - 4, start! + 4))}`);
      assert.ok(boundaries.has(end!), `size ${size}: chunk ends inside a cluster at ${end}: ${JSON.stringify(text.slice(end! - 4, end! + 4))}`);
      assert.doesNotMatch(document.text, loneSurrogate);
    }
  }
});

test('a short text is one chunk, trimmed', async () => {
  const { documents } = await chunk('\n  Hello, world. Second sentence.  \n');
  assert.equal(documents.length, 1);
  assert.equal(documents[0]!.text, 'Hello, world. Second sentence.');
  assert.equal(documents[0]!.metadata.start, 3);
});

test('empty or whitespace-only text emits an empty array and a warning', async () => {
  for (const text of ['', '  \n\n\t ']) {
    const { documents, warnings } = await chunk(text);
    assert.deepEqual(documents, []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /doc\.txt.*empty or only whitespace/);
  }
});

test('ab🙂cd🙂ef with size 3 never yields a broken surrogate and the chunks join back to the input', async () => {
  const text = 'ab🙂cd🙂ef';
  const { documents } = await chunk(text, { size: 3, overlap: 0 });
  assert.deepEqual(documents.map((document) => document.text), ['ab', '🙂', 'cd', '🙂', 'ef'], '🙂 is 2 code units: ab🙂 would be 4');
  for (const document of documents) {
    assert.doesNotMatch(document.text, loneSurrogate);
    assert.equal(text.slice(document.metadata.start as number, document.metadata.end as number), document.text);
  }
  assert.equal(documents.map((document) => document.text).join(''), text);
});

test('overlap must be smaller than size (error on path overlap); size at least 1', () => {
  for (const config of [{ size: 100, overlap: 100 }, { size: 100, overlap: 150 }, { overlap: 800 }, { size: 3 }]) {
    const parsed = node.config.safeParse(config);
    assert.equal(parsed.success, false, JSON.stringify(config));
    assert.deepEqual(parsed.error?.issues.map((issue) => issue.path), [['overlap']]);
    assert.match(parsed.error!.issues[0]!.message, /smaller than size/);
  }
  const tooSmall = node.config.safeParse({ size: 0, overlap: 0 });
  assert.deepEqual(tooSmall.error?.issues[0]?.path, ['size']);
  assert.deepEqual(node.config.parse({}), { size: 800, overlap: 80 });
});
