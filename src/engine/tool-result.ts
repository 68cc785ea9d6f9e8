import { toJsonSafe } from './json-safe.js';

/** About what a model reads comfortably in one tool result. */
export const TOOL_RESULT_MAX_CHARS = 8_000;
const STRING_LIMITS = [2_000, 500, 120, 40];

/**
 * A tool result as JSON text of at most about `maxChars`: bytes and embeddings abbreviated, then
 * long strings cut, then trailing list entries dropped, with a `note` saying what was left out.
 */
export function toolResultJson(value: Record<string, unknown>, maxChars = TOOL_RESULT_MAX_CHARS): string {
  const safe = toJsonSafe(value) as Record<string, unknown>;
  const full = JSON.stringify(safe);
  if (full.length <= maxChars) return full;
  const note = `Result cut to about ${maxChars} characters (it had ${full.length})`;
  for (const limit of STRING_LIMITS) {
    const text = JSON.stringify({ ...(cutStrings(safe, limit) as Record<string, unknown>), note: `${note}: strings longer than ${limit} characters were shortened.` });
    if (text.length <= maxChars) return text;
  }
  let cut = cutStrings(safe, STRING_LIMITS.at(-1)!) as Record<string, unknown>;
  for (let dropped = 0; ; ) {
    const text = JSON.stringify({ ...cut, note: `${note}: strings shortened and ${dropped} list entries left out.` });
    if (text.length <= maxChars) return text;
    // Drop in proportion to the excess, so a list of thousands takes a few rounds, not thousands.
    const next = dropFromLongest(cut, (count) => Math.max(1, Math.ceil(count * (1 - maxChars / text.length))));
    if (!next) return text;
    cut = next.value;
    dropped += next.dropped;
  }
}

function cutStrings(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return value.length > limit ? `${value.slice(0, limit)}…(+${value.length - limit} chars)` : value;
  if (Array.isArray(value)) return value.map((entry) => cutStrings(entry, limit));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, cutStrings(entry, limit)]));
  return value;
}

/** A copy without the last entries of the longest array found anywhere, or undefined when none is left. */
function dropFromLongest(value: Record<string, unknown>, howMany: (count: number) => number): { value: Record<string, unknown>; dropped: number } | undefined {
  let longest: unknown[] | undefined;
  const find = (node: unknown): void => {
    if (Array.isArray(node)) {
      if (node.length > 0 && (!longest || node.length > longest.length)) longest = node;
      node.forEach(find);
    } else if (node && typeof node === 'object') Object.values(node).forEach(find);
  };
  find(value);
  if (!longest) return undefined;
  const target = longest;
  const dropped = Math.min(target.length, howMany(target.length));
  const copy = (node: unknown): unknown => {
    if (node === target) return target.slice(0, target.length - dropped).map(copy);
    if (Array.isArray(node)) return node.map(copy);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, entry]) => [key, copy(entry)]));
    return node;
  };
  return { value: copy(value) as Record<string, unknown>, dropped };
}
