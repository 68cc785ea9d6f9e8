import { recognizers, type EntityType, type RecognizerOptions } from './recognizers/index.js';

export interface DetectedEntity {
  type: EntityType;
  start: number;
  end: number;
  score: number;
  /** The original value, `text.slice(start, end)`. */
  text: string;
}

export interface AnalyzeOptions extends RecognizerOptions {
  entities: readonly EntityType[];
  minScore: number;
}

/**
 * Runs the chosen recognizers, drops candidates under `minScore`, then resolves overlaps: the
 * longer span wins, then the higher score, then the earlier start. So an e-mail's domain is not
 * also a URL, and an IBAN's digits are not also a card or a phone number. Sorted by start.
 */
export function analyze(text: string, options: AnalyzeOptions): DetectedEntity[] {
  const candidates: DetectedEntity[] = [];
  for (const type of new Set(options.entities)) {
    for (const found of recognizers[type].find(text, options)) {
      if (found.score >= options.minScore && found.end > found.start) candidates.push({ type, ...found });
    }
  }
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || b.score - a.score || a.start - b.start);
  const kept: DetectedEntity[] = [];
  for (const candidate of candidates) {
    if (kept.every((other) => candidate.end <= other.start || candidate.start >= other.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
