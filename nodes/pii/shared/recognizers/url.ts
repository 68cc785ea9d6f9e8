import { match, type Recognizer, type RecognizerMatch } from './types.js';
import { isKnownTopLevelDomain } from './top-level-domains.js';

const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?';
const port = '(?::\\d{1,5})?';
const path = '(?:[/?#][^\\s<>"\'`]*)?';
const host =
  `(?:(?:${label}\\.)+(?:\\p{L}{2,63}|xn--[a-z0-9-]{2,59})` +
  '|\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]|localhost)';

/** scheme://[user@]host[:port][/path?query#fragment] */
const schemePattern = new RegExp(
  `(?<![\\p{L}\\p{M}\\p{N}_])(?:https?|ftp)://(?:[^\\s/?#@<>"'\`]+@)?${host}${port}${path}`,
  'giu',
);

/** www.example.com or example.co.uk, optionally with a port and a path; the top level in group 2. */
const domainPattern = new RegExp(
  `(?<![\\p{L}\\p{M}\\p{N}_.@/:-])((?:${label}\\.)+)([a-z]{2,24}|xn--[a-z0-9-]{2,59})` +
    `(?![\\p{L}\\p{M}\\p{N}_@-]|\\.[\\p{L}\\p{N}])${port}(?:/[^\\s<>"'\`]*)?`,
  'gu',
);

const schemeScore = 0.6;
const wwwScore = 0.6;
/** A bare domain is weaker evidence (Presidio scores it 0.5 too). */
const bareScore = 0.5;

/** Sentence punctuation after a URL, and closing brackets that were not opened inside it. */
function trimTrailing(value: string): string {
  let end = value.length;
  for (;;) {
    const last = value[end - 1];
    if (last === undefined) break;
    if ('.,;:!?\'"'.includes(last)) {
      end--;
      continue;
    }
    const opener = { ')': '(', ']': '[', '}': '{' }[last];
    if (opener !== undefined) {
      const body = value.slice(0, end);
      if (body.split(opener).length - 1 < body.split(last).length - 1) {
        end--;
        continue;
      }
    }
    break;
  }
  return value.slice(0, end);
}

/**
 * URLs with an http(s)/ftp scheme, www. addresses and bare domains whose top-level label is a
 * country code or a common generic one (written in lower case, so "sentence.New" is not a domain).
 */
export const urlRecognizer: Recognizer = {
  name: 'url',
  types: ['URL'],
  context: ['url', 'website', 'site', 'link', 'visit', 'domain', 'web'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(schemePattern)) {
      const value = trimTrailing(hit[0]);
      found.push(match('URL', text, hit.index, hit.index + value.length, schemeScore));
    }
    for (const hit of text.matchAll(domainPattern)) {
      const labels = hit[1] ?? '';
      const www = /^www\./i.test(labels);
      if (www && labels.length === 4) continue; // "www.com" is a host name, not an address
      if (!isKnownTopLevelDomain(hit[2] ?? '', !www)) continue;
      const value = trimTrailing(hit[0]);
      found.push(match('URL', text, hit.index, hit.index + value.length, www ? wwwScore : bareScore));
    }
    return found;
  },
};
