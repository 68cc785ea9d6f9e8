import type { Tiktoken } from 'js-tiktoken/lite';

/** The BPE encodings bundled with js-tiktoken that chunk.tokens offers (no download). */
export const encodingNames = ['cl100k_base', 'o200k_base'] as const;
export type EncodingName = (typeof encodingNames)[number];

export interface TokenEncoding {
  readonly name: EncodingName;
  /** Token ids of the text; special-token text such as `<|endoftext|>` is encoded as plain text. */
  encode(text: string): number[];
  /** UTF-8 byte length of every token id. */
  readonly byteLengths: Uint16Array;
}

const rankLoaders: Record<EncodingName, () => Promise<{ default: ConstructorParameters<typeof Tiktoken>[0] }>> = {
  cl100k_base: () => import('js-tiktoken/ranks/cl100k_base'),
  o200k_base: () => import('js-tiktoken/ranks/o200k_base'),
};

/** One encoder per encoding for the whole process: building one takes about a second, and it never changes. */
const encodings = new Map<EncodingName, Promise<TokenEncoding>>();

/** The encoding, built the first time it is asked for and shared afterwards. */
export function loadEncoding(name: EncodingName): Promise<TokenEncoding> {
  let encoding = encodings.get(name);
  if (encoding === undefined) {
    encoding = buildEncoding(name);
    encodings.set(name, encoding);
    encoding.catch(() => encodings.delete(name));
  }
  return encoding;
}

async function buildEncoding(name: EncodingName): Promise<TokenEncoding> {
  const ranks = (await rankLoaders[name]()).default;
  const { Tiktoken: Encoder } = await import('js-tiktoken/lite');
  const tiktoken = new Encoder(ranks);
  return { name, encode: (text) => tiktoken.encode(text, [], []), byteLengths: tokenByteLengths(ranks.bpe_ranks) };
}

/**
 * Byte length of each token id, read from the ranks file js-tiktoken ships: lines of
 * `! <first id> <base64 bytes> <base64 bytes> ...`, consecutive ids.
 */
function tokenByteLengths(bpeRanks: string): Uint16Array {
  const entries: Array<[number, number]> = [];
  let largest = 0;
  for (const line of bpeRanks.split('\n')) {
    if (line === '') continue;
    const [, first, ...tokens] = line.split(' ');
    const offset = Number.parseInt(first!, 10);
    tokens.forEach((token, index) => {
      const padding = token.endsWith('==') ? 2 : token.endsWith('=') ? 1 : 0;
      entries.push([offset + index, (token.length / 4) * 3 - padding]);
      largest = Math.max(largest, offset + index);
    });
  }
  const lengths = new Uint16Array(largest + 1);
  for (const [id, length] of entries) lengths[id] = length;
  return lengths;
}

/**
 * Code-unit offset in `text` after each token: `offsets[k]` is where token k ends (`offsets[0]` is 0),
 * or -1 when token k ends inside a character (an emoji's UTF-8 bytes spread over two tokens).
 */
export function tokenOffsets(text: string, tokens: readonly number[], byteLengths: Uint16Array): Int32Array {
  const offsets = new Int32Array(tokens.length + 1);
  let unit = 0;
  let bytes = 0;
  let target = 0;
  tokens.forEach((token, index) => {
    target += byteLengths[token]!;
    while (bytes < target && unit < text.length) {
      const point = text.codePointAt(unit)!;
      bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4; // a lone surrogate is encoded as U+FFFD, 3 bytes
      unit += point > 0xffff ? 2 : 1;
    }
    offsets[index + 1] = bytes === target ? unit : -1;
  });
  if (bytes !== target || unit !== text.length) {
    throw new Error(`token byte lengths (${target}) do not add up to the text's UTF-8 length (${bytes} at ${unit} of ${text.length})`);
  }
  return offsets;
}
