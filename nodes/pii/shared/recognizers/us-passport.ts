import { match, type Recognizer, type RecognizerMatch } from './types.js';

const edgeBefore = '(?<![\\p{L}\\p{M}\\p{N}_.,+-])';
const edgeAfter = '(?![\\p{L}\\p{M}\\p{N}_]|[.,-]\\d)';

/**
 * Book numbers are nine digits; next-generation books (2021 on) a letter and eight digits. Neither
 * has a check digit, so both are very weak alone and count once a context word lifts them.
 */
const shapes: Array<{ pattern: RegExp; score: number }> = [
  { pattern: new RegExp(`${edgeBefore}\\d{9}${edgeAfter}`, 'gu'), score: 0.1 },
  { pattern: new RegExp(`${edgeBefore}[A-Z]\\d{8}${edgeAfter}`, 'gu'), score: 0.15 },
];

/** US passport book numbers, found through context words ("passport", "travel"). */
export const usPassportRecognizer: Recognizer = {
  name: 'us-passport',
  types: ['US_PASSPORT'],
  context: ['passport', 'passports', 'travel', 'book', 'visa'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const { pattern, score } of shapes) {
      for (const hit of text.matchAll(pattern)) {
        if (/^(\d)\1+$/.test(hit[0])) continue;
        found.push(match('US_PASSPORT', text, hit.index, hit.index + hit[0].length, score));
      }
    }
    return found;
  },
};
