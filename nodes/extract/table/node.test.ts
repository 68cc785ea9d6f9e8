import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type TableItem } from '../../../src/node-kit/index.js';
import node from './node.js';

async function extract(text: string, config: Record<string, unknown> = {}, meta: Record<string, unknown> = { source: 'scan.txt' }) {
  const result = await runNode(node, { config, items: [{ item: { text, meta } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  assert.ok(result.emitted.every((emitted) => emitted.lane === 'table'));
  return { tables: result.emitted.map((emitted) => emitted.item as TableItem), warnings: result.warnings };
}

const invoice = readFileSync(new URL('../../../samples/scanned-invoice.txt', import.meta.url), 'utf8');
const valueOf = (table: TableItem, key: string) => table.rows.find((row) => row[0] === key)?.[1];

test('the demo invoice: two key/value tables and a line-item table with a Qty column', async () => {
  const { tables } = await extract(invoice, {}, { source: 'scanned-invoice.txt', page: 1 });
  assert.deepEqual(tables.map((table) => [table.meta.kind, table.meta.lineStart, table.meta.lineEnd]), [
    ['key-value', 5, 15],
    ['columns', 16, 23],
    ['key-value', 25, 31],
  ]);
  const [header, items, payment] = tables;
  assert.equal(valueOf(header!, 'Invoice number'), 'INV-2024-0815');
  assert.deepEqual(header!.rows.map((row) => row[0]), ['Invoice number', 'Invoice date', 'Due date', 'Customer ID', 'Bill to', 'E-mail', 'Phone']);
  assert.equal(valueOf(header!, 'Bill to'), 'Jane Doe\n1200 Market Street, Apt 5B\nSan Francisco, CA 94102\nUnited States');
  assert.equal(valueOf(header!, 'Phone'), '+1 415-555-0132');
  assert.deepEqual(items!.columns, ['Description', 'Qty', 'Unit price', 'Amount (EUR)']);
  assert.deepEqual(items!.rows, [
    ['Recycled copy paper A4, 500 sheets', 10, 5.9, 59],
    ['Ballpoint pens, blue, box of 50', 2, 12.5, 25],
    ['Archive boxes, cardboard', 5, 3.8, 19],
    ['Desk organizer, bamboo', 1, 24.9, 24.9],
    ['Subtotal', null, null, 127.9],
    ['VAT 19%', null, null, 24.3],
    ['Total due (EUR)', null, null, 152.2],
  ]);
  const quantities = items!.rows.slice(0, 4).map((row) => row[1] as number);
  assert.deepEqual(quantities, [10, 2, 5, 1]);
  assert.equal(valueOf(payment!, 'BIC'), 'COBADEFFXXX');
  assert.match(valueOf(payment!, 'Payment terms') as string, /^please pay .* by bank transfer .* on your part\.$/, 'a wrapped value goes on in lowercase');
  assert.deepEqual(items!.meta, { source: 'scanned-invoice.txt', page: 1, offset: invoice.indexOf('Description Qty'), kind: 'columns', lineStart: 16, lineEnd: 23 });
});

test('OCR that dropped a quantity: the row keeps its place, Qty is null', async () => {
  const ocr = invoice.replace('Desk organizer, bamboo 1 24.90', 'Desk organizer, bamboo 24.90');
  const { tables } = await extract(ocr, { mode: 'columns' });
  assert.equal(tables.length, 1);
  assert.deepEqual(tables[0]!.rows[3], ['Desk organizer, bamboo', null, 24.9, 24.9]);
});

test('modes: key-value finds only the fields, columns only the line items', async () => {
  const keyValue = await extract(invoice, { mode: 'key-value' });
  assert.deepEqual(keyValue.tables.map((table) => table.meta.kind), ['key-value', 'key-value']);
  const columns = await extract(invoice, { mode: 'columns' });
  assert.deepEqual(columns.tables.map((table) => table.columns[1]), ['Qty']);
});

test('columns aligned with spaces: gutters, a two-word header, right-aligned numbers, an empty cell', async () => {
  const text = [
    'Quarterly report',
    '',
    'Region        Units   Unit price    Revenue',
    '------------  -----   ----------   --------',
    'North           120        9.50    1,140.00',
    'South Coast      75       12.00      900.00',
    'East                       8.25',
    '',
    'Figures are preliminary.',
  ].join('\n');
  const { tables } = await extract(text);
  assert.equal(tables.length, 1);
  assert.deepEqual(tables[0]!.columns, ['Region', 'Units', 'Unit price', 'Revenue']);
  assert.deepEqual(tables[0]!.rows, [
    ['North', 120, 9.5, 1140],
    ['South Coast', 75, 12, 900],
    ['East', null, 8.25, null],
  ]);
  assert.deepEqual([tables[0]!.meta.lineStart, tables[0]!.meta.lineEnd], [3, 7]);
});

test('tab-separated lines keep empty cells; a table without digits gets generic column names', async () => {
  const tabbed = await extract('Name\tTeam\tSince\nAda\tCore\t2019\nLin\t\t2021\n');
  assert.deepEqual(tabbed.tables[0]!.columns, ['Name', 'Team', 'Since']);
  assert.deepEqual(tabbed.tables[0]!.rows, [['Ada', 'Core', 2019], ['Lin', null, 2021]]);
  const words = await extract('Alice    Engineer\nBob      Manager\n');
  assert.deepEqual(words.tables[0]!.columns, ['column1', 'column2']);
  assert.equal(words.tables[0]!.rows.length, 2);
});

test('prose is no table: double spaces after sentences, times, URLs, a lone "Note:" line', async () => {
  const prose = [
    'Meetings start at 10:30 sharp.  Bring the report from https://example.com/q3 with you.',
    'The team reviewed 12 items.  Two of them need work before release 2.',
    'Note: the numbers above are estimates.',
    'installs everything (offline-capable: data comes from npm) and runs the main job on a',
    'real scanned-looking invoice: OCR, redaction, chunks.',
    '',
    invoice.slice(invoice.indexOf('Late payments')),
  ].join('\n');
  const { tables, warnings } = await extract(prose);
  assert.deepEqual(tables, []);
  assert.match(warnings[0]!, /No table found in scan\.txt/);
});

test('key: value lines: at most one blank line inside a block, one-word lowercase keys, CR LF line ends', async () => {
  const text = 'Order: 4471\r\nShipped on: 2024-03-02\r\n\r\nCarrier: DHL\r\n\r\n\r\nname: pipelane\r\nversion: 0.1.0\r\n';
  const { tables } = await extract(text, { mode: 'key-value' });
  assert.deepEqual(tables.map((table) => table.rows), [
    [['Order', '4471'], ['Shipped on', '2024-03-02'], ['Carrier', 'DHL']],
    [['name', 'pipelane'], ['version', '0.1.0']],
  ]);
  assert.deepEqual(tables.map((table) => [table.meta.lineStart, table.meta.lineEnd, table.meta.offset]), [[1, 4, 0], [7, 8, text.indexOf('name:')]]);
});
