import { graphemes, segmentSpans, sentences, words, type Span } from './segments.js';

export type { Span } from './segments.js';

export interface SplitOptions {
  /** Maximum characters (UTF-16 code units) per chunk. */
  size: number;
  /** Characters the next chunk repeats from the end of the previous one, about. */
  overlap: number;
}

/**
 * How a span too long for a chunk is cut, coarse to fine: blank-line paragraphs, lines, Unicode
 * sentences, words, grapheme clusters. Every level cuts at grapheme boundaries only.
 */
export type SplitLevel = 'paragraph' | 'line' | 'sentence' | 'word' | 'grapheme';

/** Prose: paragraph → sentence → word → grapheme. */
export const proseLevels: readonly SplitLevel[] = ['paragraph', 'sentence', 'word', 'grapheme'];
/** Source code and code fences: blank-line blocks → lines → words → graphemes. */
export const codeLevels: readonly SplitLevel[] = ['paragraph', 'line', 'word', 'grapheme'];

/** One or more blank lines; the paragraph boundary is right after the last line break. */
const paragraphBreak = /\n[^\S\n]*\n(?:[^\S\n]*\n)*/g;
const lineBreak = /\n/g;

/** Pieces of `span` cut right after each match of `pattern` (a cut at `span.end` adds nothing). */
function breakSpans(text: string, span: Span, pattern: RegExp): Span[] {
  const spans: Span[] = [];
  const search = new RegExp(pattern.source, 'g');
  search.lastIndex = span.start;
  let start = span.start;
  for (let found = search.exec(text); found !== null; found = search.exec(text)) {
    const end = found.index + found[0].length;
    if (end >= span.end) break;
    spans.push({ start, end });
    start = end;
  }
  spans.push({ start, end: span.end });
  return spans;
}

function piecesOf(text: string, span: Span, level: SplitLevel): Span[] {
  switch (level) {
    case 'paragraph':
      return breakSpans(text, span, paragraphBreak);
    case 'line':
      return breakSpans(text, span, lineBreak);
    case 'sentence':
      return segmentSpans(text, span, sentences);
    case 'word':
      return segmentSpans(text, span, words);
    case 'grapheme':
      return segmentSpans(text, span, graphemes);
  }
}

export interface UnitOptions {
  /** The part of the text to cut (default: all of it); its start must be a grapheme boundary. */
  span?: Span;
  /** Coarse to fine (default: prose). */
  levels?: readonly SplitLevel[];
}

/**
 * Cuts the span into contiguous units no longer than `size`: at the first level, and where a piece
 * is still too long at the next, down to grapheme clusters. Every cut is a grapheme boundary
 * (Unicode sentence and word boundaries never fall inside a cluster, nor does a line break), so no
 * surrogate pair, emoji sequence, flag or combining accent is split. A single cluster longer than
 * `size` stays whole.
 */
export function splitUnits(text: string, size: number, options: UnitOptions = {}): Span[] {
  const levels = options.levels ?? proseLevels;
  const units: Span[] = [];
  const split = (span: Span, level: number): void => {
    const current = levels[level];
    if (span.end - span.start <= size || current === undefined) {
      units.push(span);
      return;
    }
    for (const piece of piecesOf(text, span, current)) split(piece, level + 1);
  };
  split(options.span ?? { start: 0, end: text.length }, 0);
  return units;
}

/**
 * Characters that join the cluster before them (UAX #29 Extend, ZWJ, SpacingMark: marks, joiners,
 * skin-tone modifiers, tag characters). Right after whitespace, only these make a cut unsafe.
 */
const joinsPrevious = /^[\p{M}\u200C\u200D\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/u;
const isBlank = (character: string | undefined) => character !== undefined && /\s/u.test(character);

/**
 * The span without leading and trailing whitespace, or undefined when nothing is left. A space that
 * carries a combining mark (" \u0301") is one cluster and is kept, so the cut stays a grapheme boundary.
 */
export function trimSpan(text: string, span: Span): Span | undefined {
  let start = span.start;
  let end = span.end;
  while (start < end && isBlank(text[start])) start++;
  if (start > span.start && start < end && joinsPrevious.test(text.slice(start, start + 2))) start--;
  while (end > start && isBlank(text[end - 1])) end--;
  return end > start ? { start, end } : undefined;
}

/** First position in [from, to) that follows whitespace and starts a new cluster with a non-blank character. */
function wordStartAfterSpace(text: string, from: number, to: number): number | undefined {
  for (let position = Math.max(from, 1); position < to; position++) {
    if (isBlank(text[position - 1]) && !isBlank(text[position]) && !joinsPrevious.test(text.slice(position, position + 2))) {
      return position;
    }
  }
  return undefined;
}

/**
 * Where the chunk after `previous` starts so that it repeats about `overlap` characters: the first
 * word start at or after `previous.end - overlap` (after a space; else a Unicode word boundary, for
 * scripts without spaces; else a grapheme boundary), never so early that `next` no longer fits in
 * `size`. Falls back to `next.start`: no overlap.
 */
function overlapStart(text: string, previous: Span, next: Span, options: SplitOptions): number {
  if (options.overlap === 0) return next.start;
  const earliest = Math.max(previous.end - options.overlap, next.end - options.size, previous.start + 1);
  if (earliest >= next.start) return next.start;
  let start = wordStartAfterSpace(text, earliest, next.start);
  if (start === undefined) {
    const region: Span = { start: previous.start, end: next.start };
    const segments = segmentSpans(text, region, words).filter((segment) => segment.start >= earliest);
    start =
      segments.find((segment) => segment.wordLike)?.start ??
      segments.find((segment) => !segment.blank)?.start ??
      segmentSpans(text, region, graphemes).find((cluster) => cluster.start >= earliest)?.start;
  }
  return start === undefined || start >= next.start ? next.start : start;
}

/**
 * Chunks of at most `size` characters built from whole consecutive units, each trimmed of
 * surrounding whitespace, neighbours sharing about `overlap` characters snapped to a word start.
 * `text.slice(chunk.start, chunk.end)` is the chunk's text. Units that are only whitespace give no chunk.
 */
export function packUnits(text: string, units: readonly Span[], options: SplitOptions): Span[] {
  const chunks: Span[] = [];
  let index = 0;
  let start = units[0]?.start ?? 0;
  while (index < units.length) {
    let end = units[index]!.end;
    let next = index + 1;
    while (next < units.length && units[next]!.end - start <= options.size) {
      end = units[next]!.end;
      next++;
    }
    const raw: Span = { start, end };
    const chunk = trimSpan(text, raw);
    const previous = chunks.at(-1);
    if (chunk && (previous === undefined || chunk.end > previous.end)) chunks.push(chunk);
    if (next >= units.length) break;
    start = overlapStart(text, chunk ?? raw, units[next]!, options);
    index = next;
  }
  return chunks;
}

/**
 * Splits the text (or `options.span` of it) at the coarsest level that makes pieces fit, then packs
 * the pieces into trimmed chunks of at most `size` characters with about `overlap` shared.
 * Whitespace-only text gives no chunks.
 */
export function splitRecursively(text: string, options: SplitOptions & UnitOptions): Span[] {
  return packUnits(text, splitUnits(text, options.size, options), options);
}
