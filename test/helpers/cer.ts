import { distance } from 'fastest-levenshtein';

/** Collapses every run of whitespace (spaces, tabs, newlines) to one space and trims the ends. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Character error rate: edit distance between the whitespace-normalised texts divided by the
 * normalised reference length (0 = identical; can exceed 1 when the output is much longer).
 */
export function characterErrorRate(actual: string, expected: string): number {
  const reference = normalizeWhitespace(expected);
  const hypothesis = normalizeWhitespace(actual);
  if (reference.length === 0) return hypothesis.length === 0 ? 0 : 1;
  return distance(hypothesis, reference) / reference.length;
}
