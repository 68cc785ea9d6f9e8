import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Span } from '../shared/segments.js';

/** The part of an mdast node this folder reads; offsets already moved onto the input text. */
export interface MarkdownBlock extends Span {
  type: string;
  children: MarkdownBlock[];
}

export interface Heading {
  text: string;
  /** 1 for `#`, 6 for `######` (setext: 1 for `===`, 2 for `---`). */
  depth: number;
}

/** A heading with everything up to the next heading; the preamble before the first heading has none. */
export interface Section extends Span {
  /** Headings from the top of the document down to this section's own. */
  path: Heading[];
  /** The heading (first) and the blocks of the section, in order. */
  blocks: MarkdownBlock[];
}

interface MdastNode {
  type: string;
  position?: { start: { offset?: number }; end: { offset?: number } };
  children?: MdastNode[];
  depth?: number;
  value?: string;
  alt?: string | null;
}

/** Block nodes whose children are blocks again: a long list or quote is cut between its items. */
const containers = new Set(['list', 'listItem', 'blockquote']);

/** YAML (---) or TOML (+++) front matter: not markdown, so it is blanked before parsing and stays in the preamble. */
const frontMatter = /^(?:---|\+\+\+)[^\S\r\n]*\r?\n[\s\S]*?\r?\n(?:---|\+\+\+|\.\.\.)[^\S\r\n]*(?:\r?\n|$)/;

/** Plain text of a heading's inline content: text, code, link text and image alt, whitespace collapsed. */
function inlineText(node: MdastNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if (node.type === 'break') return ' ';
  return (node.children ?? []).map(inlineText).join('');
}

/**
 * Splits markdown into sections at its top-level headings (ATX and setext; a `#` line inside a code
 * fence is code). Offsets are UTF-16 code units into `text`, a BOM and CR LF line ends included.
 */
export function markdownSections(text: string): Section[] {
  const bom = text.startsWith('\uFEFF') ? 1 : 0; // micromark drops a BOM from its offsets
  const body = text.slice(bom);
  const matter = frontMatter.exec(body)?.[0] ?? '';
  const parsed = fromMarkdown(matter.replace(/[^\r\n]/g, ' ') + body.slice(matter.length)) as unknown as MdastNode;

  const block = (node: MdastNode): MarkdownBlock => ({
    type: node.type,
    start: (node.position?.start.offset ?? 0) + bom,
    end: (node.position?.end.offset ?? 0) + bom,
    children: containers.has(node.type) ? (node.children ?? []).map(block) : [],
  });

  const sections: Section[] = [];
  const stack: Heading[] = [];
  let current: Section = { start: 0, end: text.length, path: [], blocks: [] };
  for (const node of parsed.children ?? []) {
    const next = block(node);
    if (node.type === 'heading') {
      current.end = next.start;
      if (current.blocks.length > 0 || current.path.length > 0 || /\S/u.test(text.slice(current.start, current.end))) sections.push(current);
      const depth = node.depth ?? 1;
      while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
      stack.push({ text: inlineText(node).replace(/\s+/gu, ' ').trim(), depth });
      current = { start: next.start, end: text.length, path: [...stack], blocks: [] };
    }
    current.blocks.push(next);
  }
  current.end = text.length;
  sections.push(current);
  return sections;
}
