import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphemeBoundaries } from './segments.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

test('graphemeBoundaries (ASCII fast path) agrees with Intl.Segmenter on mixed text', () => {
  // ZWJ family, flag, combining accents (also on a space), CR LF, Hangul jamo, skin tone, an Arabic prepend mark, keycap
  const parts = ['👩‍👩‍👧‍👦', '🇫🇷', 'e\u0301', ' \u0301', '\r\n', '\r', '\n', 'a', 'b', '한', '\u1100\u1161\u11A8', '👍🏽', '\u0600', '1\uFE0F\u20E3', 'x'];
  let seed = 3;
  const pick = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let round = 0; round < 200; round++) {
    const text = Array.from({ length: 300 }, () => parts[pick() % parts.length]!).join('');
    const expected = new Uint8Array(text.length + 1);
    for (const segment of graphemes.segment(text)) expected[segment.index] = 1;
    expected[text.length] = 1;
    assert.deepEqual(graphemeBoundaries(text), expected, JSON.stringify(text));
  }
});

test('graphemeBoundaries on a megabyte of ASCII takes well under a second', () => {
  const text = 'The quick brown fox jumps over the lazy dog.\r\n'.repeat(25_000);
  const started = performance.now();
  const boundaries = graphemeBoundaries(text);
  assert.ok(performance.now() - started < 1000);
  assert.equal(boundaries[text.indexOf('\n')], 0, 'no boundary inside CR LF');
  assert.equal(boundaries.reduce((sum, value) => sum + value, 0), text.length + 1 - 25_000);
});
