import { randomFillSync } from 'node:crypto';

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const random = Buffer.alloc(16 * 512);
let used = random.length;
const text = Buffer.alloc(36);

/**
 * A random version-4 UUID, like crypto.randomUUID(), as one flat string. On Node 20 randomUUID()
 * returns a rope of about 14 concatenated pieces, which every retained span kept alive (~450 bytes
 * a span: a run of 100,000 items through 10 nodes spent most of its time collecting them).
 */
export function newSpanId(): string {
  if (used === random.length) {
    randomFillSync(random);
    used = 0;
  }
  random[used + 6] = (random[used + 6]! & 0x0f) | 0x40; // version 4
  random[used + 8] = (random[used + 8]! & 0x3f) | 0x80; // RFC 4122 variant
  let at = 0;
  for (let index = 0; index < 16; index++) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text[at++] = 0x2d; // '-'
    const byte = random[used + index]!;
    text[at++] = HEX[byte >> 4]!;
    text[at++] = HEX[byte & 0x0f]!;
  }
  used += 16;
  return text.toString('latin1');
}

let lastMs = Number.NaN;
let lastIso = '';

/**
 * `new Date(ms).toISOString()`, the same string object for the same millisecond: spans come many
 * to a millisecond, and each kept two timestamps of its own.
 */
export function isoTimestamp(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
