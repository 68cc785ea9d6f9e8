import type { DetectedEntity } from './entity-types.js';

/**
 * Characters a reader does not see: zero-width spaces and joiners, the soft hyphen, word joiners and
 * invisible operators, bidirectional controls, the Arabic letter mark, the byte-order mark.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
/** Space separators other than the plain space (no-break, narrow, thin, ideographic…) and line/paragraph separators. */
const ODD_SPACE = /[\p{Zs}\u2028\u2029]/u;
const NEEDS_VIEW = new RegExp(`${INVISIBLE.source}|${ODD_SPACE.source}|[\\uff01-\\uff5e]`, 'u');

/**
 * The text as a reader sees it, for the recognizers: invisible characters left out, every space
 * separator a plain space, full-width ASCII (４１１１, ａｎｎ＠…) as ASCII. Without it a card number with
 * no-break spaces, or an address with a zero-width space before the @, reads as no PII at all.
 * `entitiesIn` maps what was found back onto the original text (the span then covers the invisible
 * characters inside it, so anonymizing removes them with the value).
 */
export interface ReadingView {
  readonly text: string;
  entitiesIn(original: string, found: readonly DetectedEntity[]): DetectedEntity[];
}

export function readingView(original: string): ReadingView {
  if (!NEEDS_VIEW.test(original)) return { text: original, entitiesIn: (_text, found) => [...found] };
  let text = '';
  const origin: number[] = []; // origin[i]: the original index of the view's code unit i
  for (let index = 0; index < original.length; index++) {
    const unit = original[index]!;
    if (INVISIBLE.test(unit)) continue;
    const code = unit.charCodeAt(0);
    text += unit === ' ' || !ODD_SPACE.test(unit) ? (code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : unit) : ' ';
    origin.push(index);
  }
  return {
    text,
    entitiesIn: (source, found) =>
      found.map((entity) => {
        const start = origin[entity.start] ?? source.length;
        const end = entity.end > entity.start ? origin[entity.end - 1]! + 1 : start;
        return { ...entity, start, end, text: source.slice(start, end) };
      }),
  };
}
