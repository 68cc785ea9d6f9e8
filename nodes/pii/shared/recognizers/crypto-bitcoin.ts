import bs58check from 'bs58check';
import { bech32, bech32m } from 'bech32';
import { match, type Recognizer, type RecognizerMatch } from './types.js';

/** Legacy (P2PKH 1…, P2SH 3…) and testnet (m…, n…, 2…) addresses: base58, 26 to 35 characters. */
const base58Pattern = /(?<![\p{L}\p{M}\p{N}_])[123mn][1-9A-HJ-NP-Za-km-z]{25,34}(?![\p{L}\p{M}\p{N}_])/gu;
/** SegWit addresses: human-readable part bc (mainnet) or tb (testnet), separator 1, bech32 data. */
const bech32Pattern = /(?<![\p{L}\p{M}\p{N}_])(?:bc|tb|BC|TB)1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![\p{L}\p{M}\p{N}_])/gu;

/** Version bytes: 0x00 P2PKH, 0x05 P2SH, 0x6f testnet P2PKH, 0xc4 testnet P2SH. */
const base58Versions = new Set([0x00, 0x05, 0x6f, 0xc4]);

/** A passing double-SHA-256 or BCH checksum: one random string in billions passes. */
const validScore = 1;

/** True when `address` decodes with base58check to 21 bytes with a Bitcoin version byte. */
export function isBase58Address(address: string): boolean {
  const payload = bs58check.decodeUnsafe(address);
  return payload !== undefined && payload.length === 21 && base58Versions.has(payload[0]!);
}

/**
 * True when `address` is a valid SegWit address: witness version 0 with a bech32 checksum and a
 * 20- or 32-byte program, versions 1 to 16 with a bech32m checksum (BIP 173 and BIP 350). One case only.
 */
export function isSegwitAddress(address: string): boolean {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
  const lower = address.toLowerCase();
  const decoded = bech32.decodeUnsafe(lower, 90) ?? bech32m.decodeUnsafe(lower, 90);
  if (decoded === undefined || decoded.words.length === 0) return false;
  const version = decoded.words[0]!;
  const usedBech32m = bech32.decodeUnsafe(lower, 90) === undefined;
  if (version > 16 || usedBech32m !== version > 0) return false;
  const program = bech32.fromWordsUnsafe(decoded.words.slice(1));
  if (program === undefined || program.length < 2 || program.length > 40) return false;
  return version !== 0 || program.length === 20 || program.length === 32;
}

/** Bitcoin addresses, each confirmed by its checksum (base58check or bech32/bech32m). */
export const cryptoBitcoinRecognizer: Recognizer = {
  name: 'crypto-bitcoin',
  types: ['CRYPTO'],
  context: ['wallet', 'btc', 'bitcoin', 'crypto', 'address'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(base58Pattern)) {
      if (isBase58Address(hit[0])) found.push(match('CRYPTO', text, hit.index, hit.index + hit[0].length, validScore));
    }
    for (const hit of text.matchAll(bech32Pattern)) {
      if (isSegwitAddress(hit[0])) found.push(match('CRYPTO', text, hit.index, hit.index + hit[0].length, validScore));
    }
    return found;
  },
};
