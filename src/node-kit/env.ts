import { PipelaneError } from './errors.js';

const placeholder = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** True when a string holds a `${ENV}` placeholder (its real value is only known at run time). */
export function hasPlaceholder(text: string): boolean {
  placeholder.lastIndex = 0;
  return placeholder.test(text);
}

/** Names of the `${ENV}` placeholders used anywhere in a config value. */
export function placeholderNames(value: unknown): string[] {
  const names = new Set<string>();
  visitStrings(value, (text) => {
    for (const match of text.matchAll(placeholder)) names.add(match[1]!);
  });
  return [...names];
}

/**
 * Replaces `${NAME}` in every string of a config with the environment value. Runs at run time
 * only; the resolved values are returned so traces can redact them.
 */
export function resolvePlaceholders(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: string,
): { value: unknown; secrets: string[] } {
  const secrets: string[] = [];
  const resolved = mapStrings(value, path, (text, where) =>
    text.replace(placeholder, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new PipelaneError('MISSING_ENV_VARIABLE', `Environment variable ${name} (used at ${where}) is not set.`, {
          hint: `Set ${name} in the environment of the process that runs the pipeline.`,
          path: where,
        });
      }
      secrets.push(found);
      return found;
    }),
  );
  return { value: resolved, secrets };
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((entry) => visitStrings(entry, visit));
  else if (value && typeof value === 'object') Object.values(value).forEach((entry) => visitStrings(entry, visit));
}

/** Maps every string of a JSON-like value, telling `map` the JSON Pointer of each. */
function mapStrings(value: unknown, path: string, map: (text: string, path: string) => string): unknown {
  const child = (key: string | number) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (typeof value === 'string') return map(value, path);
  if (Array.isArray(value)) return value.map((entry, index) => mapStrings(entry, child(index), map));
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, mapStrings(entry, child(key), map)]));
  }
  return value;
}
