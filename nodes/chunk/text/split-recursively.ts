/** A half-open range of UTF-16 code units in the input text: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

export interface SplitOptions {
  /** Maximum characters (UTF-16 code units) per chunk. */
  size: number;
  /** Characters the next chunk repeats from the end of the previous one, about. */
  overlap: number;
}

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One or more blank lines; the paragraph boundary is right after the last line break. */
const paragraphBreak = /\n[^\S\n]*\n(?:[^\S\n]*\n)*/g;
const whitespace = /^\s+$/u;

interface Segment extends Span {
  wordLike: boolean;
  blank: boolean;
}

/** Code units segmented at once: V8's segment iterator slows down with the length of its string. */
const windowSize = 2048;
/** Segments ending this close to a window's end are segmented again with what follows. */
const lookahead = 64;

/**
 * Segments of `text.slice(span.start, span.end)` as absolute spans. `span.start` must be a grapheme
 * boundary: every range cut here starts at one, so the segmenter sees whole clusters. Long spans
 * are read in windows that each start at the previous window's last safe boundary (O(n) overall).
 */
function segmentSpans(text: string, span: Span, segmenter: Intl.Segmenter): Segment[] {
  const result: Segment[] = [];
  let position = span.start;
  let size = windowSize;
  while (position < span.end) {
    const limit = Math.min(span.end, position + size);
    const final = limit === span.end;
    const before = result.length;
    for (const segment of segmenter.segment(text.slice(position, limit))) {
      const start = position + segment.index;
      const end = start + segment.segment.length;
      if (!final && end > limit - lookahead) break;
      result.push({ start, end, wordLike: segment.isWordLike === true, blank: whitespace.test(segment.segment) });
    }
    if (final) break;
    if (result.length === before) {
      size *= 2; // one segment longer than the window: read a longer one
      continue;
    }
    position = result[result.length - 1]!.end;
    size = windowSize;
  }
  return result;
}

function paragraphSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const found of text.matchAll(paragraphBreak)) {
    const end = found.index + found[0].length;
    if (end >= text.length) break;
    spans.push({ start, end });
    start = end;
  }
  spans.push({ start, end: text.length });
  return spans;
}

const finerSegmenters = [sentences, words, graphemes];

/**
 * Cuts the text into contiguous units no longer than `size`: paragraphs, and where one is too long
 * its sentences, then words, then grapheme clusters. Every cut is a grapheme boundary (Unicode
 * sentence and word boundaries never fall inside a cluster), so no surrogate pair, emoji sequence,
 * flag or combining accent is split. A single cluster longer than `size` stays whole.
 */
export function splitUnits(text: string, size: number): Span[] {
  const units: Span[] = [];
  const split = (span: Span, level: number): void => {
    const segmenter = finerSegmenters[level];
    if (span.end - span.start <= size || segmenter === undefined) {
      units.push(span);
      return;
    }
    for (const piece of segmentSpans(text, span, segmenter)) split(piece, level + 1);
  };
  for (const paragraph of paragraphSpans(text)) split(paragraph, 0);
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
function trimSpan(text: string, span: Span): Span | undefined {
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
 * Chunks of at most `size` characters built from whole units, each trimmed of surrounding
 * whitespace, neighbours sharing about `overlap` characters snapped to a word start.
 * `text.slice(chunk.start, chunk.end)` is the chunk's text. Whitespace-only text gives no chunks.
 */
export function splitRecursively(text: string, options: SplitOptions): Span[] {
  const units = splitUnits(text, options.size);
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
