/** A metadata value Chroma stores as is. */
export type ScalarValue = string | number | boolean;

export interface ScalarMetadata {
  metadata: Record<string, ScalarValue>;
  /** Keys left out because their value was not a scalar (arrays, null, nested too deep). */
  skipped: string[];
}

const maxDepth = 3;

/**
 * Chroma only stores scalar metadata: nested objects are flattened to dotted keys
 * (`{ bbox: { x0: 1 } }` → `{ "bbox.x0": 1 }`), arrays, nulls and non-finite numbers are skipped.
 */
export function toScalarMetadata(metadata: Record<string, unknown>): ScalarMetadata {
  const result: ScalarMetadata = { metadata: {}, skipped: [] };
  flatten(metadata, '', 0, result);
  return result;
}

function flatten(value: Record<string, unknown>, prefix: string, depth: number, result: ScalarMetadata): void {
  for (const [key, entry] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (entry === undefined) continue;
    if (typeof entry === 'string' || typeof entry === 'boolean' || (typeof entry === 'number' && Number.isFinite(entry))) {
      result.metadata[name] = entry;
    } else if (isPlainObject(entry) && depth + 1 < maxDepth) {
      flatten(entry, name, depth + 1, result);
    } else {
      result.skipped.push(name);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
