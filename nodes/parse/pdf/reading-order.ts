/**
 * Rebuilds a page's text from positioned text runs: runs → lines → blocks → reading order.
 * Pure functions on plain numbers so that they can be tested without a PDF.
 *
 * Coordinates are display space (the page viewport at scale 1): x grows to the right, y grows
 * downward, `y` is a run's baseline and `size` its font height.
 */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
  /** Runs not written left to right along the baseline (rotated labels) each form their own line. */
  rotated?: boolean;
}

export type ReadingOrder = 'layout' | 'content';

interface Box {
  x0: number;
  x1: number;
  /** Top (smaller y) and bottom of the box. */
  y0: number;
  y1: number;
}

interface Line extends Box {
  runs: TextRun[];
  baseline: number;
  size: number;
  rtl: boolean;
  rotated: boolean;
}

interface Block extends Box {
  lines: Line[];
  /** Position in content-stream order: the fallback when geometry cannot decide. */
  index: number;
}

/** A run's vertical extent around its baseline, as a share of its font size. */
const ascent = 0.8;
const descent = 0.25;
/** Baselines closer than this share of the font size belong to one line (super- and subscripts). */
const sameLineTolerance = 0.5;
/** A gap wider than this share of the font size between two runs is a space. */
const spaceGap = 0.2;
/** A gap wider than this share of the font size is a column gap inside a line (a table row): a tab. */
const tabGap = 2;
/** Next line's baseline at most this many font sizes below the last one to continue a block. */
const blockLeading = 1.7;
/** Font sizes within this ratio may share a block. */
const blockSizeRatio = 1.3;
/** A whitespace strip at least this share of the median font size wide separates columns. */
const gutterShare = 0.8;

const rtlCharacters = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/gu;

/**
 * The page's text: lines separated by `\n`, blocks (paragraphs, columns, table cells) by a blank
 * line. `layout` orders blocks by their position (columns left to right, or right to left on a
 * right-to-left page); `content` keeps the order in which the PDF draws them.
 */
export function pageText(runs: readonly TextRun[], order: ReadingOrder = 'layout'): string {
  const lines = buildLines(runs.filter((run) => run.text.length > 0 && run.size > 0 && Number.isFinite(run.x + run.y + run.width + run.size)));
  if (lines.length === 0) return '';
  const blocks = buildBlocks(lines);
  const rtlPage = countRtl(lines) * 2 > lines.reduce((sum, line) => sum + characterCount(line), 0);
  const ordered = order === 'layout' ? orderBlocks(blocks, medianSize(lines) * gutterShare, rtlPage) : blocks;
  return ordered.map((block) => block.lines.map(lineText).join('\n')).join('\n\n');
}

/**
 * Consecutive runs on one baseline form a line, however far apart (a table row stays one line).
 * Whitespace runs only mark a space inside a line; they never start one.
 */
function buildLines(runs: readonly TextRun[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const run of runs) {
    const blank = run.text.trim().length === 0;
    if (current && !run.rotated && !current.rotated && onSameLine(current, run)) {
      if (blank) current.runs.push(run);
      else if (!isOverprint(current, run)) addRun(current, run);
      continue;
    }
    if (blank) continue;
    current = newLine(run);
    lines.push(current);
  }
  return lines;
}

function onSameLine(line: Line, run: TextRun): boolean {
  return Math.abs(run.y - line.baseline) <= sameLineTolerance * Math.max(line.size, run.size);
}

/** Fake bold: the same text drawn again a hair's breadth away. */
function isOverprint(line: Line, run: TextRun): boolean {
  const tolerance = 0.1 * run.size;
  return line.runs.some((other) => other.text === run.text && Math.abs(other.x - run.x) < tolerance && Math.abs(other.y - run.y) < tolerance);
}

