import type { RecognizerMatch } from './recognizers/types.js';

/** Presidio's context enhancement: a context word nearby adds 0.35, and lifts the score to at least 0.4. */
export const contextBoost = 0.35;
export const contextFloor = 0.4;
/** Words looked at before a match, and the one word right after it ("AB1234563 (DEA)"), never across punctuation. */
export const wordsBefore = 5;
export const wordsAfter = 1;
const joinsNextWord = /^[\s(:#-]*$/;

interface Word {
  start: number;
  end: number;
  value: string;
}

const wordPattern = /[\p{L}\p{M}\p{N}#']+/gu;

/** A context word matches a text word in the same, plural or possessive form ("driver" ~ "drivers", "driver's"). */
function sameWord(word: string, context: string): boolean {
  if (word === context) return true;
  if (!word.startsWith(context)) return false;
  return ["s", "es", "'s", "s'"].includes(word.slice(context.length));
}

/** The context words that apply to one match (its recognizer's, plus any from the config). */
export type ContextWords = (match: RecognizerMatch) => readonly string[];

/**
 * Raises the score of every match with one of its context words among the `wordsBefore` words
 * before it or the `wordsAfter` words after it. Returns new matches; the input is not changed.
 */
export function applyContext(text: string, matches: readonly RecognizerMatch[], contextFor: ContextWords): RecognizerMatch[] {
  let words: Word[] | undefined;
  return matches.map((candidate) => {
    const context = contextFor(candidate);
    if (context.length === 0 || candidate.score >= 1) return candidate;
    words ??= Array.from(text.matchAll(wordPattern), (hit) => ({
      start: hit.index,
      end: hit.index + hit[0].length,
      value: hit[0].toLowerCase().replace(/^'+|'+$/g, ''),
    }));
    const before = firstStartingAtOrAfter(words, candidate.start);
    const after = firstStartingAtOrAfter(words, candidate.end);
    const near = [
      ...words.slice(Math.max(0, before - wordsBefore), before).filter((word) => word.end <= candidate.start),
      ...words.slice(after, after + wordsAfter).filter((word) => joinsNextWord.test(text.slice(candidate.end, word.start))),
    ];
    const found = near.some((word) => context.some((entry) => sameWord(word.value, entry)));
    if (!found) return candidate;
    return { ...candidate, score: Math.min(1, Math.max(candidate.score + contextBoost, contextFloor)) };
  });
}

/** Index of the first word starting at or after `offset` (words are in text order). */
function firstStartingAtOrAfter(words: readonly Word[], offset: number): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (words[middle]!.start < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}
