import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runNode, type QuestionItem, type TextItem } from '../../../src/node-kit/index.js';
import promptTemplate from './node.js';

const question: QuestionItem = {
  text: 'When is a branch trace recorded?',
  history: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }],
  context: [
    { id: 'tm#p5-2', text: 'A hot side exit starts a branch trace.', metadata: { source: 'tracemonkey.pdf', page: 5 } },
    { id: 'notes-1', text: 'Unrelated <note> & more.', metadata: {} },
  ],
  embedding: [0.1, 0.2],
  meta: { source: 'text' },
};

const grounded = 'Use the passages.\n{{#context}}[{{n}}] ({{source}}) {{text}}\n{{/context}}Q: {{text}}';

test('a question is rendered with its numbered context and keeps history, context and citations for llm.chat', async () => {
  const result = await runNode(promptTemplate, { config: { template: grounded }, items: [{ lane: 'question', item: question }] });
  assert.deepEqual(result.problems, []);
  const emitted = result.emitted[0]!;
  assert.equal(emitted.lane, 'question');
  const prompt = emitted.item as QuestionItem;
  assert.equal(prompt.text, 'Use the passages.\n[1] (tracemonkey.pdf) A hot side exit starts a branch trace.\n[2] () Unrelated <note> & more.\nQ: When is a branch trace recorded?');
  assert.deepEqual(prompt.history, question.history);
  assert.deepEqual(prompt.context, question.context);
  assert.deepEqual(prompt.embedding, [0.1, 0.2]);
  assert.deepEqual(prompt.meta, {
    source: 'text',
    question: 'When is a branch trace recorded?',
    citations: [
      { n: 1, id: 'tm#p5-2', source: 'tracemonkey.pdf', page: 5 },
      { n: 2, id: 'notes-1', source: null, page: null },
    ],
  });
  // The second passage has no source: named once, not silently blank.
  assert.deepEqual(result.warnings, ['Template variables not set on the item, rendered empty: source.']);
  assert.deepEqual(result.attributes['prompt.missing'], ['source']);
});

test('a template that does not render context leaves meta.citations out, so llm.chat adds the context itself', async () => {
  const result = await runNode(promptTemplate, { config: { template: 'Be brief. {{text}}' }, items: [{ lane: 'question', item: question }] });
  const prompt = result.emitted[0]!.item as QuestionItem;
  assert.equal(prompt.text, 'Be brief. When is a branch trace recorded?');
  assert.equal(prompt.meta!.citations, undefined);
  assert.deepEqual(result.warnings, []);
});

test('text in, text out with config variables; a missing variable is warned once per run, naming it', async () => {
  const item: TextItem = { text: 'The invoice is due on May 3.', meta: { source: 'invoice.txt' } };
  const result = await runNode(promptTemplate, {
    config: { template: 'Summarize in {{sentences}} sentences for {{audience}} ({{meta.source}}, page {{meta.page}}):\n{{text}}', as: 'text', variables: { sentences: '2' } },
    items: [{ lane: 'text', item }, { lane: 'text', item }],
  });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.emitted.map((emitted) => emitted.lane), ['text', 'text']);
  assert.deepEqual(result.emitted[0]!.item, { text: 'Summarize in 2 sentences for  (invoice.txt, page ):\nThe invoice is due on May 3.', meta: { source: 'invoice.txt' } });
  assert.deepEqual(result.warnings, ['Template variables not set on the item, rendered empty: audience, meta.page.']);
});

test('text in, question out', async () => {
  const result = await runNode(promptTemplate, { config: { template: 'Translate to French: {{text}}' }, items: [{ lane: 'text', item: { text: 'Good morning', meta: {} } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.emitted, [{ lane: 'question', item: { text: 'Translate to French: Good morning', meta: {} } }]);
});

test('a template that renders nothing for a question is PROMPT_RENDERED_EMPTY naming the empty variables', async () => {
  const result = await runNode(promptTemplate, { config: { template: '{{topic}}' }, items: [{ lane: 'question', item: question }] });
  assert.equal(result.emitted.length, 0);
  assert.equal(result.errors[0]?.code, 'PROMPT_RENDERED_EMPTY');
  assert.match(result.errors[0]!.message, /\(empty: topic\)/);
});

test('prompt:<name> loads the template from the prompts folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipelane-prompts-'));
  writeFileSync(join(dir, 'shout.md'), '---\ndescription: Asks loudly\n---\nPLEASE ANSWER: {{text}}');
  const previous = process.env.PIPELANE_PROMPTS_DIR;
  process.env.PIPELANE_PROMPTS_DIR = dir;
  try {
    const result = await runNode(promptTemplate, { config: { template: 'prompt:shout' }, items: [{ lane: 'question', item: { text: 'why?' } }] });
    assert.equal((result.emitted[0]!.item as QuestionItem).text, 'PLEASE ANSWER: why?');
  } finally {
    if (previous === undefined) delete process.env.PIPELANE_PROMPTS_DIR;
    else process.env.PIPELANE_PROMPTS_DIR = previous;
  }
});

test('the config refuses an unknown prompt (naming the nearest), a broken template and a reserved variable', () => {
  const unknown = promptTemplate.config.safeParse({ template: 'prompt:judgee' });
  assert.match(unknown.error?.issues[0]?.message ?? '', /No prompt "judgee" .*Nearest: judge/);
  const broken = promptTemplate.config.safeParse({ template: '{{#context}}{{text}}' });
  assert.match(broken.error?.issues[0]?.message ?? '', /not a valid mustache template/);
  const reserved = promptTemplate.config.safeParse({ template: '{{text}}', variables: { text: 'x' } });
  assert.deepEqual(reserved.error?.issues[0]?.path, ['variables']);
  assert.equal(promptTemplate.outputsFor!(promptTemplate.config.parse({ template: 'x', as: 'text' })).join(), 'text');
});
