import os from 'node:os';
import { PipelaneError } from '../node-kit/errors.js';

/**
 * The hub's knobs, read from the environment each time a model is opened (so a test or an operator
 * can change them without a restart of anything but the model). Documented in docs/models.md.
 */
export interface HubSettings {
  /** PIPELANE_MODEL_TTL_MS: an unused model (no run holds it, no work) is unloaded after this. */
  modelTtlMs: number;
  /** PIPELANE_OCR_MAX_WORKERS: most tesseract workers per language set. */
  ocrMaxWorkers: number;
  /** PIPELANE_OCR_MIN_WORKERS: tesseract workers kept while idle (until the TTL unloads the model). */
  ocrMinWorkers: number;
  /** PIPELANE_OCR_IDLE_MS: a tesseract worker idle this long is ended, down to the minimum. */
  ocrIdleMs: number;
  /** PIPELANE_EMBED_MAX_WAIT_MS: how long an embedding request waits for others to share its batch. */
  embedMaxWaitMs: number;
  /** PIPELANE_EMBED_CONCURRENCY: batches in flight at once per remote embedding endpoint. */
  embedConcurrency: number;
}

export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const cores = Math.max(1, os.availableParallelism());
  const ocrMaxWorkers = integer(env, 'PIPELANE_OCR_MAX_WORKERS', cores, 1);
  return {
    modelTtlMs: integer(env, 'PIPELANE_MODEL_TTL_MS', 300_000, 0),
    ocrMaxWorkers,
    ocrMinWorkers: Math.min(ocrMaxWorkers, integer(env, 'PIPELANE_OCR_MIN_WORKERS', 0, 0)),
    ocrIdleMs: integer(env, 'PIPELANE_OCR_IDLE_MS', 60_000, 0),
    embedMaxWaitMs: integer(env, 'PIPELANE_EMBED_MAX_WAIT_MS', 4, 0),
    embedConcurrency: integer(env, 'PIPELANE_EMBED_CONCURRENCY', 4, 1),
  };
}

export function modelTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  return hubSettings(env).modelTtlMs;
}

/** A whole number ≥ `least` from the environment, the default when unset or empty; anything else is refused. */
function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, least: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= least) return value;
  throw new PipelaneError('MODEL_SETTING_INVALID', `Environment variable ${name} is "${text}", not a whole number of at least ${least}.`, {
    hint: `Set ${name} to a whole number ≥ ${least} (default ${fallback}), or unset it.`,
    details: { variable: name },
  });
}
