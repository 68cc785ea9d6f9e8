import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runNode, type QuestionItem } from '../../../src/node-kit/index.js';
import promptRag from './node.js';

const question: QuestionItem = {
  text: 'When is a branch trace recorded?',
  context: [
    { id: 'tm#p5-2', text: 'When a side exit becomes hot,\nTraceMonkey starts a new branch trace.', metadata: { source: 'tracemonkey.pdf', page: 5, score: 0.6 } },
    { id: 'notes-1', text: 'Unrelated note.', metadata: {} },
  ],
  meta: { source: 'text' },
};

test('the prompt numbers the context with source, page and id, then asks the original question', async () => {
  const result = await runNode(promptRag, { items: [{ item: question }] });
  assert.deepEqual(result.problems, []);
  const prompt = result.emitted[0]!.item as QuestionItem;
  assert.match(prompt.text, /^Answer the question using only the numbered context/);
  assert.ok(prompt.text.includes('[1] (tracemonkey.pdf, page 5, id tm#p5-2) When a side exit becomes hot, TraceMonkey starts a new branch trace.'));
  assert.ok(prompt.text.includes('[2] (id notes-1) Unrelated note.'));
  assert.ok(prompt.text.endsWith('Question: When is a branch trace recorded?'));
  assert.deepEqual(prompt.meta!.citations, [
    { n: 1, id: 'tm#p5-2', source: 'tracemonkey.pdf', page: 5 },
    { n: 2, id: 'notes-1', source: null, page: null },
  ]);
  assert.equal(prompt.meta!.question, 'When is a branch trace recorded?');
  assert.equal(prompt.meta!.source, 'text');
  assert.equal(prompt.context!.length, 2);
});

test('passages over maxContextChars are cut and the rest left out with a warning', async () => {
  const long = { ...question, context: [{ id: 'x', text: 'y'.repeat(300), metadata: {} }, ...question.context!] };
  const result = await runNode(promptRag, { config: { maxContextChars: 100 }, items: [{ item: long }] });
  const prompt = result.emitted[0]!.item as QuestionItem;
  assert.ok(prompt.text.includes(`[1] (id x) ${'y'.repeat(100)}…`));
  assert.equal((prompt.meta!.citations as unknown[]).length, 1);
  assert.match(result.warnings[0]!, /2 context passage\(s\) left out/);
});

test('a question without context still gives a prompt and a warning', async () => {
  const result = await runNode(promptRag, { items: [{ item: { text: 'Why?' } }] });
  assert.match((result.emitted[0]!.item as QuestionItem).text, /\(no context found\)/);
  assert.equal(result.warnings.length, 1);
});
