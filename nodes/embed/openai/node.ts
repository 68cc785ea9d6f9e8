import { z } from 'zod';
import { PipelaneError, defineNode, isPipelaneError } from '../../../src/node-kit/index.js';
import type { MicroBatcher, ModelReference } from '../../../src/models/index.js';
import { BatchUsage, checkDimensions, embedDocuments, embedQuestion, embeddingAttributes, type EmbedSummary, type EmbedTexts } from '../shared/embed-items.js';
import type { EmbeddedText, RequestInfo } from './batched-client.js';

const clientKey = 'embed.openai.client';
const dimKey = 'embed.openai.dim';
const defaultBaseURL = 'https://api.openai.com/v1';

const config = z.object({
  model: z.string().min(1).default('text-embedding-3-small').describe('Embedding model id, e.g. text-embedding-3-small, nomic-embed-text'),
  baseURL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(`API root of an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (default ${defaultBaseURL})`),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .default('OPENAI_API_KEY')
    .describe('Name of the environment variable holding the API key (read at run time; the key is never logged)'),
  dimensions: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Vector length: sent to the API (text-embedding-3 models shorten their vectors) and checked on every response'),
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(2048)
    .default(96)
    .describe('Most texts per request; texts from concurrent runs share requests (micro-batching, see docs/models.md)'),
  maxRetries: z.number().int().min(0).max(10).default(3).describe('Retries of a request answered 408/409/429/5xx or not answered; retry-after is honoured'),
  timeoutMs: z.number().int().min(1000).default(60_000).describe('Time limit of one request'),
  encodingFormat: z.enum(['base64', 'float']).default('base64').describe('Wire format of the vectors: base64 (smaller) or float (servers without base64)'),
});

export default defineNode({
  type: 'embed.openai',
  title: 'OpenAI embeddings',
  description:
    'Embeds documents and questions with the OpenAI embeddings API or an OpenAI-compatible server (baseURL): requests batched across concurrent runs, ' +
    'retries on 429/5xx honouring retry-after, token usage on the span, the API key read from an environment variable at run time.',
  inputs: ['documents', 'question'],
  outputs: ['documents', 'question'],
  config,
  concurrency: 4,
  timeoutMs: 600_000,
  examples: [
    { title: 'OpenAI, shortened vectors', config: { model: 'text-embedding-3-small', dimensions: 512 } },
    { title: 'A local OpenAI-compatible server', config: { baseURL: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text', apiKeyEnv: 'LOCAL_API_KEY', dimensions: 768 } },
  ],
  attributes: (settings) => embeddingAttributes(settings.model, settings.dimensions),
  async open(ctx) {
    const { apiKeyEnv } = ctx.config;
    const apiKey = process.env[apiKeyEnv];
    if (apiKey === undefined || apiKey === '') {
      throw new PipelaneError('MISSING_ENV_VARIABLE', `Environment variable ${apiKeyEnv} (named by apiKeyEnv) is not set, so there is no API key for the embeddings API.`, {
        hint: `Set ${apiKeyEnv} in the environment of the process that runs the pipeline (any value for a local server without keys), or set apiKeyEnv to the variable that holds the key.`,
        path: '/config/apiKeyEnv',
      });
    }
    // The SDK loads only when a pipeline uses this node.
    const { openBatchedClient } = await import('./batched-client.js');
    ctx.state[clientKey] = openBatchedClient(apiKey, { ...ctx.config, baseURL: ctx.config.baseURL ?? defaultBaseURL });
  },
  async process(item, ctx) {
    const client = ctx.state[clientKey] as ModelReference<MicroBatcher<string, EmbeddedText>>;
    const { model } = ctx.config;
    const endpoint = displayUrl(ctx.config.baseURL ?? defaultBaseURL);
    const usage = new BatchUsage();
    const seen = new Set<RequestInfo>();
    let inputTokens = 0;
    let requests = 0;
    let servedBy: string | undefined;
    const embed: EmbedTexts = async (texts) => {
      let result;
      try {
        result = await client.resource.submit(texts, ctx.signal);
      } catch (error) {
        if (isPipelaneError(error) && typeof error.details?.requests === 'number') requests += error.details.requests;
        throw error;
      }
      usage.add(result);
      for (const text of result.outputs) {
        inputTokens += text.inputTokens;
        if (seen.has(text.request)) continue;
        seen.add(text.request);
        requests += text.request.requests;
        servedBy ??= text.request.model;
      }
      const vectors = result.outputs.map((text) => text.vector);
      // The configured dimension, else the first one this run saw: every vector must agree.
      const expected = ctx.config.dimensions ?? (ctx.state[dimKey] as number | undefined) ?? vectors[0]?.length;
      checkDimensions(vectors, expected, model, `from ${endpoint}`, ctx.config.dimensions !== undefined);
      ctx.state[dimKey] ??= expected;
      return vectors;
    };
    let summary: EmbedSummary;
    try {
      if (Array.isArray(item)) {
        const embedded = await embedDocuments(item, embed);
        summary = embedded.summary;
        await ctx.emit('documents', embedded.documents);
      } else {
        const embedded = await embedQuestion(item, embed);
        summary = embedded.summary;
        await ctx.emit('question', embedded.question);
      }
    } finally {
      // Tokens already paid for count even when a later batch fails.
      ctx.setAttributes({ 'llm.usage.input_tokens': inputTokens, 'embedding.model': model, 'embedding.requests': requests });
    }
    ctx.setAttributes({
      'embedding.dim': summary.dim ?? ctx.state[dimKey],
      'embedding.count': summary.count,
      'embedding.batches': usage.batches,
      'embedding.retries': requests - usage.batches,
      ...(servedBy !== undefined && servedBy !== model ? { 'embedding.servedBy': servedBy } : {}),
      ...usage.attributes(client.key, client.resource.workers()),
    });
  },
  close(ctx) {
    (ctx.state[clientKey] as ModelReference<MicroBatcher<string, EmbeddedText>> | undefined)?.release();
    delete ctx.state[clientKey];
  },
});

/** The endpoint as shown in messages: no credentials or query string. */
function displayUrl(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return 'the embeddings endpoint';
  }
}
