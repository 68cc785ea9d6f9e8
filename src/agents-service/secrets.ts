import { apiKeyVariable, parseModelSettings, type ModelSettingsInput } from '../providers/index.js';
import { redactSecrets } from '../trace/index.js';

/**
 * The API key values the given model settings would use. Results that leave a service are masked
 * with them, so a model or a server echoing a key never hands it to the caller.
 */
export function apiKeysOf(settings: readonly (ModelSettingsInput | undefined)[], env: NodeJS.ProcessEnv): string[] {
  const keys = new Set<string>();
  for (const entry of settings) {
    if (!entry) continue;
    let variable: string | undefined;
    try {
      variable = apiKeyVariable(parseModelSettings(entry));
    } catch {
      // Invalid settings never reach a server; nothing to mask.
      continue;
    }
    const value = variable ? env[variable] : undefined;
    if (value) keys.add(value);
  }
  return [...keys];
}

/** A copy of `value` with every string masked. */
export function redactResult<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const visit = (entry: unknown): unknown => {
    if (typeof entry === 'string') return redactSecrets(entry, secrets);
    if (Array.isArray(entry)) return entry.map(visit);
    if (entry && typeof entry === 'object') return Object.fromEntries(Object.entries(entry).map(([key, item]) => [key, visit(item)]));
    return entry;
  };
  return visit(value) as T;
}
