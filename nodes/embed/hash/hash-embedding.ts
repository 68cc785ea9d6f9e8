/**
 * Feature hashing ("the hashing trick") of words, adjacent word pairs and character n-grams into a
 * fixed number of dimensions: deterministic, no weights, no vocabulary. Each feature picks a bucket
 * and a sign from a 32-bit FNV-1a hash; counts are dampened (1 + ln tf) and the vector is L2-normalised,
 * so a dot product is a cosine similarity.
 */
export interface HashEmbeddingOptions {
  dimensions: number;
  /** Character n-gram length inside each word (0 = words only). */
  ngram: number;
}

export const HASH_MODEL = 'hash-v1';

// Function words carry no topic; without IDF they would dominate short texts such as questions.
const stopWords = new Set(
  ('a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours').split(' '),
);

const wordPattern = /[\p{L}\p{N}]+/gu;

export function hashEmbedding(text: string, options: HashEmbeddingOptions): number[] {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  const words = contentWords(text);
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    add(`w:${word}`, 1);
    if (index > 0) add(`b:${words[index - 1]} ${word}`, 0.5);
    if (options.ngram > 0) {
      const padded = `<${word}>`;
      const grams = Math.max(1, padded.length - options.ngram + 1);
      // Each word's n-grams together weigh as much as the word, so long words do not dominate.
      for (let start = 0; start < grams; start++) add(`g:${padded.slice(start, start + options.ngram)}`, 1 / grams);
    }
  }
  const vector = new Float64Array(options.dimensions);
  for (const [feature, count] of counts) {
    const hash = fnv1a(feature);
    const bucket = (hash >>> 1) % options.dimensions;
    const sign = hash & 1 ? -1 : 1;
    vector[bucket]! += sign * (count >= 1 ? 1 + Math.log(count) : count);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return Array.from(vector, (value) => (norm === 0 ? 0 : value / norm));
}

/** Lower-cased words without function words, a plural or possessive `s` stripped. */
export function contentWords(text: string): string[] {
  const words: string[] = [];
  for (const [match] of text.normalize('NFKC').toLowerCase().matchAll(wordPattern)) {
    if (stopWords.has(match)) continue;
    words.push(match.length > 3 && match.endsWith('s') && !match.endsWith('ss') ? match.slice(0, -1) : match);
  }
  return words;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
