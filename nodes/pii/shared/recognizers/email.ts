import { match, type Recognizer, type RecognizerMatch } from './types.js';

const localCharacter = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]";
const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?';
const topLevel = '(?:\\p{L}[\\p{L}\\p{M}]{1,62}|xn--[a-z0-9-]{2,59})';

/**
 * local@domain.tld: the local part starts with a letter or digit and does not start or end with a
 * dot; the domain needs at least one dot and a top-level label of two or more letters (punycode ok).
 */
const emailPattern = new RegExp(
  `(?<![\\p{L}\\p{M}\\p{N}_.+-])[\\p{L}\\p{N}_]${localCharacter}*(?:\\.${localCharacter}+)*` +
    `@(?:${label}\\.)+${topLevel}(?![\\p{L}\\p{M}\\p{N}_-]|\\.[\\p{L}\\p{N}])`,
  'gu',
);

export const emailRecognizer: Recognizer = {
  name: 'email',
  types: ['EMAIL_ADDRESS'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(emailPattern)) {
      found.push(match('EMAIL_ADDRESS', text, hit.index, hit.index + hit[0].length, 1));
    }
    return found;
  },
};
