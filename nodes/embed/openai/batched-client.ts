import { createHash } from 'node:crypto';
import { isAbortError, isPipelaneError } from '../../../src/node-kit/index.js';
import { MicroBatcher, acquireModel, hubSettings, modelKey, type ModelReference } from '../../../src/models/index.js';
import { OpenAIEmbeddings, type OpenAIEmbeddingsSettings } from './openai-embeddings.js';

/** What one request did, shared by every text it carried (compared by identity to count requests once). */
export interface RequestInfo {
  requests: number;
  /** The model the server says answered. */
  model: string;
}

/** One text's result: its vector, its share of the request's tokens, and the request it rode in. */
export interface EmbeddedText {
  vector: number[];
  /** The request's prompt tokens split over its texts by length (the API reports one total per request). */
  inputTokens: number;
  request: RequestInfo;
}

export interface BatchedClientSettings extends OpenAIEmbeddingsSettings {
  /** Most texts per request, from every run together. */
  batchSize: number;
}

/**
 * The shared client of one endpoint, model and key, behind a micro-batcher: questions and chunks
 * from concurrent runs go out together in requests of at most `batchSize` texts. The hub key names
 * the endpoint and model only; the key's digest stays in the hub's private identity.
 */
export function openBatchedClient(apiKey: string, settings: BatchedClientSettings): ModelReference<MicroBatcher<string, EmbeddedText>> {
  const hub = hubSettings();
  const key = modelKey({
    kind: 'embed.openai',
    model: settings.model,
    options: { endpoint: displayEndpoint(settings.baseURL), dimensions: settings.dimensions, maxBatch: settings.batchSize },
  });
  const identity = `${key}|${createHash('sha256').update(JSON.stringify([apiKey, settings])).digest('hex')}`;
  return acquireModel(
    key,
    () => {
      const client = new OpenAIEmbeddings(apiKey, settings);
      return new MicroBatcher<string, EmbeddedText>({
        name: key,
        maxBatch: settings.batchSize,
        maxWaitMs: hub.embedMaxWaitMs,
        concurrency: hub.embedConcurrency,
        workers: () => hub.embedConcurrency,
        async run(texts, signal) {
          const result = await client.embed(texts, signal);
          const request: RequestInfo = { requests: result.requests, model: result.model };
          const characters = texts.reduce((sum, text) => sum + text.length, 0);
          let given = 0;
          return result.vectors.map((vector, index) => {
            // Shares by length; the last text takes the rounding rest, so the shares add up exactly.
            const share =
              index === texts.length - 1 ? result.inputTokens - given : Math.floor((result.inputTokens * texts[index]!.length) / Math.max(1, characters));
            given += share;
            return { vector, inputTokens: share, request };
          });
        },
        // Only a rejected request can be about one caller's texts (too long, bad input); a refused
        // key, an unreachable or overloaded service, a bad response are the same for everyone.
        isolate: (error) => !isAbortError(error) && isPipelaneError(error) && error.code === 'EMBED_REQUEST_FAILED',
      });
    },
    { identity },
  );
}

/** The endpoint as shown in keys and messages: no credentials or query string. */
export function displayEndpoint(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return 'endpoint';
  }
}
