import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { runNode, type Document } from '../../../src/node-kit/index.js';
import node from './node.js';

async function chunk(text: string, config: Record<string, unknown> = {}, meta: Record<string, unknown> = { source: 'doc.txt' }) {
  const result = await runNode(node, { config, items: [{ item: { text, meta } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  assert.equal(result.emitted.length, 1, 'one documents item per input text');
  return { documents: result.emitted[0]!.item as Document[], warnings: result.warnings, attributes: result.attributes };
}

/** An independent encoder from the same package, to check metadata.tokens. */
const reference = new Tiktoken(cl100k);
const countTokens = (text: string) => reference.encode(text, [], []).length;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const presidioReadme = readFileSync(new URL('../../../test/fixtures/pii/README.md', import.meta.url), 'utf8');

function assertSlices(text: string, documents: Document[]): void {
  for (const document of documents) {
    const { start, end } = document.metadata as Record<string, number>;
    assert.equal(text.slice(start, end), document.text, `text.slice(${start}, ${end}) === chunk.text`);
    assert.doesNotMatch(document.text, loneSurrogate);
  }
}

test('ab🙂cd🙂ef with size 3 never yields a broken surrogate and the chunks join back to the input', async () => {
  const text = 'ab🙂cd🙂ef';
  const { documents } = await chunk(text, { size: 3, overlap: 0 });
  assertSlices(text, documents);
  // cl100k_base: ab | 🙂 as two byte tokens | cd | 🙂 | ef — the cut after 3 tokens falls right after the emoji
  assert.deepEqual(documents.map((document) => document.text), ['ab🙂', 'cd🙂', 'ef']);
  assert.deepEqual(documents.map((document) => document.metadata.tokens), [3, 3, 1]);
  assert.equal(documents.map((document) => document.text).join(''), text);
});

/** With overlap 0 the chunks tile the text; only whitespace-only windows are left out. */
function assertTiles(text: string, documents: Document[]): void {
  let position = 0;
  for (const document of documents) {
    const { start, end } = document.metadata as Record<string, number>;
    assert.match(text.slice(position, start), /^\s*$/u, `gap before ${start} is whitespace`);
    position = end!;
  }
  assert.match(text.slice(position), /^\s*$/u);
}

test('cuts never split a grapheme cluster (ZWJ emoji, flags, skin tones, accents) and chunks tile the text', async () => {
  const clusters = ['👩‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '👍🏽', '❤️', 'e\u0301', 'a\u0308\u0323', '한', '😀', 'x', 'word', ' ', '. ', '\n', '1\uFE0F\u20E3'];
  let seed = 5;
  const pick = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const text = Array.from({ length: 2500 }, () => clusters[pick() % clusters.length]!).join('');
  const boundaries = new Set(Array.from(graphemes.segment(text), (segment) => segment.index));
  boundaries.add(text.length);
  for (const size of [4, 16, 100]) {
    const { documents } = await chunk(text, { size, overlap: 0 });
    assertSlices(text, documents);
    assertTiles(text, documents);
    for (const document of documents) {
      const { start, end, tokens } = document.metadata as Record<string, number>;
      assert.ok(boundaries.has(start!) && boundaries.has(end!), `size ${size}: cut inside a cluster at ${start}-${end}`);
      assert.equal(tokens, countTokens(document.text), 'metadata.tokens is the chunk text encoded on its own');
      // over size only when no token boundary falls between clusters: one cluster, or two a token glues together ("x" + "ạ̈")
      const few = Array.from(graphemes.segment(document.text.trim())).length <= 2;
      assert.ok(tokens! <= size || few, `size ${size}: ${tokens} tokens in ${JSON.stringify(document.text)}`);
    }
  }
});

test('one cluster worth more tokens than size is a chunk of its own', async () => {
  const family = '👩‍👩‍👧‍👦';
  const { documents } = await chunk(`ab${family}cd`, { size: 2, overlap: 0 });
  assert.deepEqual(documents.map((document) => document.text), ['ab', family, 'cd']);
  assert.ok((documents[1]!.metadata.tokens as number) > 2);
});

test('on the Presidio README: at most size tokens, nearly full windows, overlap in tokens', async (t) => {
  const { documents, attributes } = await chunk(presidioReadme, { size: 100, overlap: 20 });
  assertSlices(presidioReadme, documents);
  const counts = documents.map((document) => document.metadata.tokens as number);
  assert.ok(counts.every((count) => count <= 100), `counts: ${counts}`);
  const full = counts.slice(0, -1);
  const mean = full.reduce((sum, count) => sum + count, 0) / full.length;
  assert.ok(mean >= 95, `mean ${mean}`);
  documents.slice(1).forEach((document, index) => {
    const previous = documents[index]!.metadata as Record<string, number>;
    const { start } = document.metadata as Record<string, number>;
    assert.ok(start! > previous.start! && start! < previous.end!, 'neighbours overlap and move forward');
    const shared = countTokens(presidioReadme.slice(start, previous.end));
    assert.ok(shared >= 15 && shared <= 22, `about 20 tokens shared, got ${shared}`);
  });
  assert.equal(documents.at(-1)!.metadata.end, presidioReadme.trimEnd().length === presidioReadme.length ? presidioReadme.length : documents.at(-1)!.metadata.end);
  assert.equal(attributes['chunk.count'], documents.length);
  t.diagnostic(`${countTokens(presidioReadme)} tokens → ${documents.length} chunks, mean ${mean.toFixed(1)} tokens`);
});

test('o200k_base counts differently from cl100k_base', async () => {
  const text = 'Die Rechnung ist innerhalb von dreißig Tagen zu bezahlen. 請在三十天內付款。 '.repeat(20);
  const cl = await chunk(text, { size: 50, overlap: 0 });
  const o200k = await chunk(text, { size: 50, overlap: 0, encoding: 'o200k_base' });
  assert.equal(cl.documents.map((document) => document.text).join(''), text);
  assert.equal(o200k.documents.map((document) => document.text).join(''), text);
  assert.ok(o200k.documents.length < cl.documents.length, `${o200k.documents.length} vs ${cl.documents.length}`);
  assert.equal(o200k.documents[0]!.metadata.encoding, 'o200k_base');
});

test('special-token text is chunked as plain text', async () => {
  const text = 'before <|endoftext|> after';
  const { documents } = await chunk(text, { size: 4, overlap: 0 });
  assert.equal(documents.map((document) => document.text).join(''), text);
});

test('ids are stable across runs; metadata keeps the input meta with offset, start, end, tokens', async () => {
  const meta = { source: 'handbook.pdf', page: 2, offset: 500 };
  const first = await chunk(presidioReadme, { size: 200, overlap: 0 }, meta);
  const second = await chunk(presidioReadme, { size: 200, overlap: 0 }, meta);
  assert.deepEqual(first.documents.map((document) => document.id), second.documents.map((document) => document.id));
  assert.equal(new Set(first.documents.map((document) => document.id)).size, first.documents.length);
  const [document] = first.documents;
  assert.deepEqual(document!.metadata, {
    source: 'handbook.pdf', page: 2, offset: 500, start: 0, end: document!.text.length, tokens: countTokens(document!.text),
    encoding: 'cl100k_base', chunkIndex: 0, chunkCount: first.documents.length,
  });
});

test('empty or whitespace-only text emits an empty array and a warning', async () => {
  for (const text of ['', ' \n\n ']) {
    const { documents, warnings } = await chunk(text);
    assert.deepEqual(documents, []);
    assert.match(warnings[0]!, /doc\.txt.*empty or only whitespace/);
  }
});

test('config: overlap smaller than size, encodings listed', () => {
  assert.deepEqual(node.config.parse({}), { encoding: 'cl100k_base', size: 512, overlap: 64 });
  assert.deepEqual(node.config.safeParse({ size: 10, overlap: 10 }).error?.issues.map((issue) => issue.path), [['overlap']]);
  const unknown = node.config.safeParse({ encoding: 'p50k_base' });
  assert.match(unknown.error!.issues[0]!.message, /cl100k_base.*o200k_base/);
});
