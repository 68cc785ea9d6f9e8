import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatOutputs } from '../../src/cli/format-outputs.js';

test('output headings count documents in lists, entities found, and other items', () => {
  const text = formatOutputs({
    chunks: [[{ id: 'a', text: 'one' }, { id: 'b', text: 'two' }], [{ id: 'c', text: 'three' }]],
    entities: [{ text: 'x', entities: [{ type: 'PERSON', text: 'Ann', start: 0, end: 3, score: 0.85 }, { type: 'LOCATION', text: 'Oslo', start: 9, end: 13, score: 0.85 }] }],
    single: [{ text: 'only' }],
  });
  assert.match(text, /── chunks \(3 documents\) ──/);
  assert.match(text, /── entities \(2 entities\) ──/);
  assert.match(text, /── single \(1 item\) ──/);
  assert.match(text, /PERSON {9}"Ann" at 0–3 \(score 0\.85\)/);
});
