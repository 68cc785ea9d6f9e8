import type { Document } from '../../../src/node-kit/index.js';

export interface SelectOptions {
  topK: number;
  minScore?: number;
  filter?: Record<string, string | number | boolean>;
  /** Maximal marginal relevance: 1 = relevance only, 0 = diversity only. Undefined = plain score order. */
  mmrLambda?: number;
}

export interface Selection {
  documents: Document[];
  /** Why MMR was not applied, when it was asked for. */
  mmrSkipped?: string;
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The relevance of a candidate: its store score, else its cosine to the question embedding. */
export function relevance(document: Document, questionEmbedding: number[] | undefined): number {
  const score = document.metadata.score;
  if (typeof score === 'number') return score;
  if (questionEmbedding && document.embedding) return cosine(questionEmbedding, document.embedding);
  return 0;
}

/**
 * Filters the candidates (metadata equality, score threshold), removes repeated ids, then keeps the
 * topK best by score, or by maximal marginal relevance when `mmrLambda` is set and embeddings exist.
 */
export function selectContext(candidates: Document[], questionEmbedding: number[] | undefined, options: SelectOptions): Selection {
  const filter = Object.entries(options.filter ?? {});
  const seen = new Set<string>();
  const scored = candidates
    .filter((document) => !seen.has(document.id) && seen.add(document.id))
    .filter((document) => filter.every(([key, value]) => document.metadata[key] === value))
    .map((document) => ({ document, score: relevance(document, questionEmbedding) }))
    .filter((entry) => options.minScore === undefined || entry.score >= options.minScore)
    .sort((a, b) => b.score - a.score);
  const withScore = (entry: { document: Document; score: number }) => ({ ...entry.document, metadata: { ...entry.document.metadata, score: entry.score } });
  if (options.mmrLambda === undefined) return { documents: scored.slice(0, options.topK).map(withScore) };
  const missing = !questionEmbedding ? 'the question has no embedding' : scored.some((entry) => !entry.document.embedding) ? 'some candidates have no embedding' : undefined;
  if (missing) return { documents: scored.slice(0, options.topK).map(withScore), mmrSkipped: missing };
  const lambda = options.mmrLambda;
  const chosen: typeof scored = [];
  const remaining = [...scored];
  while (chosen.length < options.topK && remaining.length > 0) {
    let bestIndex = 0;
    let bestValue = -Infinity;
    remaining.forEach((entry, index) => {
      const redundancy = chosen.reduce((most, picked) => Math.max(most, cosine(entry.document.embedding!, picked.document.embedding!)), 0);
      const value = lambda * cosine(questionEmbedding!, entry.document.embedding!) - (1 - lambda) * (chosen.length ? redundancy : 0);
      if (value > bestValue) [bestIndex, bestValue] = [index, value];
    });
    chosen.push(remaining.splice(bestIndex, 1)[0]!);
  }
  return { documents: chosen.map(withScore) };
}
