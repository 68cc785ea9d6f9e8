import { keccak_256 } from '@noble/hashes/sha3.js';
import { match, type Recognizer, type RecognizerMatch } from './types.js';

/** 0x and 40 hex digits, not part of a longer hex string or word. */
const addressPattern = /(?<![\p{L}\p{M}\p{N}_])0x[0-9a-fA-F]{40}(?![\p{L}\p{M}\p{N}_])/gu;

/** Mixed case that passes EIP-55: the case itself is a checksum. */
const checksummedScore = 1;
/** All lower or all upper case carries no checksum: the shape alone. */
const uncheckedScore = 0.6;

/**
 * EIP-55: the letter at position i is upper case exactly when nibble i of keccak-256 over the
 * lower-case hex address (without 0x, as ASCII) is 8 or more.
 */
export function passesEip55(address: string): boolean {
  const hex = address.slice(2);
  const digest = keccak_256(new TextEncoder().encode(hex.toLowerCase()));
  for (let index = 0; index < hex.length; index++) {
    const character = hex[index]!;
    if (!/[a-fA-F]/.test(character)) continue;
    const nibble = (digest[index >> 1]! >> (index % 2 === 0 ? 4 : 0)) & 0xf;
    if ((nibble >= 8) !== (character === character.toUpperCase())) return false;
  }
  return true;
}

/** Ethereum addresses; a mixed-case one must pass its EIP-55 checksum. */
export const cryptoEthereumRecognizer: Recognizer = {
  name: 'crypto-ethereum',
  types: ['CRYPTO'],
  context: ['wallet', 'eth', 'ether', 'ethereum', 'crypto', 'address'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(addressPattern)) {
      const hex = hit[0].slice(2);
      const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
      if (mixed && !passesEip55(hit[0])) continue;
      if (/^0+$/.test(hex)) continue;
      found.push(match('CRYPTO', text, hit.index, hit.index + hit[0].length, mixed ? checksummedScore : uncheckedScore));
    }
    return found;
  },
};
