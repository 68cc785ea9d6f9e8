import { match, type Recognizer, type RecognizerMatch } from './types.js';

const edgeBefore = '(?<![\\p{L}\\p{M}\\p{N}_.-])';
const edgeAfter = '(?![\\p{L}\\p{M}\\p{N}_]|[.-]\\d)';

/** Shapes Presidio scores: one consistent delimiter is a medium match, the rest are very weak. */
const shapes: Array<{ pattern: RegExp; score: number }> = [
  { pattern: new RegExp(`${edgeBefore}\\d{3}([- .])\\d{2}\\1\\d{4}${edgeAfter}`, 'gu'), score: 0.6 },
  { pattern: new RegExp(`${edgeBefore}\\d{9}${edgeAfter}`, 'gu'), score: 0.05 },
  { pattern: new RegExp(`${edgeBefore}\\d{3}-\\d{6}${edgeAfter}`, 'gu'), score: 0.05 },
  { pattern: new RegExp(`${edgeBefore}\\d{5}-\\d{4}${edgeAfter}`, 'gu'), score: 0.05 },
];

/**
 * Numbers never issued or published as samples: Woolworth's wallet card (078-05-1120), the 1940s
 * advertising sample (219-09-9999), and the runs Presidio lists (123-45-6789, 987-65-432x).
 */
const knownInvalid = new Set(['078051120', '219099999', '123456789']);

export function isPlausibleSsn(digits: string): boolean {
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  if (/^(\d)\1{8}$/.test(digits)) return false;
  return !knownInvalid.has(digits);
}

/**
 * US social security numbers: AAA-GG-SSSS with one delimiter (dash, dot or space) used twice, and
 * very weak bare or oddly grouped nine-digit runs that only a low `minScore` lets through. Areas
 * 000, 666 and 900–999, group 00 and serial 0000 are never issued.
 */
export const usSsnRecognizer: Recognizer = {
  name: 'us-ssn',
  types: ['US_SSN'],
  context: ['ssn', 'ssns', 'ss#', 'ssid', 'social', 'security'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const { pattern, score } of shapes) {
      for (const hit of text.matchAll(pattern)) {
        if (!isPlausibleSsn(hit[0].replace(/\D/g, ''))) continue;
        found.push(match('US_SSN', text, hit.index, hit.index + hit[0].length, score));
      }
    }
    return found;
  },
};
