/** One line of the input: its 1-based number, where it starts, its text without the line break. */
export interface Line {
  number: number;
  start: number;
  text: string;
}

export type Cell = string | number | null;

/** A table found in the text: the lines it covers (indexes into the line list), its columns and rows. */
export interface FoundTable {
  kind: 'key-value' | 'columns';
  first: number;
  last: number;
  columns: string[];
  rows: Cell[][];
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ number: lines.length + 1, start, text: part.endsWith('\r') ? part.slice(0, -1) : part });
    start += part.length + 1;
  }
  return lines;
}

/** `Key: value` or a bare `Key:` — a key is a short label that starts with a letter; a colon inside a URL or a time (no space after it) is no separator. */
const pairPattern = /^\s*(\p{L}[^:]{0,47}?)\s*:(?:\s+(.*\S))?\s*$/u;
const maxKeyWords = 6;

export interface Pair {
  key: string;
  value: string;
}

export function parsePair(line: Line | undefined): Pair | undefined {
  if (line === undefined) return undefined;
  const found = pairPattern.exec(line.text);
  if (found === null) return undefined;
  const key = found[1]!;
  if (key.split(/\s+/).length > maxKeyWords || /[.!?;]\s/.test(key)) return undefined; // a sentence before the colon
  if (key.split('(').length !== key.split(')').length) return undefined; // "installs everything (offline-capable: …"
  if (/^\p{Ll}/u.test(key) && /\s/.test(key)) return undefined; // prose runs on in lowercase; labels are capitalised or one word (name: …)
  return { key, value: found[2] ?? '' };
}

export const isBlank = (line: Line | undefined) => line !== undefined && line.text.trim() === '';

/** A number as printed on invoices and reports: 10, 5.90, 1,234.56, 1.234,56, (12.00), €5, 5€ — not 0815 (an id). */
const numberToken = /^[-+(]?[$€£¥]?(?:0|[1-9]\d*)(?:[.,'’]\d+)*[$€£¥)]?$/u;
export const isNumberToken = (token: string) => numberToken.test(token);

/**
 * A cell's value: a number when the text is one plainly (42, -3.5, 1,234.56), so it sums and
 * sorts; otherwise the trimmed text. Leading zeros (0815) and other formats stay text.
 */
export function cellValue(raw: string): Cell {
  const text = raw.trim();
  if (text === '') return null;
  if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?$/.test(text)) return Number(text);
  if (/^-?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/.test(text)) return Number(text.replaceAll(',', ''));
  return text;
}

/** Marks lines that a found table covers, so no later detector reads them again. */
export function claim(claimed: Uint8Array, table: FoundTable): void {
  claimed.fill(1, table.first, table.last + 1);
}
