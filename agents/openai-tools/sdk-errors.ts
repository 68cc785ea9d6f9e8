import { isPipelaneError } from '../../src/node-kit/index.js';
import { apiKeyVariable, toProviderError, type LlmBinding } from '../../src/providers/index.js';

/**
 * What the SDK's runner threw, as our error: the runner wraps a tool function's throw in an
 * OpenAIError (the original in `cause`), so AGENT_MAX_STEPS is unwrapped; an API error becomes
 * the LLM_* code the traced model would have thrown, scrubbed of the client's key.
 */
export function fromSdkError(error: unknown, llm: LlmBinding, client: { apiKey: string | null }, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (isPipelaneError(error)) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (isPipelaneError(cause)) return cause;
  const { settings } = llm;
  const apiKeyEnv = apiKeyVariable(settings);
  // A keyless openai-compatible client holds a placeholder, not a key.
  const secrets = apiKeyEnv && client.apiKey ? [client.apiKey] : [];
  return toProviderError(error, {
    provider: settings.provider,
    modelId: settings.model,
    apiKeyEnv,
    secrets,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
  });
}
