/**
 * Short, JSON-ish previews of payloads for span records. Bytes never reach a trace (only their
 * length does), long strings and arrays are cut with a count of what was left out, circular
 * references are marked, and secret values can be masked before anything is cut.
 */

/** Arrays longer than this show only their first `ARRAY_HEAD_ITEMS` items plus a count. */
export const ARRAY_PREVIEW_LIMIT = 20;
export const ARRAY_HEAD_ITEMS = 10;
/** Objects with more keys than this show the first ones plus a count. */
export const OBJECT_KEY_LIMIT = 50;
const MAX_DEPTH = 8;
/** Values rendered before the walk stops descending; keeps huge payloads cheap to preview. */
const NODE_BUDGET = 2000;
const MIN_SECRET_LENGTH = 4;

export interface PreviewOptions {
  /** Values to mask with `***` before any cutting, so a cut never leaves half a secret. */
  secrets?: readonly string[];
}

/**
 * A JSON-ish preview of `value`, at most `maxChars` characters plus a `…(+N chars)` suffix that
 * counts what was cut. A top-level string is returned as is (not quoted); bytes become
 * `<bytes N>`; nested strings are cut at half of `maxChars`; arrays longer than 20 items show
 * their first 10 items and a `…(+N items)` marker; circular references become `<circular>`.
 */
export function previewOf(value: unknown, maxChars = 500, options: PreviewOptions = {}): string {
  const limit = Math.max(1, Math.floor(maxChars));
  const secrets = usableSecrets(options.secrets ?? []);
  const text =
    typeof value === 'string'
      ? maskSecrets(value, secrets)
      : new PreviewWriter(secrets, Math.max(16, Math.floor(limit / 2))).render(value, 0, true);
  return cutText(text, limit);
}

/** Replaces every occurrence of each secret of 4 or more characters with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return maskSecrets(text, usableSecrets(secrets));
}

function usableSecrets(secrets: readonly string[]): string[] {
  if (secrets.length === 0) return [];
  // Longest first, so a secret that contains another one is masked whole.
  return [...new Set(secrets)]
    .filter((secret) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH)
    .sort((left, right) => right.length - left.length);
}

function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (masked.includes(secret)) masked = masked.split(secret).join('***');
  }
  return masked;
}

function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  // Do not split a UTF-16 surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…(+${text.length - end} chars)`;
}

/**
 * `open`, the parts joined by commas, then `close`, as one flat string: a template literal makes a
 * rope of pieces, and a span keeps its previews for the whole run.
 */
function enclose(open: string, parts: readonly string[], close: string): string {
  return [open, parts.join(','), close].join('');
}

class PreviewWriter {
  /** The objects being rendered, outermost first: at most MAX_DEPTH, so a list beats a Set. */
  private readonly ancestors: object[] = [];
  private budget = NODE_BUDGET;

  constructor(
    private readonly secrets: readonly string[],
    private readonly stringLimit: number,
  ) {}

  render(value: unknown, depth: number, topLevel = false): string {
    this.budget -= 1;
    if (this.budget < 0) return '"<…>"';
    switch (typeof value) {
      case 'string':
        return JSON.stringify(cutText(maskSecrets(value, this.secrets), this.stringLimit));
      case 'number':
        return String(value); // NaN and Infinity stay readable (JSON would say null)
      case 'boolean':
        return String(value);
      case 'bigint':
        return `${value}n`;
      case 'undefined':
        return topLevel ? 'undefined' : 'null';
      case 'symbol':
        return JSON.stringify(value.toString());
      case 'function':
        return JSON.stringify(`<function ${value.name || 'anonymous'}>`);
      default:
        return value === null || typeof value !== 'object' ? 'null' : this.renderObject(value, depth, topLevel);
    }
  }

  private renderObject(value: object, depth: number, topLevel: boolean): string {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const marker = `<bytes ${value.byteLength}>`;
      return topLevel ? marker : JSON.stringify(marker);
    }
    if (value instanceof Date) {
      return JSON.stringify(Number.isNaN(value.getTime()) ? '<invalid date>' : value.toISOString());
    }
    if (this.ancestors.includes(value)) return '"<circular>"';
    if (depth >= MAX_DEPTH) return JSON.stringify(Array.isArray(value) ? `<array ${value.length}>` : '<object>');
    this.ancestors.push(value);
    try {
      if (Array.isArray(value)) return this.renderArray(value, depth);
      if (value instanceof Set) return this.renderArray([...value], depth);
      if (value instanceof Map) {
        return this.renderEntries([...value.entries()].map(([key, entry]) => [String(key), entry]), depth);
      }
      if (value instanceof Error) {
        const code = (value as { code?: unknown }).code;
        const fields: [string, unknown][] = [['name', value.name], ['message', value.message]];
        if (code !== undefined) fields.push(['code', code]);
        return this.renderEntries(fields, depth);
      }
      return this.renderEntries(Object.entries(value), depth);
    } finally {
      this.ancestors.pop();
    }
  }

  private renderArray(items: readonly unknown[], depth: number): string {
    const shown = items.length > ARRAY_PREVIEW_LIMIT ? items.slice(0, ARRAY_HEAD_ITEMS) : items;
    const parts = shown.map((item) => this.render(item, depth + 1));
    if (shown.length < items.length) parts.push(JSON.stringify(`…(+${items.length - shown.length} items)`));
    return enclose('[', parts, ']');
  }

  private renderEntries(entries: readonly [string, unknown][], depth: number): string {
    const present = entries.filter(([, entry]) => entry !== undefined);
    const shown = present.slice(0, OBJECT_KEY_LIMIT);
    const parts = shown.map(
      ([key, entry]) => `${JSON.stringify(maskSecrets(key, this.secrets))}:${this.render(entry, depth + 1)}`,
    );
    if (shown.length < present.length) parts.push(`"…":${JSON.stringify(`+${present.length - shown.length} keys`)}`);
    return enclose('{', parts, '}');
  }
}
