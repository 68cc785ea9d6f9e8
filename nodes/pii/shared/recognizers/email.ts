import { isKnownTopLevelDomain } from './top-level-domains.js';
import { match, type Recognizer, type RecognizerMatch } from './types.js';

const localCharacter = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]";
const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?';
const topLevel = '(?:\\p{L}[\\p{L}\\p{M}]{1,62}|xn--[a-z0-9-]{2,59})';

const local = `[\\p{L}\\p{N}_]${localCharacter}*(?:\\.${localCharacter}+)*`;
const domain = `(?:${label}\\.)+${topLevel}`;
const notAfterLocal = '(?<![\\p{L}\\p{M}\\p{N}_.+-])';
const notBeforeDomain = '(?![\\p{L}\\p{M}\\p{N}_-]|\\.[\\p{L}\\p{N}])';

/**
 * local@domain.tld: the local part starts with a letter or digit and does not start or end with a
 * dot; the domain needs at least one dot and a top-level label of two or more letters (punycode ok).
 */
const emailPattern = new RegExp(`${notAfterLocal}${local}@${domain}${notBeforeDomain}`, 'gu');

/**
 * The same address with an OCR slip at the `@`, the one character a scan most often gets wrong:
 * a stray space on either side of it (tesseract splitting `squid.1057 @example.com` into two
 * words), or `@` read as `©` / `®` with nothing around it. Never across a line break, and a lone
 * `©` between spaces ("Copyright © example.com") is a copyright sign, not an address.
 */
const slippedPattern = new RegExp(
  `${notAfterLocal}${local}(?:[^\\S\\r\\n\\f\\v]{1,2}@[^\\S\\r\\n\\f\\v]{0,2}|@[^\\S\\r\\n\\f\\v]{1,2}|[©®])(${domain})${notBeforeDomain}`,
  'gu',
);

/** OCR's usual confusion inside a top-level domain: `rn` for `m` (".corn"). */
const ocrTopLevel = (value: string) => value.toLowerCase().replace(/rn/g, 'm');

/**
 * Score of an address with an OCR slip: over the default `minScore` (a privacy product redacts it),
 * under the checked shapes, so `minScore: 0.8` keeps only well-formed addresses.
 */
export const slippedEmailScore = 0.6;

export const emailRecognizer: Recognizer = {
  name: 'email',
  types: ['EMAIL_ADDRESS'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(emailPattern)) {
      found.push(match('EMAIL_ADDRESS', text, hit.index, hit.index + hit[0].length, 1));
    }
    for (const hit of text.matchAll(slippedPattern)) {
      // looser shape, stricter domain: only a top-level domain people really use ("x @ self.weights" is code)
      const tld = hit[1]!.slice(hit[1]!.lastIndexOf('.') + 1);
      if (!isKnownTopLevelDomain(ocrTopLevel(tld), false)) continue;
      found.push(match('EMAIL_ADDRESS', text, hit.index, hit.index + hit[0].length, slippedEmailScore));
    }
    return found;
  },
};
