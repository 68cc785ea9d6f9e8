import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { runNode } from '../../../src/node-kit/index.js';
import node from './node.js';

const salesBytes = new Uint8Array(readFileSync(new URL('../../../test/fixtures/parse/sales.xlsx', import.meta.url)));
const docxBytes = new Uint8Array(readFileSync(new URL('../../../test/fixtures/parse/report.docx', import.meta.url)));
const mime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const file = (name: string, bytes: Uint8Array) => ({ name, mime, bytes, meta: { source: name } });

test('two sheets become two tables: formulas as their saved values, dates as ISO strings, numbers and booleans kept', async () => {
  const { emitted, problems, errors, warnings } = await runNode(node, { items: [{ item: file('sales.xlsx', salesBytes) }] });
  assert.deepEqual([problems, errors, warnings], [[], [], []]);
  assert.deepEqual(emitted, [
    {
      lane: 'table',
      item: {
        columns: ['Region', 'Units', 'Price', 'Total', 'Shipped'],
        rows: [
          ['Europe', 12, 5, 60, '2024-03-15'],
          ['Asia', 8, 7.25, 58, '2024-04-01T14:30:00.000Z'],
        ],
        meta: { source: 'sales.xlsx', table: 1, sheet: 'Sales' },
      },
    },
    { lane: 'table', item: { columns: ['Key', 'Value'], rows: [['Currency', 'EUR'], ['Audited', true]], meta: { source: 'sales.xlsx', table: 2, sheet: 'Notes' } } },
  ]);
});

/** A workbook made in memory with the awkward cells real files have. */
async function awkwardWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Awkward');
  // the table starts at B3, with a blank row inside it
  sheet.getCell('B3').value = 'Name';
  sheet.getCell('C3').value = 'Link';
  sheet.getCell('D3').value = 'Ratio';
  sheet.getCell('E3').value = 'At';
  sheet.getCell('B4').value = { richText: [{ text: 'Ada ' }, { text: 'Lovelace', font: { bold: true } }] };
  sheet.getCell('C4').value = { text: 'site', hyperlink: 'https://example.com' };
  sheet.getCell('D4').value = { formula: '1/0', result: { error: '#DIV/0!' } };
  sheet.getCell('E4').value = new Date(Date.UTC(1899, 11, 30, 9, 15));
  sheet.getCell('E4').numFmt = 'hh:mm';
  sheet.getCell('B6').value = 'Grace';
  sheet.getCell('D6').value = { formula: 'B1*2' }; // never calculated: no saved value
  sheet.mergeCells('B7:C7');
  sheet.getCell('B7').value = 'Merged';
  workbook.addWorksheet('Empty');
  const hidden = workbook.addWorksheet('Lookup', { state: 'hidden' });
  hidden.addRow(['code']);
  hidden.addRow([1]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

test('blank rows and outer columns are trimmed; rich text, links, errors, times, merges and uncalculated formulas are read', async () => {
  const { emitted, warnings, attributes } = await runNode(node, { items: [{ item: file('awkward.xlsx', await awkwardWorkbook()) }] });
  assert.deepEqual(
    emitted.map((entry) => entry.item),
    [
      {
        columns: ['Name', 'Link', 'Ratio', 'At'],
        rows: [
          ['Ada Lovelace', 'site', '#DIV/0!', '09:15:00'],
          ['Grace', null, null, null],
          ['Merged', 'Merged', null, null],
        ],
        meta: { source: 'awkward.xlsx', table: 1, sheet: 'Awkward' },
      },
      { columns: ['code'], rows: [[1]], meta: { source: 'awkward.xlsx', table: 2, sheet: 'Lookup', sheetState: 'hidden' } },
    ],
  );
  assert.deepEqual(warnings, [
    'Sheet "Awkward" of "awkward.xlsx": 1 formula cell(s) were saved without a value (the program that wrote the file did not calculate them): left empty.',
  ]);
  assert.deepEqual(attributes['parse.emptySheets'], ['Empty']);
});

test('header false and maxRows apply to each sheet', async () => {
  const { emitted, warnings } = await runNode(node, { config: { header: false, maxRows: 2 }, items: [{ item: file('sales.xlsx', salesBytes) }] });
  assert.deepEqual(emitted[0]!.item, {
    columns: ['column 1', 'column 2', 'column 3', 'column 4', 'column 5'],
    rows: [
      ['Region', 'Units', 'Price', 'Total', 'Shipped'],
      ['Europe', 12, 5, 60, '2024-03-15'],
    ],
    meta: { source: 'sales.xlsx', table: 1, sheet: 'Sales' },
  });
  assert.deepEqual(warnings, ['Sheet "Sales" of "sales.xlsx" has 3 rows: kept the first 2 (maxRows).', 'Sheet "Notes" of "sales.xlsx" has 3 rows: kept the first 2 (maxRows).']);
});

test('a truncated workbook fails with PARSE_UNREADABLE naming the format, and the next workbook is still read', async () => {
  const { emitted, errors } = await runNode(node, { items: [{ item: file('broken.xlsx', salesBytes.subarray(0, 3000)) }, { item: file('sales.xlsx', salesBytes) }] });
  assert.deepEqual(errors.map((error) => error.code), ['PARSE_UNREADABLE']);
  assert.match(errors[0]!.message, /^"broken\.xlsx" is not a readable Excel \.xlsx \(/);
  assert.deepEqual(emitted.map((entry) => (entry.item as { meta: { sheet: string } }).meta.sheet), ['Sales', 'Notes']);
});

test('a Word file, a legacy .xls and an empty file: two typed errors and a warning', async () => {
  const legacy = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
  const { errors, warnings } = await runNode(node, {
    items: [{ item: file('report.xlsx', docxBytes) }, { item: file('old.xls', legacy) }, { item: file('empty.xlsx', new Uint8Array(0)) }],
  });
  assert.deepEqual(errors.map((error) => [error.code, error.message]), [
    ['PARSE_UNREADABLE', '"report.xlsx" is not a readable Excel .xlsx (it has no worksheets; it may be another kind of zip file).'],
    ['PARSE_UNREADABLE', '"old.xls" is not a readable Excel .xlsx: it is a legacy .xls file or a password-protected workbook.'],
  ]);
  assert.deepEqual(warnings, ['Workbook "empty.xlsx" is empty (0 bytes): nothing emitted.']);
});
