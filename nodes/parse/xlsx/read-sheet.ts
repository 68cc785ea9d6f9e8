import type { Worksheet } from 'exceljs';
import type { Cell } from '../shared/table-shape.js';
import { cellValue, type CellCounters } from './cell-value.js';

/**
 * A worksheet's used range as a grid: cells converted by `cellValue`, rows without any value
 * dropped (blank lines before the header, between blocks, after the data), and columns empty in
 * every row trimmed from both sides, so a table drawn from B3 starts at its own first column.
 * Merged cells repeat their value in every cell they cover.
 */
export function readSheet(worksheet: Worksheet, counters: CellCounters): Cell[][] {
  const width = worksheet.columnCount;
  const grid: Cell[][] = [];
  for (let rowNumber = 1; rowNumber <= worksheet.rowCount; rowNumber++) {
    const row = worksheet.getRow(rowNumber);
    if (!row.hasValues) continue;
    const cells = Array.from({ length: width }, (_unused, index) => cellValue(row.getCell(index + 1).value, counters));
    if (cells.some((cell) => !isBlank(cell))) grid.push(cells);
  }
  const used = Array.from({ length: width }, (_unused, column) => grid.some((row) => !isBlank(row[column] ?? null)));
  const first = used.indexOf(true);
  if (first === -1) return [];
  const last = used.lastIndexOf(true);
  return grid.map((row) => row.slice(first, last + 1));
}

function isBlank(cell: Cell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}
