/**
 * The meta a derived item inherits from the item it came from: provenance and other scalar facts
 * (source, page, offset, confidence). Structured per-page detail such as OCR word boxes stays on
 * the item that produced it: copied into every chunk it would multiply payloads, and after PII
 * redaction it would carry the raw values past the redactor.
 */
export function carriedMeta<M extends Record<string, unknown>>(meta: M): Partial<M> {
  const carried: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) carried[key] = value;
  }
  return carried as Partial<M>;
}
