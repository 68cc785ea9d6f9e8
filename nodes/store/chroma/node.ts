import path from 'node:path';
import { z } from 'zod';
import { embeddedChromaServer } from '../../../src/models/chroma-server.js';
import { defineStoreNode, storeConfigSchema } from '../shared/index.js';

export const defaultChromaUrl = 'http://127.0.0.1:8000';

const config = storeConfigSchema
  .extend({
    url: z
      .string()
      .url()
      .optional()
      .describe(`Chroma server URL (default ${defaultChromaUrl}); start one with \`pipelane chroma start\``),
    embedded: z
      .object({ path: z.string().min(1).describe('Data folder, relative to the current folder') })
      .strict()
      .optional()
      .describe('Run a local Chroma server on this data folder for the process (started on first use, shared by every run, stopped at exit) instead of `url`'),
    distance: z.literal('cosine').default('cosine').describe('Distance of new collections; scores are 1 - cosine distance'),
  })
  .refine((settings) => settings.url === undefined || settings.embedded === undefined, {
    path: ['embedded'],
    message: 'give either url or embedded, not both',
  });

export default defineStoreNode({
  type: 'store.chroma',
  title: 'Chroma vector store',
  description:
    'Upserts embedded documents into a Chroma collection (cosine distance, by id: re-ingesting does not duplicate) and answers questions with the topK nearest as context, ' +
    'score = 1 - cosine distance. Talks to a Chroma server at `url`, or starts a local one on a data folder with `embedded`. ' +
    'Embeddings always come from an embed.* node; Chroma keeps scalar metadata only, so nested objects are flattened to dotted keys and arrays are left out.',
  config,
  examples: [
    { title: 'A Chroma server on this machine', config: { url: defaultChromaUrl, collection: 'docs' } },
    { title: 'A local server started for the process', config: { embedded: { path: '.pipelane/chroma' }, collection: 'docs', topK: 8 } },
  ],
  async connect(settings, ctx) {
    const url = settings.embedded ? (await embeddedChromaServer(path.resolve(settings.embedded.path))).url : (settings.url ?? defaultChromaUrl);
    const skippedKeys = new Set<string>();
    // the client library is loaded on first use: keeps `pipelane mcp` start-up under 1 s
    const { ChromaVectorStore } = await import('./chroma-store.js');
    const store = new ChromaVectorStore({
      url,
      onSkippedMetadata(_documentId, keys) {
        const fresh = keys.filter((key) => !skippedKeys.has(key));
        if (fresh.length === 0) return;
        for (const key of fresh) skippedKeys.add(key);
        ctx.logger.warn({ node: ctx.nodeId, keys: fresh }, 'Chroma keeps scalar metadata only: these keys are not stored');
      },
    });
    await store.ping();
    return store;
  },
});
