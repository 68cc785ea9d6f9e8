import { PipelaneError } from '../node-kit/index.js';

const placeholder = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

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
  const resolved = mapStrings(value, (text) =>
    text.replace(placeholder, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new PipelaneError('MISSING_ENV_VARIABLE', `Environment variable ${name} is not set.`, {
          hint: `Set ${name} in the environment of the process that runs the pipeline.`,
          path,
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

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((entry) => mapStrings(entry, map));
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, mapStrings(entry, map)]));
  }
  return value;
}
