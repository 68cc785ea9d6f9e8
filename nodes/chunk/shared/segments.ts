/** A half-open range of UTF-16 code units in the input text: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

export interface Segment extends Span {
  wordLike: boolean;
  blank: boolean;
}

export const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
export const words = new Intl.Segmenter(undefined, { granularity: 'word' });
export const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const whitespace = /^\s+$/u;

/** Code units segmented at once: V8's segment iterator slows down with the length of its string. */
const windowSize = 2048;
/** Segments ending this close to a window's end are segmented again with what follows. */
const lookahead = 64;

/**
 * Segments of `text.slice(span.start, span.end)` as absolute spans. `span.start` must be a grapheme
 * boundary: every range cut here starts at one, so the segmenter sees whole clusters. Long spans
 * are read in windows that each start at the previous window's last safe boundary (O(n) overall).
 */
export function segmentSpans(text: string, span: Span, segmenter: Intl.Segmenter): Segment[] {
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

/**
 * Marks every grapheme cluster boundary of the text: `boundaries[i] === 1` when a cut at code unit
 * `i` splits no cluster (no surrogate pair, emoji sequence, flag or combining accent). 0 and
 * `text.length` are boundaries. Between two ASCII characters there is always a boundary (but inside
 * CR LF), so only the stretches around other characters go through the (slow) segmenter.
 */
export function graphemeBoundaries(text: string): Uint8Array {
  const boundaries = new Uint8Array(text.length + 1);
  boundaries[0] = 1;
  boundaries[text.length] = 1;
  let safe = 0; // the last position known to be a boundary
  let pending = false; // a non-ASCII character since `safe`
  const segmentPending = (end: number) => {
    for (const cluster of segmentSpans(text, { start: safe, end }, graphemes)) boundaries[cluster.start] = 1;
  };
  for (let index = 1; index < text.length; index++) {
    const before = text.charCodeAt(index - 1);
    const after = text.charCodeAt(index);
    if (before >= 0x80 || after >= 0x80) {
      pending = true;
    } else if (before !== 13 || after !== 10) {
      if (pending) segmentPending(index);
      pending = false;
      boundaries[index] = 1;
      safe = index;
    }
  }
  if (pending) segmentPending(text.length);
  return boundaries;
}
