import { isIP } from 'node:net';
import { isWordCharacterAt, match, type Recognizer, type RecognizerMatch } from './types.js';

/** A run of hex digits, colons and dots with at least one colon, not glued to a word or address. */
const ipv6Candidate = /(?<![\p{L}\p{M}\p{N}_:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/gu;
/** Four dotted decimal groups; a fifth group ("192.168.1.1.1") is left outside the span. */
const ipv4Candidate = /(?<![\p{L}\p{M}\p{N}_.])\d{1,3}(?:\.\d{1,3}){3}/gu;
const prefixLength = /^\/(\d{1,3})(?![\p{L}\p{M}\p{N}_])/u;

const score = 0.6;
/** `::` alone (the unspecified address) is more often punctuation than an address. */
const unspecifiedScore = 0.1;

/**
 * IPv4 and IPv6 addresses (including IPv4-mapped and -embedded forms), each candidate confirmed by
 * node:net `isIP`, with a CIDR suffix when its prefix length is valid for the family.
 */
export const ipAddressRecognizer: Recognizer = {
  name: 'ip-address',
  types: ['IP_ADDRESS'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(ipv6Candidate)) {
      // a sentence-final dot or a separating colon ("fe80::1: up") is not part of the address
      const candidate = hit[0].replace(/\.+$/, '').replace(/(?<!:):$/, '');
      const end = hit.index + candidate.length;
      if (isIP(candidate) !== 6 || isWordCharacterAt(text, end)) continue;
      found.push(withPrefix(text, hit.index, end, 128, candidate === '::' ? unspecifiedScore : score));
    }
    for (const hit of text.matchAll(ipv4Candidate)) {
      const end = hit.index + hit[0].length;
      if (isIP(hit[0]) !== 4 || isWordCharacterAt(text, end)) continue;
      found.push(withPrefix(text, hit.index, end, 32, score));
    }
    return found;
  },
};

function withPrefix(text: string, start: number, end: number, maxPrefix: number, value: number): RecognizerMatch {
  const prefix = prefixLength.exec(text.slice(end, end + 5));
  if (prefix && Number(prefix[1]) <= maxPrefix) return match('IP_ADDRESS', text, start, end + prefix[0].length, value);
  return match('IP_ADDRESS', text, start, end, value);
}
