import type { TableItem } from '../../../src/node-kit/index.js';

export type Cell = TableItem['rows'][number][number];

export interface ShapedTable {
  columns: string[];
  rows: Cell[][];
}

/**
 * A grid of cells to named columns and rectangular rows. With `header`, the first row names the
 * columns: blank names become `column <n>` and repeated names get ` (2)`, ` (3)`, so every column
 * can be addressed by name. Rows shorter than the widest row are padded with `fill`.
 */
export function shapeTable(grid: Cell[][], options: { header: boolean; fill: Cell }): ShapedTable {
  const width = grid.reduce((widest, row) => Math.max(widest, row.length), 0);
  const [first, ...rest] = grid;
  const headerCells = options.header ? (first ?? []) : [];
  const body = options.header ? rest : grid;
  const columns = columnNames(Array.from({ length: width }, (_unused, index) => headerCells[index]));
  const rows = body.map((row) => (row.length === width ? row : [...row, ...Array<Cell>(width - row.length).fill(options.fill)]));
  return { columns, rows };
}

export function columnNames(cells: ReadonlyArray<Cell | undefined>): string[] {
  const used = new Set<string>();
  return cells.map((cell, index) => {
    const text = cell === null || cell === undefined ? '' : String(cell).replace(/\s+/g, ' ').trim();
    const base = text === '' ? `column ${index + 1}` : text;
    let name = base;
    for (let count = 2; used.has(name); count++) name = `${base} (${count})`;
    used.add(name);
    return name;
  });
}

/** Keeps at most `maxRows` rows and says how many were dropped. */
export function limitRows<T>(rows: T[], maxRows: number | undefined): { rows: T[]; dropped: number } {
  if (maxRows === undefined || rows.length <= maxRows) return { rows, dropped: 0 };
  return { rows: rows.slice(0, maxRows), dropped: rows.length - maxRows };
}
