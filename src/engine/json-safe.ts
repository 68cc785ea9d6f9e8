/**
 * Makes lane items JSON-safe and readable for results: bytes become `{"$bytes": length}` and
 * embedding vectors `{"$embedding": dimensions}` (hundreds of floats per chunk help no reader; the
 * vectors stay in the store).
 */
export function toJsonSafe(value: unknown, key?: string): unknown {
  if (value instanceof Uint8Array) return { $bytes: value.byteLength };
  if (key === 'embedding' && Array.isArray(value) && value.every((entry) => typeof entry === 'number')) return { $embedding: value.length };
  if (Array.isArray(value)) return value.map((entry) => toJsonSafe(entry));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, toJsonSafe(entry, name)]));
  }
  return value;
}
