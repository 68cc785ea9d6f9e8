import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { currentRun } from '../engine/run-context.js';
import { PipelaneError } from '../node-kit/errors.js';
import { AnthropicMessagesModel } from './anthropic/messages-model.js';
import { missingApiKeyError, providerMismatchError, type ProviderErrorContext } from './errors.js';
import { OpenAIChatModel } from './openai/chat-model.js';
import { priceFor } from './prices.js';
import { anthropicSdk, openaiSdk } from './sdks.js';
import { modelSettingsSchema, type LanguageModel, type LlmBinding, type ModelSettings, type ModelSettingsInput } from './spec.js';
import { createTracedFetch } from './traced-fetch.js';

export interface LlmBindingOptions {
  /** Where API keys and PIPELANE_PRICES are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_BASE_URLS = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' } as const;

export function parseModelSettings(settings: ModelSettingsInput): ModelSettings {
  const result = modelSettingsSchema.safeParse(settings);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.length ? `/${issue.path.join('/')}` : '';
    throw new PipelaneError('CONFIG_INVALID', `Model settings are invalid at ${path || 'the root'}: ${issue?.message ?? 'unknown problem'}.`, {
      hint: 'Give {provider, model} and optionally baseUrl, apiKeyEnv, timeoutMs, maxRetries, price.',
      path,
    });
  }
  if (result.data.provider === 'openai-compatible' && !result.data.baseUrl) {
    throw new PipelaneError('CONFIG_INVALID', `Model "${result.data.model}" uses provider openai-compatible but names no baseUrl.`, {
      hint: 'Set baseUrl to the server\'s OpenAI-compatible API, e.g. http://localhost:11434/v1 for Ollama.',
      path: '/baseUrl',
    });
  }
  return result.data;
}

/**
 * The key's variable: apiKeyEnv, else the provider's usual one. An openai-compatible server gets a
 * key only when apiKeyEnv names one, so a local server never receives the OpenAI key by accident.
 */
export function apiKeyVariable(settings: ModelSettings): string | undefined {
  if (settings.apiKeyEnv) return settings.apiKeyEnv;
  if (settings.provider === 'anthropic') return 'ANTHROPIC_API_KEY';
  if (settings.provider === 'openai') return 'OPENAI_API_KEY';
  return undefined;
}

/** The Anthropic SDK appends /v1/messages itself, so a base URL written with /v1 is taken without it. */
function anthropicBaseUrl(baseUrl: string | undefined): string {
  return baseUrl ? baseUrl.replace(/\/v1\/?$/, '').replace(/\/$/, '') : DEFAULT_BASE_URLS.anthropic;
}

/**
 * What an `llm` binding gives a node or an agent: the traced model and SDK clients configured the
 * same way (key, base URL, timeout, retries, traced fetch). Throws MISSING_API_KEY when the key's
 * variable is unset (except for openai-compatible servers without apiKeyEnv) and CONFIG_INVALID for
 * bad settings or a bad PIPELANE_PRICES file.
 */
export function createLlmBinding(input: ModelSettingsInput, options: LlmBindingOptions = {}): LlmBinding {
  const env = options.env ?? process.env;
  const settings = parseModelSettings(input);
  const variable = apiKeyVariable(settings);
  const key = variable ? env[variable] || undefined : undefined;
  if (variable && !key) throw missingApiKeyError(settings.provider, variable, settings.model);
  // Fail on a broken price file now, before any call is made.
  priceFor(settings.model, settings.price, env);
  // The run masks the key in every span it records, whoever wrote it.
  if (key) currentRun()?.addSecret(key);

  const secrets = key ? [key] : [];
  const fetch = createTracedFetch({ provider: settings.provider, modelId: settings.model, price: settings.price, env, secrets, timeoutMs: settings.timeoutMs });
  const errorContext: ProviderErrorContext = {
    provider: settings.provider,
    modelId: settings.model,
    apiKeyEnv: variable,
    secrets,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
  };
  const common = { timeout: settings.timeoutMs, maxRetries: settings.maxRetries, fetch };

  let openai: OpenAI | undefined;
  let anthropic: Anthropic | undefined;
  const openaiClient = (): OpenAI => {
    if (settings.provider === 'anthropic') throw providerMismatchError('openai', settings.provider, settings.model);
    openai ??= new (openaiSdk().default)({
      ...common,
      baseURL: settings.baseUrl ?? DEFAULT_BASE_URLS.openai,
      // The SDK insists on a key; a keyless server gets no Authorization header at all.
      apiKey: key ?? 'unused',
      // The SDK would add OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment; they belong to OpenAI only.
      ...(settings.provider === 'openai' ? {} : { organization: null, project: null }),
      ...(key ? {} : { defaultHeaders: { Authorization: null } }),
    });
    return openai;
  };
  const anthropicClient = (): Anthropic => {
    if (settings.provider !== 'anthropic') throw providerMismatchError('anthropic', settings.provider, settings.model);
    anthropic ??= new (anthropicSdk().default)({ ...common, baseURL: anthropicBaseUrl(settings.baseUrl), apiKey: key ?? null });
    return anthropic;
  };

  const model: LanguageModel =
    settings.provider === 'anthropic'
      ? new AnthropicMessagesModel(settings.model, anthropicClient(), errorContext)
      : new OpenAIChatModel(settings.provider, settings.model, openaiClient(), errorContext);
  return { settings, model, openaiClient, anthropicClient };
}

/** The traced model alone. */
export function createLanguageModel(settings: ModelSettingsInput, options: LlmBindingOptions = {}): LanguageModel {
  return createLlmBinding(settings, options).model;
}
