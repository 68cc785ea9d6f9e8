import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTimestamp, newSpanId } from '../../../src/trace/index.js';

test('span ids are distinct RFC 4122 version-4 UUIDs', () => {
  const ids = Array.from({ length: 20_000 }, () => newSpanId());
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids.slice(0, 2_000)) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // Every hex digit of the random part varies: no byte of the pool is left unused or fixed.
  const positions = [0, 9, 15, 20, 24, 35]; // not 14 (the version) or 19 (the variant)
  for (const position of positions) assert.ok(new Set(ids.map((id) => id[position])).size >= 15, `position ${position}`);
});

test('isoTimestamp equals toISOString for each millisecond, and repeats the string within one', () => {
  for (const ms of [0, 1_733_000_000_000, 1_733_000_000_001, 1_733_000_000_001, Date.UTC(2026, 11, 4, 23, 59, 59, 999)]) {
    assert.equal(isoTimestamp(ms), new Date(ms).toISOString());
  }
  const now = Date.now();
  assert.equal(isoTimestamp(now), isoTimestamp(now));
});
