import type { Span } from '../shared/segments.js';
import { codeLevels, packUnits, proseLevels, splitUnits, trimSpan } from '../shared/split-recursively.js';
import { markdownSections, type Heading, type MarkdownBlock, type Section } from './markdown-sections.js';

export interface MarkdownChunkOptions {
  /** Maximum characters (UTF-16 code units) per chunk. */
  size: number;
  /** Merge consecutive small sections under the same parent heading, up to `size`. */
  merge: boolean;
}

export interface MarkdownChunk extends Span {
  /** Headings from the top down to the innermost one that holds the whole chunk. */
  path: Heading[];
}

interface Piece extends MarkdownChunk {
  /** The whole section in one piece (only those merge). */
  whole: boolean;
  /** A heading with no content of its own (its subsections follow): it starts a group, never ends one. */
  headingOnly: boolean;
}

/** Each block with the text up to the next block, so list markers and quote prefixes stay in some piece. */
function partition(span: Span, blocks: readonly MarkdownBlock[]): Array<[Span, MarkdownBlock]> {
  return blocks.map((block, index) => [
    { start: index === 0 ? span.start : block.start, end: index + 1 < blocks.length ? blocks[index + 1]!.start : span.end },
    block,
  ]);
}

/**
 * Units no longer than `size` for one block: the block when it fits; else its items (lists, quotes),
 * else its lines (code fences) or paragraphs, sentences, words and graphemes (prose).
 */
function blockUnits(text: string, block: MarkdownBlock, span: Span, size: number): Span[] {
  if (span.end - span.start <= size) return [span];
  if (block.type === 'code') return splitUnits(text, size, { span, levels: codeLevels });
  if (block.children.length === 0) return splitUnits(text, size, { span, levels: proseLevels });
  return partition(span, block.children).flatMap(([piece, child]) => blockUnits(text, child, piece, size));
}

/**
 * Units of a section too long for one chunk. The first block after the heading is cut to leave room
 * for the heading, so the heading never ends up alone in a chunk.
 */
function sectionUnits(text: string, section: Section, size: number): Span[] {
  const pieces = partition(section, section.blocks);
  const headed = section.blocks[0]?.type === 'heading';
  return pieces.flatMap(([piece, block], index) => {
    const headingLength = headed && index === 1 ? piece.start - section.start : 0;
    const budget = headingLength > 0 && headingLength <= size / 2 ? size - headingLength : size;
    return blockUnits(text, block, piece, budget);
  });
}

const startsWith = (path: readonly Heading[], prefix: readonly Heading[]) => prefix.every((heading, index) => path[index] === heading);

function commonPrefix(first: readonly Heading[], second: readonly Heading[]): Heading[] {
  const prefix: Heading[] = [];
  while (prefix.length < first.length && first[prefix.length] === second[prefix.length]) prefix.push(first[prefix.length]!);
  return prefix;
}

/**
 * Joins consecutive whole sections while they fit in `size` and stay under the parent heading of
 * the group's first section (siblings and their subsections). A bare heading opens a new group so
 * it stays with its subsections. The merged chunk's path is the part all its sections share.
 */
function mergeSmall(pieces: readonly Piece[], size: number): MarkdownChunk[] {
  const chunks: MarkdownChunk[] = [];
  let group: (Piece & { parent: Heading[] }) | undefined;
  for (const piece of pieces) {
    if (group?.whole && piece.whole && !piece.headingOnly && startsWith(piece.path, group.parent) && piece.end - group.start <= size) {
      group.end = piece.end;
      group.path = commonPrefix(group.path, piece.path);
      continue;
    }
    if (group) chunks.push({ start: group.start, end: group.end, path: group.path });
    group = { ...piece, parent: piece.path.slice(0, -1) };
  }
  if (group) chunks.push({ start: group.start, end: group.end, path: group.path });
  return chunks;
}

/**
 * Heading-aware chunks of markdown: one per section (a heading and its content); a section longer
 * than `size` cut between blocks (a code fence that fits stays whole), then inside them; small
 * sections merged. Each chunk is trimmed, and `text.slice(start, end)` is its text.
 */
export function chunkMarkdown(text: string, options: MarkdownChunkOptions): MarkdownChunk[] {
  const pieces: Piece[] = [];
  for (const section of markdownSections(text)) {
    const trimmed = trimSpan(text, section);
    if (trimmed === undefined) continue;
    if (trimmed.end - trimmed.start <= options.size) {
      const headingOnly = section.blocks.length === 1 && section.blocks[0]!.type === 'heading';
      pieces.push({ ...trimmed, path: section.path, whole: true, headingOnly });
      continue;
    }
    for (const span of packUnits(text, sectionUnits(text, section, options.size), { size: options.size, overlap: 0 })) {
      pieces.push({ ...span, path: section.path, whole: false, headingOnly: false });
    }
  }
  return options.merge ? mergeSmall(pieces, options.size) : pieces.map(({ start, end, path }) => ({ start, end, path }));
}