function newLine(run: TextRun): Line {
  const line: Line = { runs: [], baseline: run.y, size: run.size, rtl: false, rotated: run.rotated === true, x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  addRun(line, run);
  return line;
}

function addRun(line: Line, run: TextRun): void {
  line.runs.push(run);
  const box = runBox(run);
  line.x0 = Math.min(line.x0, box.x0);
  line.x1 = Math.max(line.x1, box.x1);
  line.y0 = Math.min(line.y0, box.y0);
  line.y1 = Math.max(line.y1, box.y1);
  // The line's size and baseline follow its largest text, so superscripts do not shift it.
  if (run.size > line.size) {
    line.size = run.size;
    line.baseline = run.y;
  }
  line.rtl = countRtl([line]) * 2 > characterCount(line);
}

function runBox(run: TextRun): Box {
  if (run.rotated) return { x0: run.x - run.size, x1: run.x + run.size, y0: run.y - run.size, y1: run.y + run.size };
  return { x0: run.x, x1: run.x + Math.max(run.width, 0), y0: run.y - ascent * run.size, y1: run.y + descent * run.size };
}

function lineText(line: Line): string {
  const runs = [...line.runs].sort((a, b) => (line.rtl ? b.x + b.width - (a.x + a.width) : a.x - b.x));
  let text = '';
  let previous: TextRun | undefined;
  for (const run of runs) {
    if (run.text.trim().length === 0) {
      if (text.length > 0 && !/\s$/u.test(text)) text += ' ';
      continue;
    }
    if (previous) {
      const gap = line.rtl ? previous.x - (run.x + run.width) : run.x - (previous.x + previous.width);
      const size = Math.max(previous.size, run.size);
      if (gap > tabGap * size) text = text.trimEnd() + '\t';
      else if (gap > spaceGap * size && !/\s$/u.test(text) && !/^\s/u.test(run.text)) text += ' ';
    }
    text += previous && /\t$/.test(text) ? run.text.trimStart() : run.text;
    previous = run;
  }
  return text.trim();
}

/** Consecutive lines, one below the other with normal leading and overlapping, form a block. */
function buildBlocks(lines: readonly Line[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const line of lines) {
    if (current && continuesBlock(current, line)) {
      current.lines.push(line);
      current.x0 = Math.min(current.x0, line.x0);
      current.x1 = Math.max(current.x1, line.x1);
      current.y0 = Math.min(current.y0, line.y0);
      current.y1 = Math.max(current.y1, line.y1);
      continue;
    }
    current = { lines: [line], index: blocks.length, x0: line.x0, x1: line.x1, y0: line.y0, y1: line.y1 };
    blocks.push(current);
  }
  return blocks;
}

function continuesBlock(block: Block, line: Line): boolean {
  const last = block.lines[block.lines.length - 1]!;
  if (last.rotated || line.rotated) return false;
  const size = Math.max(last.size, line.size);
  if (size / Math.min(last.size, line.size) > blockSizeRatio) return false;
  const drop = line.baseline - last.baseline;
  if (drop <= 0.5 * size || drop > blockLeading * size) return false;
  return line.x0 <= block.x1 + size && line.x1 >= block.x0 - size;
}

/**
 * Recursive XY-cut: split the blocks at whitespace columns (read left to right, or right to left
 * on a right-to-left page) or at whitespace rows (top to bottom), whichever has the wider gap, and
 * repeat inside each part; where geometry cannot split a group, the PDF's drawing order decides.
 */
function orderBlocks(blocks: Block[], minGutter: number, rtlPage: boolean): Block[] {
  if (blocks.length <= 1) return blocks;
  const columns = splitAlong(blocks, 'x', minGutter);
  const rows = mergeRowsSharingGutters(splitAlong(blocks, 'y', 0), minGutter);
  if (columns.length > 1 && (rows.length <= 1 || widestGap(columns, 'x') >= widestGap(rows, 'y'))) {
    const sequence = rtlPage ? columns.reverse() : columns;
    return sequence.flatMap((column) => orderBlocks(column, minGutter, rtlPage));
  }
  if (rows.length > 1) return rows.flatMap((row) => orderBlocks(row, minGutter, rtlPage));
  return [...blocks].sort((a, b) => a.index - b.index);
}

/** The widest empty strip between consecutive groups along an axis. */
function widestGap(groups: readonly Block[][], axis: 'x' | 'y'): number {
  const start = axis === 'x' ? 'x0' : 'y0';
  const end = axis === 'x' ? 'x1' : 'y1';
  let widest = 0;
  for (let index = 1; index < groups.length; index += 1) {
    const reach = Math.max(...groups[index - 1]!.map((block) => block[end]));
    const next = Math.min(...groups[index]!.map((block) => block[start]));
    widest = Math.max(widest, next - reach);
  }
  return widest;
}

/** Groups of blocks separated by an empty strip wider than `minGap` along one axis, in axis order. */
function splitAlong(blocks: readonly Block[], axis: 'x' | 'y', minGap: number): Block[][] {
  const start = axis === 'x' ? 'x0' : 'y0';
  const end = axis === 'x' ? 'x1' : 'y1';
  const sorted = [...blocks].sort((a, b) => a[start] - b[start]);
  const groups: Block[][] = [];
  let reach = -Infinity;
  for (const block of sorted) {
    if (groups.length === 0 || block[start] - reach > minGap) groups.push([block]);
    else groups[groups.length - 1]!.push(block);
    reach = Math.max(reach, block[end]);
  }
  return groups;
}

/**
 * Rows cut by chance (a figure in one column beside a paragraph break in the other) are joined
 * again when both sides are split into columns by one shared gutter, so the columns read through.
 */
function mergeRowsSharingGutters(rows: Block[][], minGutter: number): Block[][] {
  const merged: Block[][] = [];
  for (const row of rows) {
    const previous = merged[merged.length - 1];
    if (previous && sharesGutter(previous, row, minGutter)) previous.push(...row);
    else merged.push([...row]);
  }
  return merged;
}

function sharesGutter(first: readonly Block[], second: readonly Block[], minGutter: number): boolean {
  const firstGutters = gutters(first, minGutter);
  if (firstGutters.length === 0) return false;
  return gutters(second, minGutter).some((gutter) => firstGutters.some((other) => Math.min(gutter.x1, other.x1) - Math.max(gutter.x0, other.x0) > minGutter));
}

function gutters(blocks: readonly Block[], minGutter: number): Array<{ x0: number; x1: number }> {
  const columns = splitAlong(blocks, 'x', minGutter);
  const result: Array<{ x0: number; x1: number }> = [];
  for (let index = 1; index < columns.length; index += 1) {
    const left = Math.max(...columns[index - 1]!.map((block) => block.x1));
    const right = Math.min(...columns[index]!.map((block) => block.x0));
    result.push({ x0: left, x1: right });
  }
  return result;
}

/** Letters and digits, not spaces or punctuation, so that direction follows the words. */
function characterCount(line: Line): number {
  return line.runs.reduce((sum, run) => sum + (run.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0), 0);
}

function countRtl(lines: readonly Line[]): number {
  return lines.reduce((sum, line) => sum + line.runs.reduce((inner, run) => inner + (run.text.match(rtlCharacters)?.length ?? 0), 0), 0);
}

function medianSize(lines: readonly Line[]): number {
  const sizes = lines.map((line) => line.size).sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] ?? 10;
}
