/** The entity types this node detects, with Presidio's names. */
export const entityTypes = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
  'URL',
] as const;

export type EntityType = (typeof entityTypes)[number];

/** Settings a recognizer may read; every recognizer gets the same object. */
export interface RecognizerOptions {
  /** Regions (ISO 3166-1 alpha-2) whose national-format phone numbers are recognised. */
  phoneRegions: readonly string[];
}

/** One candidate span: offsets are UTF-16 code units into the text, end exclusive. */
export interface RecognizerMatch {
  start: number;
  end: number;
  score: number;
  text: string;
}

export interface Recognizer {
  readonly type: EntityType;
  find(text: string, options: RecognizerOptions): RecognizerMatch[];
}

/** Letters, marks, digits and underscore: what must not touch a value on either side. */
export const wordCharacter = /[\p{L}\p{M}\p{N}_]/u;

export function isWordCharacterAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.codePointAt(index);
  if (code === undefined) return false;
  // a low surrogate alone: look at the whole code point that ends here
  if (code >= 0xdc00 && code <= 0xdfff && index > 0) {
    return wordCharacter.test(String.fromCodePoint(text.codePointAt(index - 1) ?? code));
  }
  return wordCharacter.test(String.fromCodePoint(code));
}

export function match(text: string, start: number, end: number, score: number): RecognizerMatch {
  return { start, end, score, text: text.slice(start, end) };
}
