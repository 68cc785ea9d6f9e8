import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toolResultJson, TOOL_RESULT_MAX_CHARS } from '../../src/engine/index.js';

test('a small result is plain JSON with bytes and embeddings abbreviated', () => {
  const text = toolResultJson({ emitted: [{ lane: 'image', item: { bytes: new Uint8Array(1234), mime: 'image/png', meta: {} } }, { lane: 'documents', item: [{ id: 'a', text: 't', metadata: {}, embedding: [0.1, 0.2, 0.3] }] }] });
  assert.deepEqual(JSON.parse(text), {
    emitted: [
      { lane: 'image', item: { bytes: { $bytes: 1234 }, mime: 'image/png', meta: {} } },
      { lane: 'documents', item: [{ id: 'a', text: 't', metadata: {}, embedding: { $embedding: 3 } }] },
    ],
  });
});

test('a long text is shortened to fit, still valid JSON, with a note', () => {
  const text = toolResultJson({ emitted: [{ lane: 'text', item: { text: 'x'.repeat(50_000), meta: {} } }] });
  assert.ok(text.length <= TOOL_RESULT_MAX_CHARS, `${text.length}`);
  const parsed = JSON.parse(text) as { emitted: Array<{ item: { text: string } }>; note: string };
  assert.match(parsed.emitted[0]!.item.text, /^x{2000}…\(\+48000 chars\)$/);
  assert.match(parsed.note, /cut to about 8000 characters \(it had 500\d\d\)/);
});

test('thousands of items are cut to the first ones that fit, with a count of what was left out', () => {
  const items = Array.from({ length: 5_000 }, (_, index) => ({ lane: 'text', item: { text: `line ${index}`, meta: {} } }));
  const text = toolResultJson({ emitted: items });
  assert.ok(text.length <= TOOL_RESULT_MAX_CHARS, `${text.length}`);
  const parsed = JSON.parse(text) as { emitted: Array<{ item: { text: string } }>; note: string };
  assert.ok(parsed.emitted.length > 50);
  assert.equal(parsed.emitted[0]!.item.text, 'line 0');
  const left = Number(/and (\d+) list entries left out/.exec(parsed.note)?.[1]);
  assert.equal(parsed.emitted.length + left, 5_000);
});
