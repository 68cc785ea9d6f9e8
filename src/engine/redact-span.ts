import { redactSecrets, type SpanRecord } from '../trace/index.js';

/** Attributes that hold whole payloads (a model's request and response): previews in all but name. */
const PAYLOAD_ATTRIBUTES = ['llm.request', 'llm.response'];
const CUT_MARKER = /…\(\+\d+ chars\)$/;
const MIN_SECRET_PREFIX = 4;

/**
 * The one place a span is made safe before anyone stores it: every secret of the run masked in
 * previews, the error and every string inside attributes (however deep), and payloads dropped
 * when the run keeps no previews. Spans come from the engine, providers, agents and tools alike;
 * none of them has to get this right on its own.
 */
export function redactSpan(span: SpanRecord, secrets: readonly string[], previews: boolean): SpanRecord {
  if (previews && secrets.length === 0) return span; // nothing to mask or drop: no copy per span
  const redacted: SpanRecord = { ...span };
  if (!previews) {
    delete redacted.inputPreview;
    delete redacted.outputPreview;
  }
  if (redacted.inputPreview !== undefined) redacted.inputPreview = redactPreview(redacted.inputPreview, secrets);
  if (redacted.outputPreview !== undefined) redacted.outputPreview = redactPreview(redacted.outputPreview, secrets);
  if (redacted.error) {
    redacted.error = {
      ...redacted.error,
      message: redactSecrets(redacted.error.message, secrets),
      ...(redacted.error.hint !== undefined ? { hint: redactSecrets(redacted.error.hint, secrets) } : {}),
    };
  }
  if (redacted.attributes) {
    const attributes = previews ? redacted.attributes : omit(redacted.attributes, PAYLOAD_ATTRIBUTES);
    redacted.attributes = redactDeep(attributes, secrets) as Record<string, unknown>;
  }
  return redacted;
}

/** A preview cut after the start of a secret would keep that start: mask a trailing secret prefix too. */
function redactPreview(preview: string, secrets: readonly string[]): string {
  const masked = redactSecrets(preview, secrets);
  const marker = CUT_MARKER.exec(masked);
  if (!marker) return masked;
  const body = masked.slice(0, marker.index);
  for (const secret of secrets) {
    for (let length = Math.min(secret.length - 1, body.length); length >= MIN_SECRET_PREFIX; length--) {
      if (body.endsWith(secret.slice(0, length))) return body.slice(0, body.length - length) + '***' + marker[0];
    }
  }
  return masked;
}

function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((entry) => redactDeep(entry, secrets));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [redactSecrets(key, secrets), redactDeep(entry, secrets)]));
  }
  return value;
}

function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}
