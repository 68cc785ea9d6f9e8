import { z } from 'zod';
import { PipelaneError } from '../../../src/node-kit/index.js';
import { defineStoreNode, storeConfigSchema } from '../shared/index.js';

export const defaultQdrantUrl = 'http://127.0.0.1:6333';

const config = storeConfigSchema.extend({
  url: z
    .url({ protocol: /^https?$/ })
    .default(defaultQdrantUrl)
    .describe('Qdrant REST endpoint'),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional()
    .describe('Name of the environment variable holding the Qdrant API key (read at run time, never logged); leave out for a server without keys'),
  timeoutMs: z.number().int().min(1000).default(30_000).describe('Time limit of one request'),
});

export default defineStoreNode({
  type: 'store.qdrant',
  title: 'Qdrant vector store',
  description:
    'Upserts embedded documents into a Qdrant collection over its REST API (created on first write with the documents\' dimension and Cosine distance) ' +
    'and answers questions with the topK nearest as context (score = cosine similarity). Point ids are UUIDv5 of the document ids, so re-ingesting ' +
    'replaces; the original id, text and metadata live in the payload and metadata filters match `metadata.<key>`. ' +
    'Tested against the REST wire format only (a local double of the endpoints the client calls), not a running Qdrant.',
  config,
  examples: [
    { title: 'Qdrant on this machine', config: { url: defaultQdrantUrl, collection: 'docs' } },
    { title: 'Qdrant Cloud with an API key', config: { url: 'https://xyz.cloud.qdrant.io:6333', apiKeyEnv: 'QDRANT_API_KEY', collection: 'docs', topK: 8 } },
  ],
  async connect(settings) {
    let apiKey: string | undefined;
    if (settings.apiKeyEnv !== undefined) {
      apiKey = process.env[settings.apiKeyEnv];
      if (apiKey === undefined || apiKey === '') {
        throw new PipelaneError('MISSING_ENV_VARIABLE', `Environment variable ${settings.apiKeyEnv} (named by apiKeyEnv) is not set, so there is no API key for Qdrant.`, {
          hint: `Set ${settings.apiKeyEnv} in the environment of the process that runs the pipeline, or leave apiKeyEnv out for a server without keys.`,
          path: '/config/apiKeyEnv',
        });
      }
    }
    // the client library is loaded on first use: keeps `pipelane mcp` start-up under 1 s
    const { QdrantVectorStore } = await import('./qdrant-store.js');
    return new QdrantVectorStore({ url: settings.url, timeoutMs: settings.timeoutMs, ...(apiKey !== undefined ? { apiKey } : {}) });
  },
});
