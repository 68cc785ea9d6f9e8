import type { PoolReference } from '../../../src/models/index.js';
import { analyze } from './analyze.js';
import type { DetectionConfig } from './detection-config.js';
import { nameEntityTypes, type DetectedEntity, type EntityType } from './entity-types.js';
import { findWithModel, openNerModel, type TokenClassifier } from './ner/transformer-ner.js';
import { patternRecognizers } from './recognizers/index.js';
import { loadNameFinder } from './recognizers/names.js';
import { readingView } from './reading-view.js';

/** What pii.detect and pii.anonymize hold between `open()` and `close()`. */
export interface Detector {
  detect(text: string, signal: AbortSignal): Promise<DetectedEntity[]>;
  /** Gives the NER model back to the hub (no-op without one). */
  release(): void;
}

/**
 * Opens a detector for one node instance: the pattern recognizers, plus compromise's names or,
 * when `nerModelPath` is set, the NER model (checked now, loaded on first use).
 */
export function openDetector(config: DetectionConfig): Detector {
  const wantsNames = config.entities.some((type) => (nameEntityTypes as readonly EntityType[]).includes(type));
  const model: PoolReference<TokenClassifier> | undefined =
    config.nerModelPath !== undefined && wantsNames ? openNerModel(config.nerModelPath) : undefined;
  const options = {
    entities: config.entities,
    minScore: config.minScore,
    phoneRegions: config.phoneRegions.map((code) => code.toUpperCase()),
    contextWords: lowerCased(config.contextWords),
  };
  return {
    async detect(text, signal) {
      const view = readingView(text);
      if (model === undefined) {
        if (wantsNames) await loadNameFinder();
        return view.entitiesIn(text, analyze(view.text, options));
      }
      const extra = await findWithModel(model, view.text, signal);
      return view.entitiesIn(text, analyze(view.text, options, { recognizers: patternRecognizers, extra }));
    },
    release: () => model?.release(),
  };
}

function lowerCased(words: DetectionConfig['contextWords']): Partial<Record<EntityType, string[]>> | undefined {
  if (words === undefined) return undefined;
  return Object.fromEntries(Object.entries(words).map(([type, list]) => [type, (list ?? []).map((word) => word.toLowerCase())]));
}
