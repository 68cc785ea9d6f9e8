import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { PipelaneError } from '../node-kit/errors.js';
import { priceSchema, type Usage } from './spec.js';

/** USD per million input and output tokens. */
export type Price = z.output<typeof priceSchema>;

/**
 * List prices (standard tier, no caching or batch discounts) in USD per million tokens. Dated ids
 * (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`) match their entry.
 * Override per model with `price` in the model settings, or for many models with a JSON file
 * named by PIPELANE_PRICES.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, Price>> = {
  'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4-turbo': { inputPerMillion: 10, outputPerMillion: 30 },
  'gpt-3.5-turbo': { inputPerMillion: 0.5, outputPerMillion: 1.5 },
  o1: { inputPerMillion: 15, outputPerMillion: 60 },
  'o1-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  o3: { inputPerMillion: 2, outputPerMillion: 8 },
  'o3-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'claude-opus-4-5': { inputPerMillion: 5, outputPerMillion: 25 },
  'claude-opus-4-1': { inputPerMillion: 15, outputPerMillion: 75 },
  'claude-opus-4': { inputPerMillion: 15, outputPerMillion: 75 },
  'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-3-7-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-3-5-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
  'claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4 },
  'claude-3-haiku': { inputPerMillion: 0.25, outputPerMillion: 1.25 },
  'claude-3-opus': { inputPerMillion: 15, outputPerMillion: 75 },
};

const priceFileSchema = z.record(z.string().min(1), priceSchema);

let fileCache: { path: string; mtimeMs: number; prices: Record<string, Price> } | undefined;

/** Reads the PIPELANE_PRICES file (cached until it changes). Throws CONFIG_INVALID when it is unreadable or malformed. */
export function pricesFromFile(path: string): Record<string, Price> {
  let mtimeMs: number;
  let parsed: unknown;
  try {
    mtimeMs = statSync(path).mtimeMs;
    if (fileCache && fileCache.path === path && fileCache.mtimeMs === mtimeMs) return fileCache.prices;
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PipelaneError('CONFIG_INVALID', `The price file named by PIPELANE_PRICES (${path}) cannot be read as JSON: ${(error as Error).message}`, {
      hint: 'Point PIPELANE_PRICES at a JSON file like {"my-model": {"inputPerMillion": 1, "outputPerMillion": 2}}, or unset it.',
      cause: error,
    });
  }
  const result = priceFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PipelaneError('CONFIG_INVALID', `The price file ${path} is not {"model-id": {inputPerMillion, outputPerMillion}}: ${issue?.path.join('.')} ${issue?.message}.`, {
      hint: 'Give every model both inputPerMillion and outputPerMillion as non-negative numbers.',
    });
  }
  fileCache = { path, mtimeMs, prices: result.data };
  return result.data;
}

// What may follow a table key in a model id of the same model: a date, `-latest`, a Vertex `@…` or
// Bedrock/Ollama `:…` tag. Not a minor version: `claude-opus-4-6` is not priced as `claude-opus-4`.
const VERSION_SUFFIX = /^(?:-\d{4}-?\d{2}-?\d{2}|-latest)?(?:[@:].*)?$/;

/** The entry of `table` for `modelId`: exact, else the longest key followed only by a date or tag. */
export function lookupPrice(table: Readonly<Record<string, Price>>, modelId: string): Price | undefined {
  // OpenRouter-style ids carry the vendor: "openai/gpt-4o-mini".
  const candidates = [modelId, modelId.slice(modelId.lastIndexOf('/') + 1)];
  for (const id of candidates) {
    const exact = table[id];
    if (exact) return exact;
    let best: string | undefined;
    for (const key of Object.keys(table)) {
      if (id.startsWith(key) && VERSION_SUFFIX.test(id.slice(key.length)) && (best === undefined || key.length > best.length)) best = key;
    }
    if (best !== undefined) return table[best];
  }
  return undefined;
}

/**
 * The price of `modelId`: `override` (settings.price) first, then the PIPELANE_PRICES file, then the
 * built-in table. Undefined when unknown (its calls then cost null, never a guessed 0).
 */
export function priceFor(modelId: string, override?: Price, env: NodeJS.ProcessEnv = process.env): Price | undefined {
  if (override) return override;
  const file = env.PIPELANE_PRICES;
  if (file) {
    const fromFile = lookupPrice(pricesFromFile(file), modelId);
    if (fromFile) return fromFile;
  }
  return lookupPrice(BUILT_IN_PRICES, modelId);
}

/** USD for `usage` at `price`; null when the price is unknown. */
export function costOf(usage: Usage, price: Price | undefined): number | null {
  if (!price) return null;
  return (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000;
}
