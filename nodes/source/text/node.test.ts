import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runNode } from '../../../src/node-kit/index.js';
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
