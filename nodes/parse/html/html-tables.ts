import { columnNames, type ShapedTable } from '../shared/table-shape.js';

/** A `<table>` read into named columns and rectangular rows of strings. */
export interface HtmlTable extends ShapedTable {
  rows: string[][];
  caption?: string;
}

/** Elements whose text never belongs to a document's content. */
export const hiddenTags: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'meta', 'link', 'title',
  'svg', 'canvas', 'iframe', 'object', 'embed', 'select', 'button', 'input', 'textarea',
]);

/** Elements that start a new line inside a table cell. */
const lineTags: ReadonlySet<string> = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'dt', 'dd', 'section', 'article', 'table', 'tr',
]);

const maxSpan = 1000;

/** An element's tag in lower case (elements Readability creates keep upper-case names in linkedom). */
export function tagOf(element: Element): string {
  return element.localName.toLowerCase();
}

/**
 * A data table, as opposed to one used for page layout: it holds no other table, is not marked
 * role="presentation" and has at least one cell. Layout tables are read as ordinary blocks.
 */
export function isDataTable(table: Element): boolean {
  const role = table.getAttribute('role');
  if (role === 'presentation' || role === 'none') return false;
  if (table.querySelector('table') !== null) return false;
  return rowsOf(table).some((row) => cellsOf(row).length > 0);
}

/**
 * Reads a data table. The header is the `<thead>` rows, else the leading rows made only of `<th>`,
 * else the first row; several header rows are joined per column ("Q1 / Units"). A cell spanning
 * rows is repeated in each of them; a cell spanning columns fills the others with "" (the header
 * repeats its name). Rows left empty are dropped; short rows are padded with "".
 */
export function readTable(table: Element): HtmlTable {
  const rows = rowsOf(table);
  const inHead = rows.map((row) => (row.parentElement ? tagOf(row.parentElement) : '') === 'thead');
  let headerCount = inHead.filter(Boolean).length;
  if (headerCount === 0) {
    while (headerCount < rows.length && isHeaderRow(rows[headerCount]!)) headerCount++;
    if (headerCount === 0 && rows.length > 0) headerCount = 1;
  }
  const grid = toGrid(rows, headerCount);
  const width = grid.reduce((widest, row) => Math.max(widest, row.length), 0);
  const headerRows = grid.slice(0, headerCount);
  const headerTexts = Array.from({ length: width }, (_unused, column) => {
    const parts = headerRows.map((row) => row[column] ?? '').filter((text) => text !== '');
    return parts.filter((text, index) => parts.indexOf(text) === index).join(' / ');
  });
  const body = grid
    .slice(headerCount)
    .filter((row) => row.some((cell) => cell !== ''))
    .map((row) => Array.from({ length: width }, (_unused, column) => row[column] ?? ''));
  const captionElement = [...table.children].find((child) => tagOf(child) === 'caption');
  const caption = captionElement ? cellText(captionElement) : '';
  return { columns: columnNames(headerTexts), rows: body, ...(caption ? { caption } : {}) };
}

/** The table as a GitHub-flavoured markdown table, for the text lane. */
export function tableToMarkdown(table: Pick<ShapedTable, 'columns' | 'rows'>): string {
  const line = (cells: ReadonlyArray<unknown>) =>
    `| ${cells.map((cell) => String(cell ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(table.columns), line(table.columns.map(() => '---')), ...table.rows.map(line)].join('\n');
}

/** The table's own rows in reading order: head, body (and bare rows), foot. Nested tables excluded. */
function rowsOf(table: Element): Element[] {
  const head: Element[] = [];
  const body: Element[] = [];
  const foot: Element[] = [];
  for (const child of table.children) {
    const tag = tagOf(child);
    if (tag === 'tr') body.push(child);
    else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') {
      const target = tag === 'thead' ? head : tag === 'tfoot' ? foot : body;
      for (const row of child.children) if (tagOf(row) === 'tr') target.push(row);
    }
  }
  return [...head, ...body, ...foot];
}

function cellsOf(row: Element): Element[] {
  return [...row.children].filter((child) => tagOf(child) === 'td' || tagOf(child) === 'th');
}

function isHeaderRow(row: Element): boolean {
  const cells = cellsOf(row);
  return cells.length > 0 && cells.every((cell) => tagOf(cell) === 'th');
}

function spanOf(cell: Element, attribute: string): number {
  const value = Number.parseInt(cell.getAttribute(attribute) ?? '1', 10);
  return Number.isFinite(value) && value >= 1 ? Math.min(value, maxSpan) : 1;
}

function toGrid(rows: Element[], headerCount: number): string[][] {
  const carried = new Map<number, { text: string; remaining: number }>();
  return rows.map((row, rowIndex) => {
    const out: string[] = [];
    let column = 0;
    const takeCarried = () => {
      for (let span = carried.get(column); span !== undefined && span.remaining > 0; span = carried.get(column)) {
        out[column] = span.text;
        span.remaining -= 1;
        if (span.remaining === 0) carried.delete(column);
        column += 1;
      }
    };
    for (const cell of cellsOf(row)) {
      takeCarried();
      const text = cellText(cell);
      const columnSpan = spanOf(cell, 'colspan');
      const rowSpan = spanOf(cell, 'rowspan');
      for (let offset = 0; offset < columnSpan; offset++) {
        const value = offset === 0 || rowIndex < headerCount ? text : '';
        out[column + offset] = value;
        if (rowSpan > 1) carried.set(column + offset, { text: value, remaining: rowSpan - 1 });
      }
      column += columnSpan;
    }
    for (const [spanColumn] of [...carried].sort(([left], [right]) => left - right)) {
      if (spanColumn < column) continue;
      column = spanColumn;
      takeCarried();
    }
    return Array.from({ length: out.length }, (_unused, index) => out[index] ?? '');
  });
}

/** A cell's text: whitespace collapsed, one line per paragraph or line break inside it. */
export function cellText(element: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) parts.push(node.nodeValue ?? '');
    if (node.nodeType !== 1) return;
    const tag = tagOf(node as Element);
    if (hiddenTags.has(tag)) return;
    if (lineTags.has(tag)) parts.push('\n');
    for (const child of node.childNodes) walk(child);
    if (lineTags.has(tag)) parts.push('\n');
  };
  for (const child of element.childNodes) walk(child);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
