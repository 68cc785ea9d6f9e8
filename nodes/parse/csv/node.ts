import { z } from 'zod';
import { defineNode, PipelaneError } from '../../../src/node-kit/index.js';
import { sourceOf, textOf } from '../shared/parse-input.js';
import { shapeTable } from '../shared/table-shape.js';
import { detectDelimiter } from './detect-delimiter.js';

const config = z.object({
  header: z.boolean().default(true).describe('The first record names the columns (false: columns are "column 1", "column 2", ...)'),
  delimiter: z
    .string()
    .refine((value) => value === 'auto' || value.length === 1, { message: 'must be "auto" or one character' })
    .default('auto')
    .describe('Field delimiter, one character; "auto" picks among comma, semicolon, tab and pipe from the first records'),
  maxRows: z.number().int().positive().optional().describe('Keep at most this many data rows (the rest are dropped with a warning)'),
});

export default defineNode({
  type: 'parse.csv',
  title: 'CSV parser',
  description:
    'Reads CSV or TSV into one table: delimiter detected among , ; tab | (or set), a header row naming the columns, ' +
    'quoted fields with delimiters, escaped quotes and line breaks, a byte order mark; cells stay strings.',
  inputs: ['file', 'text'],
  outputs: ['table'],
  config,
  examples: [
    { title: 'Any CSV with a header row', config: {} },
    { title: 'Tab-separated, no header, first 1000 rows', config: { delimiter: '\t', header: false, maxRows: 1000 } },
  ],
  async process(item, ctx) {
    const source = sourceOf(item);
    const text = await textOf(item, { signal: ctx.signal, nodeType: 'parse.csv', warn: (message) => ctx.warn(message) });
    if (text.trim() === '') {
      ctx.warn(`CSV${source ? ` "${source}"` : ''} is empty: nothing emitted.`);
      return;
    }
    const { header, maxRows } = ctx.config;
    const delimiter = ctx.config.delimiter === 'auto' ? detectDelimiter(text) : ctx.config.delimiter;
    // loaded on first use: keeps `pipelane mcp` start-up under 1 s
    const { parse, CsvError } = await import('csv-parse/sync');
    let records: string[][];
    try {
      records = parse(text, {
        delimiter,
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
        // one record more than kept, to know whether any were dropped
        ...(maxRows === undefined ? {} : { to: maxRows + (header ? 1 : 0) + 1 }),
      }) as string[][];
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      throw new PipelaneError('PARSE_UNREADABLE', `"${source ?? 'input'}" is not valid CSV (delimiter ${JSON.stringify(delimiter)}): ${error.message}`, {
        hint: 'Close the quote the message points at, or set the delimiter config if the one detected is wrong.',
        path: ctx.config.delimiter === 'auto' ? '/config/delimiter' : '',
        cause: error,
      });
    }
    const table = shapeTable(records, { header, fill: '' });
    if (maxRows !== undefined && table.rows.length > maxRows) {
      table.rows = table.rows.slice(0, maxRows);
      ctx.warn(`CSV "${source}" has more than ${maxRows} rows: kept the first ${maxRows} (maxRows).`);
    }
    ctx.setAttributes({ 'parse.delimiter': delimiter, 'parse.rows': table.rows.length, 'parse.columns': table.columns.length });
    await ctx.emit('table', { ...table, meta: { ...(source === undefined ? {} : { source }), table: 1, delimiter } });
  },
});
