import { PipelaneError } from '../node-kit/index.js';
import { renderPrompt } from '../prompts/index.js';
import { createLlmBinding, PROVIDER_IDS, type ModelSettingsInput, type ProviderId } from '../providers/index.js';
import type { TracedRun } from './traced-run.js';

export const JUDGE_MODEL_ENV = 'PIPELANE_JUDGE_MODEL';
const JUDGE_BASE_URL_ENV = 'PIPELANE_JUDGE_BASE_URL';
const JUDGE_API_KEY_ENV = 'PIPELANE_JUDGE_API_KEY_ENV';

export interface JudgeVerdict {
  score: number | null;
  reason: string;
}

/**
 * The judge's settings: given ones, else PIPELANE_JUDGE_MODEL="provider:model" (the first colon
 * splits, so "openai-compatible:llama3.2:3b" works) with PIPELANE_JUDGE_BASE_URL and
 * PIPELANE_JUDGE_API_KEY_ENV, else none (no judging).
 */
export function judgeSettings(given: ModelSettingsInput | undefined, env: NodeJS.ProcessEnv): ModelSettingsInput | undefined {
  if (given) return given;
  const value = env[JUDGE_MODEL_ENV]?.trim();
  if (!value) return undefined;
  const colon = value.indexOf(':');
  const provider = value.slice(0, colon);
  const model = value.slice(colon + 1);
  if (colon < 1 || model === '' || !(PROVIDER_IDS as readonly string[]).includes(provider)) {
    throw new PipelaneError('JUDGE_MODEL_INVALID', `${JUDGE_MODEL_ENV} is "${value}", not "provider:model" with a provider among ${PROVIDER_IDS.join(', ')}.`, {
      hint: `Set ${JUDGE_MODEL_ENV} like "openai:gpt-4o-mini" or "anthropic:claude-haiku-4-5", or pass judge: {provider, model}.`,
    });
  }
  return {
    provider: provider as ProviderId,
    model,
    ...(env[JUDGE_BASE_URL_ENV] ? { baseUrl: env[JUDGE_BASE_URL_ENV] } : {}),
    ...(env[JUDGE_API_KEY_ENV] ? { apiKeyEnv: env[JUDGE_API_KEY_ENV] } : {}),
  };
}

/** Scores one answer with prompts/judge.md inside the judge run (one `node` span parenting its llm span). */
export async function judgeAnswer(run: TracedRun, settings: ModelSettingsInput, entry: { label: string; question: string; answer: string }, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<JudgeVerdict> {
  return run.step(
    { nodeId: entry.label, nodeType: 'judge', input: entry.answer, attributes: { 'judge.model': `${settings.provider ?? 'openai'}:${settings.model}` } },
    async () => {
      const binding = createLlmBinding(settings, { env });
      const prompt = renderPrompt('judge', { question: entry.question, answer: entry.answer });
      const result = await binding.model.doGenerate({ messages: [{ role: 'user', content: prompt }], temperature: 0, maxTokens: 300, signal });
      return parseJudgeReply(result.text);
    },
    (verdict) => verdict,
  );
}

/**
 * The judge's reply as {score, reason}. Models wrap JSON in fences or prose, so the first balanced
 * object holding a `score` is taken; a score outside 0-10 or no such object gives score null and a
 * reason quoting the start of the reply.
 */
export function parseJudgeReply(text: string): JudgeVerdict {
  for (const candidate of jsonObjectsIn(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      continue;
    }
    if (!parsed || typeof parsed !== 'object' || !('score' in parsed)) continue;
    const { score, reason } = parsed as { score: unknown; reason?: unknown };
    const value = typeof score === 'string' && score.trim() !== '' ? Number(score) : score;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10) {
      return { score: null, reason: `The judge gave score ${JSON.stringify(score)}, not a number from 0 to 10.` };
    }
    return { score: value, reason: typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : '(no reason given)' };
  }
  const shown = text.trim().slice(0, 120);
  return { score: null, reason: `The judge reply has no JSON {"score", "reason"}: ${shown === '' ? '(empty reply)' : JSON.stringify(shown)}.` };
}

/** Balanced `{…}` substrings in order of their start (strings and escapes respected). */
function* jsonObjectsIn(text: string): Generator<string> {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let index = start; index < text.length; index++) {
      const char = text[index];
      if (inString) {
        if (char === '\\') index++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{') depth++;
      else if (char === '}' && --depth === 0) {
        yield text.slice(start, index + 1);
        break;
      }
    }
  }
}
