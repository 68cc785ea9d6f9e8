import { isValidIBAN } from 'ibantools';
import { isWordCharacterAt, match, type Recognizer, type RecognizerMatch } from './types.js';

/** Longest IBAN (Russia: 33 characters) plus one. */
const maxCompactLength = 34;

/** Runs of upper-case tokens joined by single spaces, not glued to a word on the left. */
const runPattern = /(?<![\p{L}\p{M}\p{N}_])[A-Z0-9]+(?: [A-Z0-9]+)*/gu;
const ibanStart = /^[A-Z]{2}\d{2}/;

interface Token {
  start: number;
  end: number;
  value: string;
}

/**
 * An IBAN written compact or in space-separated groups. From each token that starts with a country
 * code and two check digits, every run of whole tokens (longest first) is checked with ibantools:
 * the country's length and BBAN format, then mod-97. A trailing word ("… 8901 X in a sentence",
 * "… ALL CAPS") is not absorbed because the longer candidate fails the country's length.
 */
export const ibanRecognizer: Recognizer = {
  name: 'iban',
  types: ['IBAN_CODE'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const run of text.matchAll(runPattern)) {
      const tokens: Token[] = [];
      for (const token of run[0].matchAll(/[A-Z0-9]+/g)) {
        const start = run.index + token.index;
        tokens.push({ start, end: start + token[0].length, value: token[0] });
      }
      let first = 0;
      while (first < tokens.length) {
        const last = ibanStart.test(tokens[first]!.value) ? longestValid(text, tokens, first) : -1;
        if (last < 0) {
          first++;
          continue;
        }
        found.push(match('IBAN_CODE', text, tokens[first]!.start, tokens[last]!.end, 1));
        first = last + 1;
      }
    }
    return found;
  },
};

/** Index of the last token of the longest valid IBAN starting at `first`, or -1. */
function longestValid(text: string, tokens: Token[], first: number): number {
  const candidates: Array<{ last: number; compact: string }> = [];
  let compact = '';
  for (let last = first; last < tokens.length; last++) {
    compact += tokens[last]!.value;
    if (compact.length > maxCompactLength) break;
    candidates.push({ last, compact });
  }
  for (const candidate of candidates.reverse()) {
    if (isWordCharacterAt(text, tokens[candidate.last]!.end)) continue;
    if (isValidIBAN(candidate.compact)) return candidate.last;
  }
  return -1;
}
