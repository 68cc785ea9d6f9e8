import { fromMarkdown } from 'mdast-util-from-markdown';
import type { ShapedTable } from '../shared/table-shape.js';
import { columnNames } from '../shared/table-shape.js';

type Root = ReturnType<typeof fromMarkdown>;
type MarkdownNode = Root | Root['children'][number];

export interface MarkdownStructure {
  /** GitHub-flavoured tables in document order. */
  tables: Array<ShapedTable & { rows: string[][] }>;
  /** The text of the first level-1 heading. */
  firstHeading?: string;
}

const delimiterRow = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Reads a markdown document with mdast (CommonMark, which has no tables) and finds GitHub tables
 * the way GFM does: CommonMark leaves a table as a paragraph, so each top-level paragraph is
 * searched for a line followed by a delimiter row (`| --- | :-: |`) with the same number of cells;
 * that line is the header and the paragraph's remaining lines are rows. Code blocks, html blocks
 * and block quotes are never searched, so a table shown inside a fence stays text.
 */
export function readMarkdownStructure(markdown: string): MarkdownStructure {
  const root = fromMarkdown(markdown);
  const tables: MarkdownStructure['tables'] = [];
  let firstHeading: string | undefined;
  for (const node of root.children) {
    if (node.type === 'heading' && node.depth === 1 && firstHeading === undefined) firstHeading = plainText(node).trim() || undefined;
    if (node.type !== 'paragraph' || node.position?.start.offset === undefined || node.position.end.offset === undefined) continue;
    const lines = markdown.slice(node.position.start.offset, node.position.end.offset).split(/\r?\n/);
    const table = tableIn(lines);
    if (table !== undefined) tables.push(table);
  }
  return { tables, ...(firstHeading ? { firstHeading } : {}) };
}

function tableIn(lines: string[]): (ShapedTable & { rows: string[][] }) | undefined {
  for (let index = 0; index + 1 < lines.length; index++) {
    const delimiter = lines[index + 1]!;
    if (!delimiter.includes('|') || !delimiterRow.test(delimiter)) continue;
    const header = splitRow(lines[index]!);
    if (header.length !== splitRow(delimiter).length) continue;
    const width = header.length;
    const rows = lines.slice(index + 2).map((line) => {
      const cells = splitRow(line).slice(0, width); // GFM ignores cells beyond the header's
      return [...cells, ...Array<string>(width - cells.length).fill('')].map(inlineText);
    });
    return { columns: columnNames(header.map(inlineText)), rows };
  }
  return undefined;
}

/** A row's cells: split on pipes that are not escaped (`\|`), outer pipes dropped, `\|` kept as `\|`. */
function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '\\' && text[index + 1] === '|') {
      current += '\\|';
      index += 1;
    } else if (character === '|') {
      cells.push(current.trim());
      current = '';
    } else current += character;
  }
  cells.push(current.trim());
  return cells;
}

/** A cell's markdown as plain text: emphasis, links and code spans reduced to their text. */
function inlineText(cell: string): string {
  if (cell === '') return '';
  return plainText(fromMarkdown(cell.replace(/\\\|/g, '|'))).replace(/\s+/g, ' ').trim();
}

function plainText(node: MarkdownNode): string {
  if ('value' in node && typeof node.value === 'string') return node.type === 'html' ? '' : node.value;
  if (node.type === 'break') return ' ';
  if ('children' in node) return (node.children as MarkdownNode[]).map(plainText).join(node.type === 'root' ? ' ' : '');
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  return '';
}
