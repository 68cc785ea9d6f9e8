import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrontMatterError, splitFrontMatter } from '../../src/prompts/index.js';

test('front matter gives scalars, a list of argument maps and the trimmed body', () => {
  const source = [
    '---',
    '# a comment',
    'description: Score an answer: 0 to 10 # trailing comment',
    'arguments:',
    '  - name: question',
    '    description: "The task, with \\"quotes\\""',
    '    required: true',
    '  - name: answer',
    "    description: 'It''s the answer'",
    '---',
    '',
    'Task: {{question}}',
    '',
  ].join('\r\n');
  const { data, body } = splitFrontMatter(source);
  assert.deepEqual(data, {
    description: 'Score an answer: 0 to 10',
    arguments: [
      { name: 'question', description: 'The task, with "quotes"', required: true },
      { name: 'answer', description: "It's the answer" },
    ],
  });
  assert.equal(body, 'Task: {{question}}');
});

test('list items may sit at the key\'s own indentation, and [] is an empty list', () => {
  assert.deepEqual(splitFrontMatter('---\narguments:\n- name: x\n  required: false\ntags: []\n---\nbody').data, {
    arguments: [{ name: 'x', required: false }],
    tags: [],
  });
});

test('a file without front matter is all body', () => {
  assert.deepEqual(splitFrontMatter('\nJust text.\n'), { data: {}, body: 'Just text.' });
});

for (const [name, source, line, pattern] of [
  ['an unclosed block', '---\ndescription: x\nbody', 1, /never closed/],
  ['a stray indented line', '---\ndescription: x\n  more: y\n---\nbody', 3, /unexpected indentation/],
  ['a line that is not key: value', '---\ndescription x\n---\nbody', 2, /expected "key: value"/],
  ['a nested list', '---\narguments:\n  - name:\n    - deeper\n---\nbody', 3, /nested lists are not supported/],
  ['a duplicate key', '---\ndescription: a\ndescription: b\n---\nbody', 3, /given twice/],
  ['an unterminated quote', '---\ndescription: "open\n---\nbody', 2, /double-quoted/],
  ['a flow map', '---\ndescription: {a: 1}\n---\nbody', 2, /not supported/],
] as const) {
  test(`${name} is an error naming its line`, () => {
    assert.throws(
      () => splitFrontMatter(source),
      (error: unknown) => error instanceof FrontMatterError && error.line === line && pattern.test(error.message),
    );
  });
}
