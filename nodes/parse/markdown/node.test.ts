import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/node-kit/index.js';
import node from './node.js';

const notes = readFileSync(new URL('../../../test/fixtures/parse/notes.md', import.meta.url), 'utf8');
const notesFile = { name: 'notes.md', mime: 'text/markdown', bytes: new TextEncoder().encode(notes), meta: { source: 'notes.md' } };

async function parseText(text: string, source = 'doc.md') {
  const result = await runNode(node, { items: [{ lane: 'text', item: { text, meta: { source } } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  return result;
}

test('front matter moves into meta and the body is emitted unchanged from where it starts in the file', async () => {
  const { emitted, warnings } = await runNode(node, { items: [{ lane: 'file', item: notesFile }] });
  assert.deepEqual(warnings, []);
  const body = notes.slice(notes.indexOf('# Release notes')).trimEnd();
  assert.deepEqual(emitted[0], {
    lane: 'text',
    item: {
      text: body,
      meta: {
        source: 'notes.md',
        offset: notes.indexOf('# Release notes'),
        title: 'Release notes',
        frontMatter: { title: 'Release notes', version: 1.2, draft: false, tags: ['parse', 'fixtures'], authors: ['Ada', 'Grace'] },
      },
    },
  });
  assert.equal(notes.slice(106, 106 + body.length), body, 'meta.offset points at the body in the file');
});

test('a GitHub table becomes a table item with plain-text cells; a table shown inside a code fence does not', async () => {
  const { emitted } = await runNode(node, { items: [{ lane: 'file', item: notesFile }] });
  assert.deepEqual(
    emitted.filter((entry) => entry.lane === 'table'),
    [
      {
        lane: 'table',
        item: {
          columns: ['Format', 'Node', 'Tables'],
          rows: [
            ['HTML', 'parse.html', 'yes'],
            ['Word', 'parse.docx', 'yes'],
            ['CSV | TSV', 'parse.csv', 'a|b or c'],
          ],
          meta: { source: 'notes.md', table: 1 },
        },
      },
    ],
  );
});

test('a table right after a paragraph line, without outer pipes, with short and long rows', async () => {
  const { emitted } = await parseText('Totals follow.\nname | count\n--- | ---:\nAda | 3 | extra\nGrace\n\nAfter.');
  assert.deepEqual(emitted.map((entry) => entry.item), [
    { text: 'Totals follow.\nname | count\n--- | ---:\nAda | 3 | extra\nGrace\n\nAfter.', meta: { source: 'doc.md' } },
    { columns: ['name', 'count'], rows: [['Ada', '3'], ['Grace', '']], meta: { source: 'doc.md', table: 1 } },
  ]);
});

test('without front matter the title is the first level-1 heading and there is no offset', async () => {
  const { emitted } = await parseText('Intro.\n\n## Minor\n\n# Main title\n\nText.\n');
  assert.deepEqual(emitted, [{ lane: 'text', item: { text: 'Intro.\n\n## Minor\n\n# Main title\n\nText.', meta: { source: 'doc.md', title: 'Main title' } } }]);
});

test('front matter: quoted values, comments, block text, nested keys; lines beyond simple YAML are warned about', async () => {
  const document = [
    '---',
    'title: "Notes: part 2" # a comment',
    "owner: 'O''Brien'",
    'summary: >',
    '  Two folded',
    '  lines.',
    'build:',
    '  date: 2024-03-15',
    '  steps: [lint, "test, all"]',
    '!!binary odd',
    '---',
    'Body.',
  ].join('\n');
  const { emitted, warnings } = await parseText(document);
  assert.deepEqual((emitted[0]!.item as { meta: Record<string, unknown> }).meta, {
    source: 'doc.md',
    offset: document.indexOf('Body.'),
    title: 'Notes: part 2',
    frontMatter: { title: 'Notes: part 2', owner: "O'Brien", summary: 'Two folded lines.', build: { date: '2024-03-15', steps: ['lint', 'test, all'] } },
  });
  assert.deepEqual(warnings, [
    'Front matter of "doc.md": line(s) 9 are not simple YAML (key: value, lists, nested keys) and were left out of meta.frontMatter.',
  ]);
});

test('an unclosed front matter block is text; a document with only front matter warns and the next item is served', async () => {
  const { emitted, warnings } = await runNode(node, {
    items: [
      { lane: 'text', item: { text: '---\ntitle: x\n---\n\n', meta: { source: 'only-front.md' } } },
      { lane: 'text', item: { text: '---\nnot closed\n', meta: { source: 'open.md' } } },
    ],
  });
  assert.deepEqual(warnings, ['Markdown "only-front.md" has no text after its front matter: nothing emitted.']);
  assert.deepEqual(emitted, [{ lane: 'text', item: { text: '---\nnot closed', meta: { source: 'open.md' } } }]);
});
