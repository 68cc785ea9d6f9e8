import { cellValue, isBlank, isNumberToken, parsePair, type Cell, type FoundTable, type Line } from './lines.js';

/** A line as words, the numbers at its end apart: "Archive boxes, cardboard 5 3.80 19.00" → 3 numbers. */
interface NumberRow {
  words: string[];
  /** How many of the last words are numbers. */
  numbers: number;
}

function numberRow(line: Line): NumberRow {
  const words = line.text.trim().split(/\s+/).filter(Boolean);
  if (parsePair(line) !== undefined) return { words, numbers: 0 }; // "Card on file: 4111 1111 1111 1111" is a field
  let numbers = 0;
  while (numbers < words.length && isNumberToken(words[words.length - 1 - numbers]!)) numbers++;
  return { words, numbers };
}

/** A row of a table whose cells OCR joined with single spaces: text, then two or more numbers. */
export function looksLikeTableRow(line: Line | undefined): boolean {
  return line !== undefined && numberRow(line).numbers >= 2;
}

/** The most frequent count, the smaller on a tie. */
function mode(counts: readonly number[]): number {
  const tally = new Map<number, number>();
  for (const count of counts) tally.set(count, (tally.get(count) ?? 0) + 1);
  return [...tally].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}

/**
 * Column names from a header line whose names OCR joined with single spaces: a capitalised word
 * (or a number) starts a name, lowercase words and "(EUR)" continue it — "Description Qty Unit
 * price Amount (EUR)" → Description | Qty | Unit price | Amount (EUR). Extra names at the front
 * join the first column; too few give generic names.
 */
function headerNames(header: Line | undefined, count: number): string[] {
  const generic = Array.from({ length: count }, (_, index) => `column${index + 1}`);
  if (header === undefined) return generic;
  const names: string[] = [];
  for (const word of header.text.trim().split(/\s+/)) {
    if (names.length === 0 || /^[\p{Lu}\p{N}]/u.test(word)) names.push(word);
    else names[names.length - 1] += ` ${word}`;
  }
  if (names.length < count) return generic;
  return [names.slice(0, names.length - count + 1).join(' '), ...names.slice(names.length - count + 1)];
}

/**
 * Tables whose cells are separated by single spaces, as OCR prints them: two or more rows that end
 * in the same count of numbers, under a header line without numbers, followed by rows with fewer
 * numbers (totals), right-aligned into the last columns. A row with more numbers than the others
 * keeps the extra ones in its text ("box of 50 2 12.50 25.00").
 */
export function findNumberTables(lines: readonly Line[], claimed: Uint8Array): FoundTable[] {
  const tables: FoundTable[] = [];
  let index = 0;
  while (index < lines.length) {
    if (claimed[index] || numberRow(lines[index]!).numbers < 2) {
      index++;
      continue;
    }
    let last = index;
    while (last + 1 < lines.length && !claimed[last + 1] && !isBlank(lines[last + 1]) && numberRow(lines[last + 1]!).numbers >= 1) last++;
    const rows = lines.slice(index, last + 1).map(numberRow);
    const full = rows.filter((row) => row.numbers >= 2);
    if (full.length < 2) {
      index = last + 1;
      continue;
    }
    const numberColumns = mode(full.map((row) => row.numbers));
    const above = lines[index - 1];
    const aboveRow = above === undefined || claimed[index - 1] ? undefined : numberRow(above);
    const header = aboveRow && aboveRow.numbers === 0 && aboveRow.words.length >= numberColumns + 1 ? above : undefined;
    const cells: Cell[][] = rows.map((row) => {
      const numbers = Math.min(row.numbers, numberColumns);
      const text = row.words.slice(0, row.words.length - numbers).join(' ');
      const values = row.words.slice(row.words.length - numbers).map(cellValue);
      return [text === '' ? null : text, ...Array<Cell>(numberColumns - numbers).fill(null), ...values];
    });
    tables.push({
      kind: 'columns',
      first: header ? index - 1 : index,
      last,
      columns: headerNames(header, numberColumns + 1),
      rows: cells,
    });
    index = last + 1;
  }
  return tables;
}
