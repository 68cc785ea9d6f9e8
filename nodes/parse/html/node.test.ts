import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type LaneName } from '../../../src/node-kit/index.js';
import node from './node.js';

const articleBytes = new Uint8Array(readFileSync(new URL('../../../test/fixtures/parse/article.html', import.meta.url)));
const articleFile = { name: 'article.html', mime: 'text/html', bytes: articleBytes, meta: { source: 'article.html' } };

async function parse(items: Array<{ lane?: LaneName; item: unknown }>, config: Record<string, unknown> = {}) {
  const result = await runNode(node, { config, items });
  assert.deepEqual(result.problems, []);
  return result;
}

const expectedArticle = `# Quarterly report

Revenue grew in every region this quarter. Europe led with twelve percent growth, while Asia added eight percent on the back of new customers in Singapore and Seoul.

## Regional numbers

The table below lists revenue in thousands of euros and growth against the same quarter last year.

| Region | Revenue | Growth |
| --- | --- | --- |
| Europe | 1,200 | 12% |
| Asia | 800 | 8% |

## Outlook

- Hire two engineers in Lisbon.
- Open the Seoul office in the spring.

The board expects growth to continue through the year, with the usual caveats about currency and demand.`;

test('the main content of a page keeps the article, its headings and list, and drops nav, script, style and footer', async () => {
  const { emitted, errors, warnings } = await parse([{ lane: 'file', item: articleFile }]);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  assert.deepEqual(emitted[0], { lane: 'text', item: { text: expectedArticle, meta: { source: 'article.html', title: 'Quarterly report', lang: 'en' } } });
  const text = (emitted[0]!.item as { text: string }).text;
  for (const unwanted of ['NAVIGATION', 'SCRIPT', 'FOOTER', 'font-family', 'Example Gazette']) assert.ok(!text.includes(unwanted), unwanted);
});

test('each data table is a table item with columns from <th> and rows of cell text', async () => {
  const { emitted } = await parse([{ lane: 'file', item: articleFile }]);
  assert.deepEqual(
    emitted.filter((entry) => entry.lane === 'table'),
    [{ lane: 'table', item: { columns: ['Region', 'Revenue', 'Growth'], rows: [['Europe', '1,200', '12%'], ['Asia', '800', '8%']], meta: { source: 'article.html', table: 1 } } }],
  );
});

test('html on the text lane is parsed too, with the source from its meta', async () => {
  const html = '<html><body><article><h2>Notes</h2><p>First <b>bold</b> line<br>second line</p></article></body></html>';
  const { emitted } = await parse([{ lane: 'text', item: { text: html, meta: { source: 'notes.html', mime: 'text/html' } } }]);
  assert.deepEqual(emitted, [{ lane: 'text', item: { text: '## Notes\n\nFirst bold line\nsecond line', meta: { source: 'notes.html' } } }]);
});

test('mainContentOnly false keeps header and footer but still drops navigation and scripts', async () => {
  const { emitted } = await parse([{ lane: 'file', item: articleFile }], { mainContentOnly: false });
  const text = (emitted[0]!.item as { text: string }).text;
  assert.ok(text.startsWith('Example Gazette, the paper of record for invented numbers\n\n# Quarterly report\n\n'), text.slice(0, 120));
  assert.ok(text.endsWith('\n\nCopyright FOOTER-SHOULD-NOT-APPEAR'));
  assert.ok(!text.includes('NAVIGATION') && !text.includes('SCRIPT'));
});

test('keepHeadings false writes headings as plain paragraphs', async () => {
  const { emitted } = await parse([{ lane: 'file', item: articleFile }], { keepHeadings: false });
  const text = (emitted[0]!.item as { text: string }).text;
  assert.ok(text.startsWith('Quarterly report\n\nRevenue grew in every region'), text.slice(0, 60));
  assert.ok(text.includes('\n\nRegional numbers\n\n'));
  assert.doesNotMatch(text, /^#/m);
});

test('a table without <th> takes its first row as header; spans repeat down and pad across; several header rows join', async () => {
  const html =
    '<table><caption>Stock</caption><tr><td>Item</td><td>Count</td></tr><tr><td>Pens</td><td>4</td></tr><tr><td></td><td></td></tr></table>' +
    '<table><tr><th colspan="2">Q1</th><th rowspan="2">Total</th></tr><tr><th>Units</th><th>Price</th></tr>' +
    '<tr><td rowspan="2">1</td><td>2</td><td>3</td></tr><tr><td>5</td><td>6</td></tr><tr><td colspan="3">All</td></tr></table>';
  const { emitted } = await parse([{ lane: 'text', item: { text: html, meta: { source: 'tables.html' } } }]);
  assert.deepEqual(
    emitted.filter((entry) => entry.lane === 'table').map((entry) => entry.item),
    [
      { columns: ['Item', 'Count'], rows: [['Pens', '4']], meta: { source: 'tables.html', table: 1, caption: 'Stock' } },
      {
        columns: ['Q1 / Units', 'Q1 / Price', 'Total'],
        rows: [['1', '2', '3'], ['1', '5', '6'], ['All', '', '']],
        meta: { source: 'tables.html', table: 2 },
      },
    ],
  );
});

test('a page with only scripts and navigation warns, emits nothing, and the next item is still parsed', async () => {
  const empty = '<html><head><script>var x = 1;</script></head><body><nav><a href="/">Home</a></nav></body></html>';
  const { emitted, warnings, errors } = await parse([
    { lane: 'text', item: { text: empty, meta: { source: 'empty.html' } } },
    { lane: 'text', item: { text: '   ', meta: { source: 'blank.html' } } },
    { lane: 'text', item: { text: '<p>Still here.</p>', meta: { source: 'next.html' } } },
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, ['HTML "empty.html" has no text: nothing emitted.', 'HTML "blank.html" is empty: nothing emitted.']);
  assert.deepEqual(emitted, [{ lane: 'text', item: { text: 'Still here.', meta: { source: 'next.html' } } }]);
});

test('a page that declares a legacy charset is decoded with it', async () => {
  const ascii = (text: string) => [...new TextEncoder().encode(text)];
  const bytes = new Uint8Array([...ascii('<html><head><meta charset="iso-8859-1"></head><body><p>Caf'), 0xe9, ...ascii(' cr'), 0xe8, ...ascii('me</p></body></html>')]);
  const { emitted, warnings } = await parse([{ lane: 'file', item: { name: 'cafe.html', mime: 'text/html', bytes, meta: {} } }]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(emitted, [{ lane: 'text', item: { text: 'Café crème', meta: { source: 'cafe.html' } } }]);
});
