import type OpenAI from 'openai';
import { PipelaneError, abortableDelay, isPipelaneError } from '../../../src/node-kit/index.js';
import { openaiSdk } from '../../../src/providers/sdks.js';

export interface OpenAIEmbeddingsSettings {
  baseURL: string;
  model: string;
  dimensions?: number | undefined;
  /** The variable the key came from, for messages; the key itself is never put in one. */
  apiKeyEnv: string;
  maxRetries: number;
  timeoutMs: number;
  encodingFormat: 'base64' | 'float';
}

export interface EmbeddingsCallResult {
  vectors: number[][];
  inputTokens: number;
  /** The model the server says answered. */
  model: string;
  /** HTTP requests made, retries included. */
  requests: number;
}

/** Longest wait honoured from a `retry-after` header, and the backoff bounds without one. */
const maxRetryDelayMs = 60_000;
const baseRetryDelayMs = 500;
const maxBackoffMs = 8_000;

/**
 * One OpenAI (or OpenAI-compatible) embeddings endpoint. Keeps SDK types inside this file and the
 * key in a private field (never in messages, details, causes or logs). Retries 408/409/429/5xx and
 * connection failures itself, honouring `retry-after-ms` / `retry-after`, so the number of requests
 * is known per call and a cancel interrupts the wait.
 */
export class OpenAIEmbeddings {
  readonly #client: OpenAI;
  readonly #key: string;
  readonly #settings: OpenAIEmbeddingsSettings;
  /** The endpoint as shown in messages: no credentials or query string. */
  readonly endpoint: string;

  constructor(apiKey: string, settings: OpenAIEmbeddingsSettings) {
    this.#key = apiKey;
    this.#settings = settings;
    this.endpoint = displayUrl(settings.baseURL);
    this.#client = new (openaiSdk().default)({ apiKey, baseURL: settings.baseURL, maxRetries: 0, timeout: settings.timeoutMs, logLevel: 'off' });
  }

  async embed(texts: string[], signal: AbortSignal): Promise<EmbeddingsCallResult> {
    const { model, dimensions, encodingFormat, maxRetries } = this.#settings;
    const body = { model, input: texts, encoding_format: encodingFormat, ...(dimensions === undefined ? {} : { dimensions }) };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.#client.embeddings.create(body, { signal });
        return { ...this.#read(response, texts.length), requests: attempt + 1 };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (isPipelaneError(error)) throw error;
        if (!isRetryable(error) || attempt >= maxRetries) throw this.#typed(error, attempt + 1);
        await abortableDelay(retryDelayMs(error, attempt), signal);
      }
    }
  }

  #read(response: OpenAI.CreateEmbeddingResponse, count: number): Omit<EmbeddingsCallResult, 'requests'> {
    const data = Array.isArray(response?.data) ? [...response.data].sort((a, b) => a.index - b.index) : [];
    if (data.length !== count) {
      throw new PipelaneError('EMBED_RESPONSE_INVALID', `${this.endpoint} returned ${data.length} embeddings for ${count} inputs.`, {
        hint: 'Check that baseURL points at an OpenAI-compatible /embeddings endpoint and model is an embedding model.',
        path: '/config/baseURL',
        retryable: true,
      });
    }
    const vectors = data.map((entry) => decodeEmbedding(entry.embedding as unknown));
    if (vectors.some((vector) => vector === undefined)) {
      throw new PipelaneError('EMBED_RESPONSE_INVALID', `${this.endpoint} returned an embedding that is neither a list of numbers nor base64 float32.`, {
        hint: 'Set encodingFormat: float for servers that do not support base64.',
        path: '/config/encodingFormat',
        retryable: true,
      });
    }
    return { vectors: vectors as number[][], inputTokens: response.usage?.prompt_tokens ?? 0, model: response.model || this.#settings.model };
  }

  /** The SDK's error as one of ours; every server-supplied text is scrubbed of the key. */
  #typed(error: unknown, requests: number): PipelaneError {
    const { apiKeyEnv, model } = this.#settings;
    const status = error instanceof openaiSdk().APIError ? error.status : undefined;
    const reason = this.#scrub(error instanceof Error ? error.message : String(error));
    const details = {
      endpoint: this.endpoint,
      model,
      requests,
      ...(status === undefined ? {} : { status }),
      ...(error instanceof openaiSdk().APIError && error.requestID ? { requestId: error.requestID } : {}),
    };
    if (status === 401) {
      return new PipelaneError('EMBED_AUTH_FAILED', `${this.endpoint} refused the API key from environment variable ${apiKeyEnv} (401: ${reason}).`, {
        hint: `Set ${apiKeyEnv} to a valid key for ${this.endpoint}, or set apiKeyEnv to the variable that holds it.`,
        path: '/config/apiKeyEnv',
        details,
      });
    }
    if (isRetryable(error)) {
      const what = status === undefined ? 'could not be reached' : `answered ${status}`;
      return new PipelaneError('EMBED_UNAVAILABLE', `${this.endpoint} ${what} after ${requests} request${requests === 1 ? '' : 's'} (${reason}).`, {
        hint: 'The service is overloaded, rate-limited or down: retry later, lower batchSize or concurrency, or raise maxRetries.',
        path: '/config/baseURL',
        retryable: true,
        details,
      });
    }
    return new PipelaneError('EMBED_REQUEST_FAILED', `${this.endpoint} rejected the embeddings request for model "${model}" (${status ?? 'no status'}: ${reason}).`, {
      hint: 'Check model, dimensions (only some models accept it) and batchSize against what the service supports.',
      path: '/config/model',
      details,
    });
  }

  #scrub(text: string): string {
    return this.#key === '' ? text : text.split(this.#key).join('***');
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof openaiSdk().APIUserAbortError) return false;
  if (error instanceof openaiSdk().APIConnectionError) return true; // also timeouts
  if (!(error instanceof openaiSdk().APIError) || error.status === undefined) return false;
  return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
}

/** `retry-after-ms`, else `retry-after` (seconds or an HTTP date), else exponential backoff with jitter. */
export function retryDelayMs(error: unknown, attempt: number, now = Date.now()): number {
  const headers = error instanceof openaiSdk().APIError ? error.headers : undefined;
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.min(milliseconds, maxRetryDelayMs);
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number.parseFloat(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, maxRetryDelayMs);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.min(Math.max(0, date - now), maxRetryDelayMs);
  }
  const backoff = Math.min(baseRetryDelayMs * 2 ** attempt, maxBackoffMs);
  return backoff * (0.75 + Math.random() * 0.5);
}

/** A float list as is; a base64 string as little-endian float32; anything else undefined. */
export function decodeEmbedding(embedding: unknown): number[] | undefined {
  if (Array.isArray(embedding)) return embedding.every((value) => typeof value === 'number') ? (embedding as number[]) : undefined;
  if (typeof embedding !== 'string') return undefined;
  const bytes = Buffer.from(embedding, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  const values: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) values.push(bytes.readFloatLE(offset));
  return values;
}

function displayUrl(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return 'the embeddings endpoint';
  }
}
