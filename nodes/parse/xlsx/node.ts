import type ExcelJS from 'exceljs';
import { z } from 'zod';
import { defineNode, PipelaneError } from '../../../src/node-kit/index.js';
import { fileBytes, sourceOf } from '../shared/parse-input.js';
import { shapeTable } from '../shared/table-shape.js';
import { readSheet } from './read-sheet.js';

const config = z.object({
  header: z.boolean().default(true).describe("Each sheet's first non-empty row names its columns (false: columns are \"column 1\", \"column 2\", ...)"),
  maxRows: z.number().int().positive().optional().describe('Keep at most this many data rows per sheet (the rest are dropped with a warning)'),
});

/** Compound File Binary: a legacy .xls, or an OOXML file encrypted with a password. */
const compoundFileMagic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export default defineNode({
  type: 'parse.xlsx',
  title: 'Excel (.xlsx) parser',
  description:
    'Reads an Excel .xlsx workbook into one table per non-empty sheet (meta.sheet names it): formulas as their saved values, ' +
    'dates as ISO strings (2024-03-15, or the full timestamp when the cell has a time), numbers and booleans kept; ' +
    'blank rows and the empty columns around the data dropped.',
  inputs: ['file'],
  outputs: ['table'],
  config,
  examples: [
    { title: 'Every sheet as a table', config: {} },
    { title: 'First 500 rows per sheet, no header row', config: { header: false, maxRows: 500 } },
  ],
  async process(item, ctx) {
    const source = sourceOf(item) ?? item.name;
    const bytes = await fileBytes(item, ctx.signal, 'parse.xlsx');
    if (bytes.byteLength === 0) {
      ctx.warn(`Workbook "${source}" is empty (0 bytes): nothing emitted.`);
      return;
    }
    const workbook = await loadWorkbook(bytes, source);
    const emptySheets: string[] = [];
    let tableNumber = 0;
    for (const worksheet of workbook.worksheets) {
      ctx.signal.throwIfAborted();
      const counters = { formulasWithoutValue: 0 };
      const grid = readSheet(worksheet, counters);
      if (grid.length === 0) {
        emptySheets.push(worksheet.name);
        continue;
      }
      if (counters.formulasWithoutValue > 0) {
        ctx.warn(
          `Sheet "${worksheet.name}" of "${source}": ${counters.formulasWithoutValue} formula cell(s) were saved without a value ` +
            '(the program that wrote the file did not calculate them): left empty.',
        );
      }
      const table = shapeTable(grid, { header: ctx.config.header, fill: null });
      const { maxRows } = ctx.config;
      if (maxRows !== undefined && table.rows.length > maxRows) {
        ctx.warn(`Sheet "${worksheet.name}" of "${source}" has ${table.rows.length} rows: kept the first ${maxRows} (maxRows).`);
        table.rows = table.rows.slice(0, maxRows);
      }
      tableNumber += 1;
      const state = worksheet.state === 'visible' ? {} : { sheetState: worksheet.state };
      await ctx.emit('table', { ...table, meta: { source, table: tableNumber, sheet: worksheet.name, ...state } });
    }
    ctx.setAttributes({ 'parse.sheets': workbook.worksheets.length, 'parse.tables': tableNumber, 'parse.emptySheets': emptySheets });
    if (tableNumber === 0) ctx.warn(`Workbook "${source}" has no cells with values in any sheet: nothing emitted.`);
  },
});

async function loadWorkbook(bytes: Uint8Array, source: string): Promise<ExcelJS.Workbook> {
  if (compoundFileMagic.every((byte, index) => bytes[index] === byte)) {
    throw new PipelaneError('PARSE_UNREADABLE', `"${source}" is not a readable Excel .xlsx: it is a legacy .xls file or a password-protected workbook.`, {
      hint: 'Save it as .xlsx (Excel: File > Save As > Excel Workbook) without a password, then run again.',
    });
  }
  // loaded on first use: keeps `pipelane mcp` start-up under 1 s
  const { default: exceljs } = await import('exceljs');
  const workbook = new exceljs.Workbook();
  try {
    // exceljs types its Buffer as an ArrayBuffer; at run time it takes Node's Buffer
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw unreadable(source, (error as Error).message, error);
  }
  if (workbook.worksheets.length === 0) throw unreadable(source, 'it has no worksheets; it may be another kind of zip file');
  return workbook;
}

function unreadable(source: string, reason: string, cause?: unknown): PipelaneError {
  return new PipelaneError('PARSE_UNREADABLE', `"${source}" is not a readable Excel .xlsx (${reason}).`, {
    hint: 'Give an intact .xlsx workbook; re-save it from Excel or LibreOffice if it was truncated or renamed (.xls and .ods must be saved as .xlsx).',
    ...(cause === undefined ? {} : { cause }),
  });
}
