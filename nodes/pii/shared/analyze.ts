import { applyContext } from './context.js';
import type { DetectedEntity, EntityType } from './entity-types.js';
import { namesRecognizer, patternRecognizers, type Recognizer, type RecognizerMatch, type RecognizerOptions } from './recognizers/index.js';

export interface AnalyzeOptions extends RecognizerOptions {
  entities: readonly EntityType[];
  minScore: number;
  /** Context words added to the recognizers' own, per type (lower case). */
  contextWords?: Partial<Record<EntityType, readonly string[]>> | undefined;
}

export interface AnalyzeSources {
  /** Default: every pattern recognizer and compromise's names. */
  recognizers?: readonly Recognizer[];
  /** Candidates found elsewhere (a transformer NER model), resolved together with the rest. */
  extra?: readonly RecognizerMatch[];
}

export const defaultRecognizers: readonly Recognizer[] = [...patternRecognizers, namesRecognizer];

/**
 * Runs the recognizers for the chosen types, raises scores near context words, drops candidates
 * under `minScore`, then resolves overlaps: the longer span wins, then the higher score, then the
 * earlier start. So an e-mail's domain is not also a URL, and an IBAN's digits are not also a card
 * or a phone number. Sorted by start.
 */
export function analyze(text: string, options: AnalyzeOptions, sources: AnalyzeSources = {}): DetectedEntity[] {
  const wanted = new Set(options.entities);
  const recognizers = (sources.recognizers ?? defaultRecognizers).filter((recognizer) => recognizer.types.some((type) => wanted.has(type)));
  const raw: RecognizerMatch[] = [];
  const contextOf = new Map<RecognizerMatch, readonly string[]>();
  for (const recognizer of recognizers) {
    for (const found of recognizer.find(text, options)) {
      if (!wanted.has(found.type) || found.end <= found.start) continue;
      raw.push(found);
      contextOf.set(found, recognizer.context ?? []);
    }
  }
  for (const found of sources.extra ?? []) if (wanted.has(found.type) && found.end > found.start) raw.push(found);

  const scored = applyContext(text, raw, (found) => [...(contextOf.get(found) ?? []), ...(options.contextWords?.[found.type] ?? [])]);
  const candidates = scored.filter((found) => found.score >= options.minScore);
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start);
  const kept: DetectedEntity[] = [];
  for (const candidate of candidates) {
    if (kept.every((other) => candidate.end <= other.start || candidate.start >= other.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
