export * from './spec.js';
export { createLlmBinding, createLanguageModel, parseModelSettings, apiKeyVariable, type LlmBindingOptions } from './binding.js';
export { BUILT_IN_PRICES, costOf, lookupPrice, priceFor, pricesFromFile, type Price } from './prices.js';
export { toProviderError, missingApiKeyError, providerMismatchError, badResponseError, type ProviderErrorContext } from './errors.js';
export { createTracedFetch, type TracedFetchOptions } from './traced-fetch.js';
export { normalizeOpenAIRequest, normalizeOpenAIResponse, toOpenAIMessages, toOpenAITools, toOpenAIRequest } from './openai/wire.js';
export { normalizeAnthropicRequest, normalizeAnthropicResponse, toAnthropicMessages, toAnthropicTools, toAnthropicRequest } from './anthropic/wire.js';
export { argumentsForTrace, parseArguments, type NormalizedRequest, type NormalizedResponse, type ObservedAnswer } from './wire-common.js';

import { normalizeAnthropicRequest, normalizeAnthropicResponse } from './anthropic/wire.js';
import { normalizeOpenAIRequest, normalizeOpenAIResponse } from './openai/wire.js';
import type { ProviderId } from './spec.js';
import type { NormalizedRequest, ObservedAnswer } from './wire-common.js';

/** A provider's wire request body in our shape. */
export function normalizeRequest(provider: ProviderId, body: unknown): NormalizedRequest {
  return provider === 'anthropic' ? normalizeAnthropicRequest(body) : normalizeOpenAIRequest(body);
}

/** A provider's (non-streaming) wire response body in our shape. */
export function normalizeResponse(provider: ProviderId, body: unknown): ObservedAnswer {
  return provider === 'anthropic' ? normalizeAnthropicResponse(body) : normalizeOpenAIResponse(body);
}
