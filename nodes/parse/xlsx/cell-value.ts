import type { CellValue } from 'exceljs';
import type { Cell } from '../shared/table-shape.js';

/** Counts what a sheet's conversion had to leave out, for one warning per sheet. */
export interface CellCounters {
  formulasWithoutValue: number;
}

/**
 * One exceljs cell value as a table cell: a formula becomes the value saved with it, rich text and
 * hyperlinks their text, an error its code ("#DIV/0!"), a date an ISO string. A formula saved
 * without its value (files written by programs that never calculate) becomes null and is counted.
 */
export function cellValue(value: CellValue, counters: CellCounters): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return isoDate(value);
  if ('formula' in value || 'sharedFormula' in value) {
    if (value.result === undefined) {
      counters.formulasWithoutValue += 1;
      return null;
    }
    return cellValue(value.result, counters);
  }
  if ('error' in value) return value.error;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellValue(value.text as CellValue, counters);
  return null;
}

/**
 * Spreadsheet dates have no time zone; exceljs reads them as UTC. A date without a time of day is
 * `2024-03-15`, a time of day alone (day 0 of Excel's calendar) is `14:30:00`, anything else the
 * full ISO string `2024-04-01T14:30:00.000Z`. An invalid date is null.
 */
export function isoDate(date: Date): string | null {
  if (Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  if (iso.startsWith('1899-12-30T') || iso.startsWith('1899-12-31T')) return iso.slice(11, 19);
  return iso;
}
