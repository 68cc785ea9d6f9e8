import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/node-kit/index.js';
import node from './node.js';

const fixture = new URL('../../../test/fixtures/parse/report.docx', import.meta.url);
const bytes = new Uint8Array(readFileSync(fixture));
const mime = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const file = (name: string, content: Uint8Array) => ({ name, mime, bytes: content, meta: { source: name } });

const expectedText = `# Quarterly report

Revenue grew in every region this quarter.

## Regional numbers

| Region | Revenue | Growth |
| --- | --- | --- |
| Europe | 1200 | 12% |
| Asia | 800 | 8% |

- Europe led the growth.
- Asia followed.

Figures are in thousands of euros.`;

test('a Word document becomes text with its headings as # lines, its list, and its table on the table lane', async () => {
  const { emitted, problems, errors, warnings } = await runNode(node, { items: [{ item: file('report.docx', bytes) }] });
  assert.deepEqual([problems, errors, warnings], [[], [], []]);
  assert.deepEqual(emitted, [
    { lane: 'text', item: { text: expectedText, meta: { source: 'report.docx' } } },
    { lane: 'table', item: { columns: ['Region', 'Revenue', 'Growth'], rows: [['Europe', '1200', '12%'], ['Asia', '800', '8%']], meta: { source: 'report.docx', table: 1 } } },
  ]);
});

test('keepHeadings false writes headings as plain paragraphs', async () => {
  const { emitted } = await runNode(node, { config: { keepHeadings: false }, items: [{ item: file('report.docx', bytes) }] });
  assert.ok((emitted[0]!.item as { text: string }).text.startsWith('Quarterly report\n\nRevenue grew in every region this quarter.\n\nRegional numbers\n\n'));
});

test('a file given by path is read from disk', async () => {
  const { emitted } = await runNode(node, { items: [{ item: { name: 'report.docx', mime, path: fileURLToPath(fixture), meta: {} } }] });
  assert.deepEqual(emitted[0], { lane: 'text', item: { text: expectedText, meta: { source: 'report.docx' } } });
});

test('a truncated .docx fails with PARSE_UNREADABLE naming the format, and the next document is still parsed', async () => {
  const { emitted, errors } = await runNode(node, { items: [{ item: file('broken.docx', bytes.subarray(0, 4000)) }, { item: file('report.docx', bytes) }] });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'PARSE_UNREADABLE');
  assert.match(errors[0]!.message, /^"broken\.docx" is not a readable Word \.docx \(/);
  assert.match(errors[0]!.hint, /intact \.docx/);
  assert.deepEqual(emitted.map((entry) => [entry.lane, (entry.item as { meta: { source: string } }).meta.source]), [['text', 'report.docx'], ['table', 'report.docx']]);
});

test('a legacy .doc (compound file) is refused with a hint to save it as .docx', async () => {
  const legacy = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
  const { errors } = await runNode(node, { items: [{ item: file('old.doc', legacy) }] });
  assert.deepEqual(errors.map((error) => [error.code, error.message]), [
    ['PARSE_UNREADABLE', '"old.doc" is not a readable Word .docx: it is a legacy .doc file or a password-protected document.'],
  ]);
  assert.match(errors[0]!.hint, /Save it as \.docx/);
});

test('an empty file is a warning, not a failure', async () => {
  const { emitted, errors, warnings } = await runNode(node, { items: [{ item: file('empty.docx', new Uint8Array(0)) }] });
  assert.deepEqual([emitted, errors, warnings], [[], [], ['Word document "empty.docx" is empty (0 bytes): nothing emitted.']]);
});
