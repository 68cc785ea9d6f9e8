import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type * as OpenAISdk from 'openai';
import { PipelaneError, isAbortError, isPipelaneError } from '../node-kit/errors.js';
import { redactSecrets } from '../trace/index.js';
import { loadedSdks } from './sdks.js';
import type { ProviderId } from './spec.js';

/**
 * Turns what the OpenAI and Anthropic SDKs throw into PipelaneErrors with stable codes. Messages
 * name the model and the key's environment variable, never the key (every text is redacted with it).
 * A cancelled call is not an LLM failure: the abort reason is re-thrown as it is.
 */

export interface ProviderErrorContext {
  provider: ProviderId;
  modelId: string;
  /** Name of the environment variable holding the key (undefined: no key in use). */
  apiKeyEnv: string | undefined;
  /** Values to scrub from every message (the key). */
  secrets: readonly string[];
  baseUrl: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

type SdkApiError = OpenAISdk.APIError | AnthropicSdk.APIError;

type SdkErrorClass = 'APIError' | 'APIUserAbortError' | 'APIConnectionTimeoutError' | 'APIConnectionError';

/** Whether `error` is an instance of that error class of either SDK (only a loaded SDK can have thrown it). */
function isSdkErrorOf(error: unknown, name: SdkErrorClass): boolean {
  const { openai, anthropic } = loadedSdks();
  return (openai !== undefined && error instanceof openai[name]) || (anthropic !== undefined && error instanceof anthropic[name]);
}

function isSdkError(error: unknown): error is SdkApiError {
  return isSdkErrorOf(error, 'APIError');
}

function isUserAbort(error: unknown): boolean {
  return isSdkErrorOf(error, 'APIUserAbortError') || isAbortError(error);
}

function isTimeout(error: unknown): boolean {
  return isSdkErrorOf(error, 'APIConnectionTimeoutError');
}

function isConnectionError(error: unknown): boolean {
  return isSdkErrorOf(error, 'APIConnectionError');
}

/** The provider's own message, without the SDK's "401 " status prefix and JSON wrapping where it can be read. */
function providerMessage(error: SdkApiError): string {
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = typeof body?.error?.message === 'string' ? body.error.message : typeof body?.message === 'string' ? body.message : error.message;
  return message.replace(/\s+/g, ' ').trim().slice(0, 500);
}

function where(context: ProviderErrorContext): string {
  return context.baseUrl ? `${context.provider} at ${context.baseUrl}` : context.provider;
}

function keyName(context: ProviderErrorContext): string {
  return context.apiKeyEnv ?? (context.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
}

/** Throws the reason of the first aborted signal: an SDK may end a stream quietly when aborted. */
export function throwIfAborted(signals: ReadonlyArray<AbortSignal | undefined>): void {
  const aborted = signals.find((signal) => signal?.aborted);
  if (aborted) throw aborted.reason;
}

/**
 * What to throw for `error` raised by a call to `context.modelId`. When `signal` (the call's or the
 * run's) is aborted, its reason is returned so cancellation propagates as cancellation.
 */
export function toProviderError(error: unknown, context: ProviderErrorContext, signals: ReadonlyArray<AbortSignal | undefined> = []): unknown {
  const aborted = signals.find((signal) => signal?.aborted);
  if (aborted) return aborted.reason ?? error;
  if (isPipelaneError(error)) return error;
  const scrub = (text: string) => redactSecrets(text, context.secrets);
  const model = `"${context.modelId}" (${where(context)})`;
  const details = { provider: context.provider, model: context.modelId };

  if (isTimeout(error)) {
    return new PipelaneError('LLM_TIMEOUT', scrub(`The call to model ${model} got no answer within ${context.timeoutMs} ms (after ${context.maxRetries} retries).`), {
      hint: 'Raise timeoutMs in the model settings, ask for fewer output tokens, or check that the server is up.',
      retryable: true,
      details,
    });
  }
  if (isUserAbort(error)) return error;
  if (isConnectionError(error)) {
    const cause = (error as Error).cause instanceof Error ? `: ${((error as Error).cause as Error).message}` : '';
    return new PipelaneError('LLM_UNAVAILABLE', scrub(`Model ${model} could not be reached${cause}.`), {
      hint: context.baseUrl ? `Check that a server answers at ${context.baseUrl}.` : 'Check the network connection and try again.',
      retryable: true,
      details,
    });
  }
  if (isSdkError(error) && typeof error.status === 'number') {
    const status = error.status;
    const message = scrub(providerMessage(error));
    const statusDetails = { ...details, status };
    if (status === 401 || status === 403) {
      return new PipelaneError('LLM_AUTH_FAILED', scrub(`${context.provider} refused the API key for model ${model} (${status}): ${message}`), {
        hint: `Check the key in the environment variable ${keyName(context)} (and that it may use this model).`,
        details: statusDetails,
      });
    }
    if (status === 429) {
      return new PipelaneError('LLM_RATE_LIMITED', scrub(`Model ${model} is rate limited (429) after ${context.maxRetries} retries: ${message}`), {
        hint: 'Wait and run again, raise maxRetries in the model settings, or run fewer calls at once.',
        retryable: true,
        details: statusDetails,
      });
    }
    if (status >= 500 || status === 408 || status === 409) {
      return new PipelaneError('LLM_UNAVAILABLE', scrub(`Model ${model} answered ${status} after ${context.maxRetries} retries: ${message}`), {
        hint: 'The provider is having trouble; try again later or use another model.',
        retryable: true,
        details: statusDetails,
      });
    }
    return new PipelaneError('LLM_BAD_REQUEST', scrub(`Model ${model} refused the request (${status}): ${message}`), {
      hint: status === 404 ? 'Check the model id and the baseUrl.' : 'Check the model id, maxTokens, temperature and the tool schemas the request carries.',
      details: statusDetails,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PipelaneError('LLM_BAD_RESPONSE', scrub(`The call to model ${model} failed: ${message}`), {
    hint: 'The server answered something the client could not read; check that baseUrl points at an OpenAI- or Anthropic-compatible API.',
    cause: error,
    details,
  });
}

/** MISSING_API_KEY for a provider that needs a key when the variable is unset. */
export function missingApiKeyError(provider: ProviderId, variable: string, modelId: string): PipelaneError {
  return new PipelaneError('MISSING_API_KEY', `Model "${modelId}" (${provider}) needs an API key in the environment variable ${variable}, which is not set.`, {
    hint: `Set ${variable}, or name another variable with apiKeyEnv in the model settings.`,
  });
}

/** An answer that does not fit the wire format (unparseable tool arguments, no choices). */
export function badResponseError(modelId: string, provider: ProviderId, what: string): PipelaneError {
  return new PipelaneError('LLM_BAD_RESPONSE', `Model "${modelId}" (${provider}) sent an unreadable answer: ${what}.`, {
    hint: 'Try again, or use a model with reliable tool calling.',
    retryable: true,
  });
}

export function providerMismatchError(wanted: 'openai' | 'anthropic', provider: ProviderId, modelId: string): PipelaneError {
  return new PipelaneError('FRAMEWORK_PROVIDER_MISMATCH', `This needs an ${wanted === 'openai' ? 'OpenAI-API' : 'Anthropic'} client, but model "${modelId}" is served by ${provider}.`, {
    hint: wanted === 'openai' ? 'Bind a model with provider openai or openai-compatible, or use a framework that works with any provider (native, langgraph).' : 'Bind a model with provider anthropic, or use a framework that works with any provider (native, langgraph).',
  });
}
