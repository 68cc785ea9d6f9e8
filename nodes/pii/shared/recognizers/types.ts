import type { DetectedEntity, EntityType } from '../entity-types.js';

export { entityTypes, type EntityType } from '../entity-types.js';

/** Settings a recognizer may read; every recognizer gets the same object. */
export interface RecognizerOptions {
  /** Regions (ISO 3166-1 alpha-2, upper case) whose national-format phone numbers are recognised. */
  phoneRegions: readonly string[];
}

/** One candidate span, before context words and the score threshold are applied. */
export type RecognizerMatch = DetectedEntity;

/**
 * The common shape of every recognizer: the types it can emit, the words that make a nearby match
 * more likely (Presidio's context), and a pure `find`.
 */
export interface Recognizer {
  /** kebab-case, equal to the file name: shown in tests and diagnostics. */
  readonly name: string;
  readonly types: readonly EntityType[];
  /** Lower-case words that raise a match's score when they appear just before (or after) it. */
  readonly context?: readonly string[];
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

export function match(type: EntityType, text: string, start: number, end: number, score: number): RecognizerMatch {
  return { type, start, end, score, text: text.slice(start, end) };
}
