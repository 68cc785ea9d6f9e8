import { test } from 'node:test';
import assert from 'node:assert/strict';
import { previewOf, redactSecrets } from '../../../src/trace/index.js';

test('a short top-level string is returned unchanged and unquoted', () => {
  assert.equal(previewOf('Invoice 2024-001'), 'Invoice 2024-001');
});

test('a long string is cut at maxChars with a count of the cut characters', () => {
  assert.equal(previewOf('a'.repeat(600)), `${'a'.repeat(500)}…(+100 chars)`);
  assert.equal(previewOf('abcdefghij', 4), 'abcd…(+6 chars)');
});

test('a cut never splits a surrogate pair', () => {
  // '😀' is two UTF-16 units; a cut at 2 would leave half of it.
  assert.equal(previewOf('a😀bc', 2), 'a…(+4 chars)');
});

test('bytes become <bytes N>, at the top level and nested', () => {
  assert.equal(previewOf(Buffer.alloc(12345)), '<bytes 12345>');
  assert.equal(previewOf(new Uint8Array(3)), '<bytes 3>');
  assert.equal(previewOf({ image: new Uint8Array(7), name: 'a.png' }), '{"image":"<bytes 7>","name":"a.png"}');
  assert.equal(previewOf([new ArrayBuffer(9)]), '["<bytes 9>"]');
});

test('an array of 20 items is shown whole', () => {
  const items = Array.from({ length: 20 }, (_, index) => index);
  assert.equal(previewOf(items), JSON.stringify(items));
});

test('an array longer than 20 shows its first 10 items and the count of the rest', () => {
  const items = Array.from({ length: 25 }, (_, index) => index);
  assert.equal(previewOf(items), '[0,1,2,3,4,5,6,7,8,9,"…(+15 items)"]');
});

test('a circular reference is marked, a shared one is rendered each time', () => {
  const node: Record<string, unknown> = { name: 'a' };
  node.self = node;
  assert.equal(previewOf(node), '{"name":"a","self":"<circular>"}');
  const shared = { n: 1 };
  assert.equal(previewOf({ x: shared, y: shared }), '{"x":{"n":1},"y":{"n":1}}');
});

test('nested strings are cut at half of maxChars', () => {
  const preview = previewOf({ text: 'x'.repeat(1000), page: 2 });
  assert.equal(preview, `{"text":"${'x'.repeat(250)}…(+750 chars)","page":2}`);
});

test('the preview of a large structure is exactly maxChars plus the suffix', () => {
  const big = Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`key${index}`, 'v'.repeat(100)]));
  const preview = previewOf(big, 300);
  const match = /^(.*)…\(\+(\d+) chars\)$/s.exec(preview);
  assert.ok(match, preview.slice(-40));
  assert.equal(match[1]?.length, 300);
  assert.ok(Number(match[2]) > 5000, `cut ${match[2]} chars`);
});

test('maps, sets, dates, errors, bigints and undefined render readably', () => {
  assert.equal(previewOf(new Map([['a', 1]])), '{"a":1}');
  assert.equal(previewOf(new Set([1, 2])), '[1,2]');
  assert.equal(previewOf(new Date('2024-05-01T10:00:00.000Z')), '"2024-05-01T10:00:00.000Z"');
  assert.equal(previewOf(new TypeError('bad')), '{"name":"TypeError","message":"bad"}');
  assert.equal(previewOf({ count: 10n, missing: undefined, list: [undefined] }), '{"count":10n,"list":[null]}');
  assert.equal(previewOf(undefined), 'undefined');
  assert.equal(previewOf(null), 'null');
});

test('nesting deeper than 8 levels is summarised', () => {
  let value: unknown = 'leaf';
  for (let level = 0; level < 10; level += 1) value = [value];
  assert.equal(previewOf(value), `${'['.repeat(8)}"<array 1>"${']'.repeat(8)}`);
});

test('secrets given to previewOf are masked before the cut, so no prefix leaks', () => {
  const secret = 'sk-live-SECRETVALUE';
  assert.equal(previewOf(`token ${secret}`, 10, { secrets: [secret] }), 'token ***');
  assert.equal(previewOf({ [secret]: `Bearer ${secret}` }, 500, { secrets: [secret] }), '{"***":"Bearer ***"}');
});

test('redactSecrets masks every occurrence of each secret', () => {
  assert.equal(redactSecrets('key=abcd1234; again abcd1234.', ['abcd1234']), 'key=***; again ***.');
});

test('redactSecrets ignores empty secrets and secrets shorter than 4 characters', () => {
  assert.equal(redactSecrets('abc abc', ['abc', '']), 'abc abc');
  assert.equal(redactSecrets('abcd', ['abcd']), '***');
});

test('redactSecrets masks the longer of two overlapping secrets whole', () => {
  assert.equal(redactSecrets('x abcdefgh y', ['abcd', 'abcdefgh']), 'x *** y');
});

test('redactSecrets treats secrets literally, not as patterns', () => {
  assert.equal(redactSecrets('x a.b*c+ y aXbbc', ['a.b*c+']), 'x *** y aXbbc');
});
