import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runNode, type Document, type QuestionItem } from '../../../src/node-kit/index.js';
import rerank from './node.js';

const candidate = (id: string, score: number, embedding: number[], metadata: Record<string, unknown> = {}): Document => ({
  id,
  text: id,
  metadata: { source: 'a.pdf', ...metadata, score },
  embedding,
});

const question = (context: Document[]): QuestionItem => ({ text: 'q', embedding: [1, 0, 0], context });

async function kept(config: Record<string, unknown>, context: Document[]) {
  const result = await runNode(rerank, { config, items: [{ item: question(context) }] });
  assert.deepEqual(result.problems, []);
  const out = result.emitted.find((entry) => entry.lane === 'question')!.item as QuestionItem;
  return { ids: out.context!.map((document) => document.id), out, result };
}

const candidates = [
  candidate('a', 0.9, [0.95, 0.31, 0], { page: 4 }),
  candidate('a-copy', 0.89, [0.95, 0.31, 0.01], { page: 4 }),
  candidate('b', 0.7, [0.7, 0, 0.71], { page: 5 }),
  candidate('c', 0.1, [0.1, 0.99, 0], { page: 6 }),
];

test('keeps the topK by score, best first, without embeddings by default', async () => {
  const { ids, out, result } = await kept({ topK: 2 }, [...candidates].reverse());
  assert.deepEqual(ids, ['a', 'a-copy']);
  assert.equal(out.context![0]!.embedding, undefined);
  assert.deepEqual((result.emitted.find((entry) => entry.lane === 'documents')!.item as Document[]).map((document) => document.id), ['a', 'a-copy']);
});

test('minScore and metadata filter drop candidates', async () => {
  assert.deepEqual((await kept({ topK: 10, minScore: 0.5 }, candidates)).ids, ['a', 'a-copy', 'b']);
  assert.deepEqual((await kept({ topK: 10, filter: { page: 5 } }, candidates)).ids, ['b']);
});

test('MMR trades a near-duplicate for a diverse candidate', async () => {
  assert.deepEqual((await kept({ topK: 2, mmrLambda: 0.5 }, candidates)).ids, ['a', 'b']);
  assert.deepEqual((await kept({ topK: 2, mmrLambda: 1 }, candidates)).ids, ['a', 'a-copy']);
});

test('MMR without embeddings falls back to score order with a warning', async () => {
  const bare = candidates.map(({ embedding: _embedding, ...document }) => document);
  const { ids, result } = await kept({ topK: 2, mmrLambda: 0.5 }, bare);
  assert.deepEqual(ids, ['a', 'a-copy']);
  assert.match(result.warnings[0]!, /MMR skipped/);
});

test('repeated ids are kept once', async () => {
  assert.deepEqual((await kept({ topK: 5 }, [candidates[0]!, candidates[0]!, candidates[2]!])).ids, ['a', 'b']);
});
