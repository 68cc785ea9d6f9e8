import { match, type Recognizer, type RecognizerMatch } from './types.js';

const edgeBefore = '(?<![\\p{L}\\p{M}\\p{N}_.,+*-])';
const edgeAfter = '(?![\\p{L}\\p{M}\\p{N}_*]|[.,-]\\d)';

/**
 * Shapes used by US states (AAMVA formats), upper case only. None has a public check digit:
 * letter-led numbers are weak evidence, digit-led ones weaker, bare digit runs nearly none; context
 * words ("driver", "license", "DL") lift them over the threshold.
 */
const shapes: Array<{ pattern: string; score: number }> = [
  // one letter and 6 to 14 digits (CA, FL, HI, IL, NJ, NY, …), two letters and 5 to 7 digits (ID, KS, ND, …)
  { pattern: '[A-Z]\\d{6,14}|[A-Z]{2}\\d{5,7}', score: 0.4 },
  // WA before 2018: twelve characters of name letters, digits and *
  { pattern: '(?=[A-Z*]{1,11}\\d)[A-Z][A-Z0-9*]{11}', score: 0.4 },
  // short letter-led numbers (AR, MA, …): also part numbers and room numbers
  { pattern: '[A-Z]\\d{4,5}|[A-Z]{2}\\d{3,4}', score: 0.3 },
  // digit-led: 7 or 9 digits and a letter, 8 digits and two letters, 2+3+5/6, 3+2+4, letter-digit-letter mixes
  { pattern: '\\d{7}[A-Z]|\\d{9}[A-Z]|\\d{8}[A-Z]{2}|\\d{2}[A-Z]{3}\\d{5,6}|\\d{3}[A-Z]{2}\\d{4}|[A-Z]\\d{3}[A-Z]{2}\\d{2}|[A-Z]{2}\\d{6}[A-Z]|[A-Z]\\d{6}R', score: 0.3 },
  // digits only (most states): 7 to 14 digits, nearly no evidence without context
  { pattern: '\\d{7,14}', score: 0.01 },
];

const patterns = shapes.map(({ pattern, score }) => ({
  pattern: new RegExp(`${edgeBefore}(?:${pattern})${edgeAfter}`, 'gu'),
  score,
}));

/** US driver licence numbers by state shape, found through context words for the weak shapes. */
export const usDriverLicenseRecognizer: Recognizer = {
  name: 'us-driver-license',
  types: ['US_DRIVER_LICENSE'],
  context: ['driver', 'drivers', "driver's", 'driving', 'license', 'licence', 'lic', 'dl', 'dln', 'permit', 'cdl'],
  find(text) {
    const bySpan = new Map<string, RecognizerMatch>();
    for (const { pattern, score } of patterns) {
      for (const hit of text.matchAll(pattern)) {
        const key = `${hit.index}:${hit[0].length}`;
        if (bySpan.has(key) || /^(\d)\1+$/.test(hit[0])) continue;
        bySpan.set(key, match('US_DRIVER_LICENSE', text, hit.index, hit.index + hit[0].length, score));
      }
    }
    return [...bySpan.values()];
  },
};
