import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/node-kit/index.js';
import { detectDelimiter } from './detect-delimiter.js';
import node from './node.js';

const ordersBytes = new Uint8Array(readFileSync(new URL('../../../test/fixtures/parse/orders.csv', import.meta.url)));

async function parseText(text: string, config: Record<string, unknown> = {}, source = 'data.csv') {
  const result = await runNode(node, { config, items: [{ lane: 'text', item: { text, meta: { source } } }] });
  assert.deepEqual(result.problems, []);
  return result;
}

test('a ;-delimited file with a BOM, a comma inside quotes, a quoted newline and an escaped quote', async () => {
  const { emitted, errors, warnings, problems } = await runNode(node, { items: [{ lane: 'file', item: { name: 'orders.csv', mime: 'text/csv', bytes: ordersBytes, meta: {} } }] });
  assert.deepEqual([problems, errors, warnings], [[], [], []]);
  assert.deepEqual(emitted, [
    {
      lane: 'table',
      item: {
        columns: ['id', 'customer', 'note', 'amount'],
        rows: [
          ['1', 'Dupont, Marie', 'first order', '12,50'],
          ['2', 'Jürgen Ölz', 'deliver to the back door\nring twice', '7,00'],
          ['3', "O'Brien", 'said "thanks"', '3,25'],
        ],
        meta: { source: 'orders.csv', table: 1, delimiter: ';' },
      },
    },
  ]);
});

test('the delimiter is detected among comma, semicolon, tab and pipe by its count being the same on every line', () => {
  assert.equal(detectDelimiter('a,b,c\n1,2,3\n'), ',');
  assert.equal(detectDelimiter('a;b\n"x, y, z";1,5\n"p";2,5\n'), ';');
  assert.equal(detectDelimiter('name\tnote\nAda\tsays "hi, there"\n'), '\t');
  assert.equal(detectDelimiter('a|b|c\n1|2,5|3\n4|5|6\n'), '|');
  assert.equal(detectDelimiter('one column\nvalue\n'), ',');
  assert.equal(detectDelimiter('a;b\n"line one;\nline two";3\n'), ';', 'a delimiter inside a quoted newline is not counted');
});

test('header false names the columns column 1..n and keeps the first record as data', async () => {
  const { emitted } = await parseText('1,2\n3,4\n', { header: false });
  assert.deepEqual(emitted[0]!.item, { columns: ['column 1', 'column 2'], rows: [['1', '2'], ['3', '4']], meta: { source: 'data.csv', table: 1, delimiter: ',' } });
});

test('blank and repeated header names become unique; short rows are padded and long rows widen the table', async () => {
  const { emitted } = await parseText('name,,name\nAda,1\nGrace,2,3,extra\n');
  assert.deepEqual((emitted[0]!.item as { columns: string[]; rows: string[][] }).columns, ['name', 'column 2', 'name (2)', 'column 4']);
  assert.deepEqual((emitted[0]!.item as { rows: string[][] }).rows, [['Ada', '1', '', ''], ['Grace', '2', '3', 'extra']]);
});

test('a delimiter set in config is used as is', async () => {
  const { emitted } = await parseText('a;b|c\n1;2|3\n', { delimiter: '|' });
  assert.deepEqual(emitted[0]!.item, { columns: ['a;b', 'c'], rows: [['1;2', '3']], meta: { source: 'data.csv', table: 1, delimiter: '|' } });
  assert.equal(node.config.safeParse({ delimiter: ';;' }).error?.issues[0]?.message, 'must be "auto" or one character');
});

test('maxRows keeps the first rows and warns that more were dropped', async () => {
  const { emitted, warnings } = await parseText('n\n1\n2\n3\n4\n', { maxRows: 2 });
  assert.deepEqual((emitted[0]!.item as { rows: string[][] }).rows, [['1'], ['2']]);
  assert.deepEqual(warnings, ['CSV "data.csv" has more than 2 rows: kept the first 2 (maxRows).']);
  const exact = await parseText('n\n1\n2\n', { maxRows: 2 });
  assert.deepEqual(exact.warnings, []);
});

test('bytes that are not UTF-8 are read as windows-1252 with a warning', async () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('name;city\nJ'), 0xfc, ...new TextEncoder().encode('rgen;K'), 0xf6, ...new TextEncoder().encode('ln\n')]);
  const { emitted, warnings } = await runNode(node, { items: [{ lane: 'file', item: { name: 'legacy.csv', mime: 'text/csv', bytes, meta: {} } }] });
  assert.deepEqual((emitted[0]!.item as { rows: string[][] }).rows, [['Jürgen', 'Köln']]);
  assert.deepEqual(warnings, ['"legacy.csv" is not UTF-8; read it as windows-1252.']);
});

test('an unclosed quote fails with PARSE_UNREADABLE, an empty input warns, and the next item is still parsed', async () => {
  const { emitted, errors, warnings } = await runNode(node, {
    items: [
      { lane: 'text', item: { text: 'a,b\n"1,2\n', meta: { source: 'broken.csv' } } },
      { lane: 'text', item: { text: ' \n\n', meta: { source: 'empty.csv' } } },
      { lane: 'text', item: { text: 'a,b\n1,2\n', meta: { source: 'good.csv' } } },
    ],
  });
  assert.deepEqual(errors.map((error) => [error.code, error.path]), [['PARSE_UNREADABLE', '/config/delimiter']]);
  assert.match(errors[0]!.message, /^"broken\.csv" is not valid CSV \(delimiter ","\): Quote Not Closed/);
  assert.deepEqual(warnings, ['CSV "empty.csv" is empty: nothing emitted.']);
  assert.deepEqual(emitted.map((entry) => entry.item), [{ columns: ['a', 'b'], rows: [['1', '2']], meta: { source: 'good.csv', table: 1, delimiter: ',' } }]);
});

test('a file item whose path is gone fails with PARSE_UNREADABLE naming the path', async () => {
  const { errors } = await runNode(node, { items: [{ lane: 'file', item: { name: 'gone.csv', mime: 'text/csv', path: '/nonexistent/gone.csv', meta: {} } }] });
  assert.deepEqual(errors.map((error) => error.code), ['PARSE_UNREADABLE']);
  assert.match(errors[0]!.message, /^parse\.csv cannot read "\/nonexistent\/gone\.csv": ENOENT/);
});
