import { graphemeBoundaries, type Span } from '../shared/segments.js';
import { tokenOffsets, type TokenEncoding } from './token-encoding.js';

export interface TokenSplitOptions {
  /** Maximum tokens per chunk. */
  size: number;
  /** Tokens the next chunk repeats from the end of the previous one, at most. */
  overlap: number;
}

export interface TokenChunk extends Span {
  /** Tokens of the chunk's own text, encoded on its own. */
  tokens: number;
}

const blank = /^\s*$/u;

/**
 * Windows of at most `size` tokens. A window ends at a token boundary that is also a grapheme
 * boundary (never inside an emoji, a flag or a letter with its accents); the next starts up to
 * `overlap` tokens back, at such a boundary too. Each chunk's text is encoded again and the window
 * shrinks while that count exceeds `size`. One grapheme cluster worth more than `size` tokens
 * becomes a chunk of its own, over size. Chunks are not trimmed: with overlap 0 they join back
 * to the text. Whitespace-only windows are dropped.
 */
export function splitTokens(text: string, encoding: TokenEncoding, options: TokenSplitOptions): TokenChunk[] {
  const tokens = encoding.encode(text);
  const offsets = tokenOffsets(text, tokens, encoding.byteLengths);
  const clusters = graphemeBoundaries(text);
  const count = tokens.length;
  const cuttable = (index: number) => offsets[index]! >= 0 && clusters[offsets[index]!] === 1;
  const lastCutBetween = (after: number, atMost: number) => {
    for (let index = atMost; index > after; index--) if (cuttable(index)) return index;
    return undefined;
  };
  const firstCutFrom = (from: number) => {
    for (let index = from; index < count; index++) if (cuttable(index)) return index;
    return count;
  };

  const chunks: TokenChunk[] = [];
  let first = 0;
  while (first < count) {
    let last = lastCutBetween(first, Math.min(first + options.size, count)) ?? firstCutFrom(first + options.size + 1);
    let chunkTokens = encoding.encode(text.slice(offsets[first], offsets[last])).length;
    while (chunkTokens > options.size) {
      const shorter = lastCutBetween(first, last - 1);
      if (shorter === undefined) break;
      last = shorter;
      chunkTokens = encoding.encode(text.slice(offsets[first], offsets[last])).length;
    }
    const span = { start: offsets[first]!, end: offsets[last]! };
    if (!blank.test(text.slice(span.start, span.end))) chunks.push({ ...span, tokens: chunkTokens });
    if (last >= count) break;
    const back = options.overlap === 0 ? last : firstCutFrom(Math.max(first + 1, last - options.overlap));
    first = Math.min(back, last);
  }
  return chunks;
}
