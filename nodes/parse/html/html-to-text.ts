import { cellText, hiddenTags, isDataTable, readTable, tableToMarkdown, tagOf, type HtmlTable } from './html-tables.js';

export interface RenderOptions {
  /** Headings as markdown `#` lines (else as plain paragraphs). */
  keepHeadings: boolean;
  /** Tags dropped with everything inside them, on top of scripts, styles and form controls. */
  dropTags?: ReadonlySet<string>;
}

export interface RenderedHtml {
  /** Blocks (headings, paragraphs, lists, tables) separated by blank lines. */
  text: string;
  /** Data tables in document order; each also appears in `text` as a markdown table. */
  tables: HtmlTable[];
  /** Whether the text has a level-1 heading. */
  hasTitleHeading: boolean;
}

/** Attribute a heading's original level is kept in, when a later step (Readability) renames h1 to h2. */
export const headingLevelAttribute = 'data-pipelane-heading';

const blockTags: ReadonlySet<string> = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'blockquote', 'figure', 'figcaption',
  'address', 'dl', 'dt', 'dd', 'details', 'summary', 'fieldset', 'legend', 'center', 'hr', 'form', 'body', 'html',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'li', 'dialog', 'hgroup', 'search',
]);

/**
 * Renders an element's content as plain text with light markdown: headings as `#` lines, list
 * items as `- ` / `1. ` lines (nested lists indented), preformatted text kept as is, data tables
 * as markdown tables; blocks separated by one blank line, whitespace inside a block collapsed.
 */
export function renderHtml(root: Element, options: RenderOptions): RenderedHtml {
  const blocks: string[] = [];
  const tables: HtmlTable[] = [];
  let inline = '';
  let hasTitleHeading = false;
  const dropTags = options.dropTags ?? new Set<string>();

  const flush = () => {
    const text = normalizeInline(inline);
    if (text !== '') blocks.push(text);
    inline = '';
  };
  const pushBlock = (text: string) => {
    flush();
    if (text.trim() !== '') blocks.push(text);
  };

  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      inline += (node.nodeValue ?? '').replace(/\s+/g, ' '); // source line breaks are not breaks; <br> is
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as Element;
    const tag = tagOf(element);
    if (hiddenTags.has(tag) || dropTags.has(tag) || isHidden(element)) return;
    const level = headingLevel(element);
    if (level !== undefined) {
      const text = cellText(element).replace(/\n/g, ' ');
      if (level === 1 && text !== '') hasTitleHeading = true;
      pushBlock(options.keepHeadings && text !== '' ? `${'#'.repeat(level)} ${text}` : text);
    } else if (tag === 'ul' || tag === 'ol') {
      pushBlock(renderList(element, 0));
    } else if (tag === 'pre') {
      pushBlock((element.textContent ?? '').replace(/^\n/, '').replace(/\s+$/, ''));
    } else if (tag === 'br') {
      inline += '\n';
    } else if (tag === 'table' && isDataTable(element)) {
      const table = readTable(element);
      tables.push(table);
      pushBlock([table.caption, tableToMarkdown(table)].filter(Boolean).join('\n\n'));
    } else if (blockTags.has(tag)) {
      flush();
      for (const child of element.childNodes) walk(child);
      flush();
    } else {
      for (const child of element.childNodes) walk(child);
    }
  };

  walk(root);
  flush();
  return { text: blocks.join('\n\n'), tables, hasTitleHeading };
}

function headingLevel(element: Element): number | undefined {
  const match = /^h([1-6])$/.exec(tagOf(element));
  if (match === null) return undefined;
  const kept = Number(element.getAttribute(headingLevelAttribute));
  return kept >= 1 && kept <= 6 ? kept : Number(match[1]);
}

/** `hidden`, `aria-hidden="true"` or an inline `display: none`. */
function isHidden(element: Element): boolean {
  if (element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true') return true;
  return /display\s*:\s*none/i.test(element.getAttribute('style') ?? '');
}

function renderList(list: Element, depth: number): string {
  const lines: string[] = [];
  let number = Number.parseInt(list.getAttribute('start') ?? '1', 10);
  if (!Number.isFinite(number)) number = 1;
  for (const item of list.children) {
    if (tagOf(item) === 'ul' || tagOf(item) === 'ol') {
      const rendered = renderList(item, depth + 1); // a list put straight inside a list, as pages often do
      if (rendered !== '') lines.push(rendered);
      continue;
    }
    if (tagOf(item) !== 'li') continue;
    const nested: Element[] = [];
    const parts: string[] = [];
    const collect = (node: Node) => {
      if (node.nodeType === 3) parts.push(node.nodeValue ?? '');
      if (node.nodeType !== 1) return;
      const element = node as Element;
      if (tagOf(element) === 'ul' || tagOf(element) === 'ol') nested.push(element);
      else if (!hiddenTags.has(tagOf(element)) && !isHidden(element)) {
        parts.push(' ');
        for (const child of element.childNodes) collect(child);
        parts.push(' ');
      }
    };
    for (const child of item.childNodes) collect(child);
    const marker = tagOf(list) === 'ol' ? `${number++}.` : '-';
    const text = normalizeInline(parts.join('')).replace(/\n/g, ' ');
    if (text !== '') lines.push(`${'  '.repeat(depth)}${marker} ${text}`);
    for (const sublist of nested) {
      const rendered = renderList(sublist, depth + 1);
      if (rendered !== '') lines.push(rendered);
    }
  }
  return lines.join('\n');
}

/** Whitespace runs become one space; explicit line breaks stay; blank lines go. */
function normalizeInline(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
