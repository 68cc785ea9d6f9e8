import { isBlank, parsePair, type FoundTable, type Line } from './lines.js';
import { looksLikeTableRow } from './number-columns.js';

/** Lines a value takes from below it (an address under "Bill to:"). */
const maxContinuation = 8;

/**
 * Blocks of two or more `key: value` lines (one blank line may sit between pairs). A key with no
 * value takes the lines below it, up to the next pair or a blank line, joined by line breaks; a
 * value that wraps takes the following lines that start in lowercase, joined by spaces. Neither
 * takes what looks like a table (a header over rows of numbers).
 */
export function findKeyValueTables(lines: readonly Line[], claimed: Uint8Array): FoundTable[] {
  const tables: FoundTable[] = [];
  const free = (index: number) => index < lines.length && !claimed[index];
  let index = 0;
  while (index < lines.length) {
    if (!free(index) || parsePair(lines[index]) === undefined) {
      index++;
      continue;
    }
    const first = index;
    const rows: Array<[string, string | null]> = [];
    let cursor = index;
    let last = index;
    for (;;) {
      const pair = parsePair(lines[cursor])!;
      last = cursor++;
      const continuation: string[] = [];
      // a bare key takes the lines below (an address); a value that wraps goes on in lowercase
      const continues = (line: Line) => (pair.value === '' ? true : /^\s*\p{Ll}/u.test(line.text));
      while (
        free(cursor) &&
        continuation.length < maxContinuation &&
        !isBlank(lines[cursor]) &&
        continues(lines[cursor]!) &&
        parsePair(lines[cursor]) === undefined &&
        !looksLikeTableRow(lines[cursor]!) &&
        !looksLikeTableRow(lines[cursor + 1])
      ) {
        continuation.push(lines[cursor]!.text.trim());
        last = cursor++;
      }
      const value = pair.value === '' ? continuation.join('\n') : [pair.value, ...continuation].join(' ');
      rows.push([pair.key, value === '' ? null : value]);
      const next = isBlank(lines[cursor]) ? cursor + 1 : cursor;
      if (!free(next) || parsePair(lines[next]) === undefined) break;
      cursor = next;
    }
    if (rows.length >= 2) tables.push({ kind: 'key-value', first, last, columns: ['key', 'value'], rows });
    index = last + 1;
  }
  return tables;
}
