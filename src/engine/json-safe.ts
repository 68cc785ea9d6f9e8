/** Makes lane items JSON-safe for results: bytes become `{"$bytes": length, "mime"?}`. */
export function toJsonSafe(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: value.byteLength };
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toJsonSafe(entry)]));
  }
  return value;
}
