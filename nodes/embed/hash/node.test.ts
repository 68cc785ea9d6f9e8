import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runNode, type Document, type QuestionItem } from '../../../src/node-kit/index.js';
import { hashEmbedding } from './hash-embedding.js';
import embedHash from './node.js';

const dot = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * b[index]!, 0);

test('documents get a deterministic, L2-normalised embedding of the configured dimension', async () => {
  const documents: Document[] = [{ id: 'a', text: 'Trace trees grow at hot side exits.', metadata: { page: 5 } }];
  const first = await runNode(embedHash, { config: { dimensions: 256 }, items: [{ item: documents }] });
  const second = await runNode(embedHash, { config: { dimensions: 256 }, items: [{ item: documents }] });
  assert.deepEqual(first.problems, []);
  const embedding = (first.emitted[0]!.item as Document[])[0]!.embedding!;
  assert.equal(embedding.length, 256);
  assert.ok(Math.abs(dot(embedding, embedding) - 1) < 1e-9);
  assert.deepEqual(embedding, (second.emitted[0]!.item as Document[])[0]!.embedding);
  assert.deepEqual((first.emitted[0]!.item as Document[])[0]!.metadata, { page: 5 });
});

test('a question is embedded on the question lane and keeps its fields', async () => {
  const result = await runNode(embedHash, { items: [{ lane: 'question', item: { text: 'How do side exits work?', meta: { source: 'cli' } } }] });
  const question = result.emitted[0]!.item as QuestionItem;
  assert.equal(result.emitted[0]!.lane, 'question');
  assert.equal(question.embedding!.length, 384);
  assert.deepEqual(question.meta, { source: 'cli' });
});

test('related texts score higher than unrelated ones, inflections included', () => {
  const options = { dimensions: 384, ngram: 3 };
  const question = hashEmbedding('how are trace trees extended when a side exit becomes hot?', options);
  const related = hashEmbedding('When a side exit becomes hot, a new branch trace extends the tree.', options);
  const unrelated = hashEmbedding('The garbage collector runs after allocation of many objects in the heap.', options);
  assert.ok(dot(question, related) > 0.3, `related ${dot(question, related)}`);
  assert.ok(dot(question, related) > 3 * Math.abs(dot(question, unrelated)), `unrelated ${dot(question, unrelated)}`);
});

test('an empty text gives a zero vector rather than NaN', () => {
  assert.ok(hashEmbedding('', { dimensions: 16, ngram: 3 }).every((value) => value === 0));
});

test('attributes state the dimension and model for documents and question', () => {
  const config = embedHash.config.parse({ dimensions: 256 });
  assert.deepEqual(embedHash.attributes!(config, {}), {
    documents: { embedding: { dim: 256, model: 'hash-v1-n3' } },
    question: { embedding: { dim: 256, model: 'hash-v1-n3' } },
  });
});
