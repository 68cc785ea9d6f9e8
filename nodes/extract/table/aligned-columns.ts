import { cellValue, type Cell, type FoundTable, type Line } from './lines.js';

/** Two cells on a line: two or more spaces, or a tab, between text. */
const cellGap = /\S(?: {2,}|[ ]*\t[ \t]*)\S/;
/** A rule under a header: `-----  ------`, `===`, `|---|---|`. */
const rule = /^[\s|+:]*[-=_]{3,}[-=_\s|+:]*$/;

/** Tabs expanded to stops of 8; `wide` marks where a tab was, which always separates cells. */
function expandTabs(text: string): { text: string; wide: Set<number> } {
  let expanded = '';
  const wide = new Set<number>();
  for (const character of text) {
    if (character === '\t') {
      const width = 8 - (expanded.length % 8);
      for (let offset = 0; offset < width; offset++) wide.add(expanded.length + offset);
      expanded += ' '.repeat(width);
    } else expanded += character;
  }
  return { text: expanded, wide };
}

const isSpace = (character: string | undefined) => character === undefined || character === ' ';

/**
 * Column ranges of fixed-width lines: the gutters (positions blank on every line) that separate
 * text on both sides by at least two spaces (or a tab) on every line that has text on both sides.
 * The single space in a header such as "Unit price" is no gutter.
 */
function columnRanges(rows: ReadonlyArray<{ text: string; wide: Set<number> }>): Array<[number, number]> {
  const width = Math.max(...rows.map((row) => row.text.length));
  const occupied = Array.from({ length: width }, (_, position) => rows.some((row) => !isSpace(row.text[position])));
  const firstOccupied = occupied.indexOf(true);
  const lastOccupied = occupied.lastIndexOf(true);
  const separators: Array<[number, number]> = [];
  for (let position = firstOccupied; position <= lastOccupied; position++) {
    if (occupied[position]) continue;
    let end = position;
    while (!occupied[end]) end++;
    const separates = rows.every((row) => {
      const before = row.text.slice(0, position).trimEnd().length;
      const after = row.text.slice(end).search(/\S/);
      if (before === 0 || after === -1) return true; // text on one side only: nothing to separate here
      const gapStart = before;
      const gapEnd = end + after;
      return gapEnd - gapStart >= 2 || row.wide.has(gapStart);
    });
    if (separates) separators.push([position, end]);
    position = end;
  }
  const ranges: Array<[number, number]> = [];
  let start = firstOccupied;
  for (const [gutterStart, gutterEnd] of separators) {
    ranges.push([start, gutterStart]);
    start = gutterEnd;
  }
  ranges.push([start, lastOccupied + 1]);
  return ranges;
}

const hasDigit = (cell: Cell) => cell !== null && /\d/.test(String(cell));

/** The first row names the columns when its cells are all there and digit-free, over a rule or over rows with numbers. */
function splitHeader(rows: Cell[][], ruleAfterFirst: boolean): { columns: string[]; rows: Cell[][] } {
  const [first, ...rest] = rows;
  const named = first!.every((cell) => cell !== null && !hasDigit(cell)) && (ruleAfterFirst || rest.some((row) => row.some(hasDigit)));
  if (named && rest.length > 0) return { columns: first!.map(String), rows: rest };
  return { columns: first!.map((_, index) => `column${index + 1}`), rows };
}

function tableOf(block: readonly Line[], first: number): FoundTable | undefined {
  const content = block.filter((line) => !rule.test(line.text));
  const ruleAfterFirst = block.length > 1 && rule.test(block[1]!.text);
  let cells: Cell[][];
  const tabbed = content.map((line) => line.text.trim().split('\t'));
  if (content.every((line) => line.text.includes('\t')) && tabbed.every((row) => row.length === tabbed[0]!.length)) {
    cells = tabbed.map((row) => row.map(cellValue)); // tab-separated values, empty cells kept
  } else {
    const expanded = content.map((line) => expandTabs(line.text));
    const ranges = columnRanges(expanded);
    if (ranges.length < 2) return undefined;
    cells = expanded.map((row) => ranges.map(([start, end]) => cellValue(row.text.slice(start, end))));
  }
  if (cells.filter((row) => row.filter((cell) => cell !== null).length >= 2).length < 2) return undefined;
  return { kind: 'columns', first, last: first + block.length - 1, ...splitHeader(cells, ruleAfterFirst) };
}

/** Runs of two or more lines with aligned columns: cells apart by two or more spaces or tabs, columns starting at the same places. */
export function findAlignedTables(lines: readonly Line[], claimed: Uint8Array): FoundTable[] {
  const tables: FoundTable[] = [];
  let index = 0;
  while (index < lines.length) {
    const inBlock = (line: number) => line < lines.length && !claimed[line] && (cellGap.test(lines[line]!.text) || rule.test(lines[line]!.text));
    if (!inBlock(index) || !cellGap.test(lines[index]!.text)) {
      index++;
      continue;
    }
    let end = index;
    while (inBlock(end + 1)) end++;
    while (end > index && rule.test(lines[end]!.text)) end--;
    const block = lines.slice(index, end + 1);
    if (block.filter((line) => cellGap.test(line.text)).length >= 2) {
      const table = tableOf(block, index);
      if (table) tables.push(table);
    }
    index = end + 1;
  }
  return tables;
}
