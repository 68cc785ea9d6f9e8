import { resolve } from 'node:path';
import { z } from 'zod';
import { defineStoreNode, storeConfigSchema } from '../shared/index.js';

const config = storeConfigSchema.extend({
  path: z
    .string()
    .min(1)
    .optional()
    .describe('SQLite file of the store (default: $PIPELANE_HOME/vectors.db, else .pipelane/vectors.db in the working directory)'),
});

/** Where the store lives when `path` is not configured. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PIPELANE_HOME ?? resolve(process.cwd(), '.pipelane'), 'vectors.db');
}

export default defineStoreNode({
  type: 'store.sqlite',
  title: 'SQLite vector store',
  description:
    'Embedded vector store (sqlite-vec in one SQLite file, WAL, cosine distance). Documents in: upserted by id into the collection ' +
    '(re-ingesting does not duplicate) and passed on. Question in (with an embedding): the topK nearest documents, optionally filtered ' +
    'by metadata equality, become its context (score in metadata) and are emitted as documents.',
  config,
  examples: [
    { title: 'Default store under .pipelane/', config: { collection: 'papers', dimensions: 384 } },
    { title: 'A store file of its own, 8 hits from page 5 only', config: { path: 'data/vectors.db', topK: 8, filter: { page: 5 } } },
  ],
  async connect(settings) {
    // sqlite-vec is loaded on first use: keeps `pipelane mcp` start-up under 1 s
    const { SqliteVectorStore } = await import('./sqlite-vector-store.js');
    return new SqliteVectorStore(settings.path ? resolve(settings.path) : defaultStorePath());
  },
});
