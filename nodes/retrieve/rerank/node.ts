import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { selectContext } from './select-context.js';

const config = z.object({
  topK: z.number().int().min(1).max(1000).default(3).describe('Context documents kept'),
  minScore: z.number().min(-1).max(1).optional().describe('Drop candidates whose score (similarity) is lower'),
  filter: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('Keep only candidates whose metadata has exactly these values'),
  mmrLambda: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Maximal marginal relevance: trade relevance (1) against diversity (0) using the embeddings; unset = plain score order'),
  keepEmbeddings: z.boolean().default(false).describe('Keep the candidates\' embeddings on the output (off: smaller results)'),
});

export default defineNode({
  type: 'retrieve.rerank',
  title: 'Context reranker',
  description:
    'Takes a question whose context holds retrieved candidates (from a store.* node) and keeps the best topK: metadata filter, ' +
    'score threshold, optional maximal marginal relevance (MMR) over the embeddings for diverse context. Emits the question with the ' +
    'new context and the kept documents.',
  inputs: ['question'],
  outputs: ['question', 'documents'],
  config,
  examples: [
    { title: 'Three best hits', config: { topK: 3 } },
    { title: 'Five diverse hits above 0.2 from one file', config: { topK: 5, minScore: 0.2, mmrLambda: 0.7, filter: { source: 'paper.pdf' } } },
  ],
  async process(question, ctx) {
    const candidates = question.context ?? [];
    if (candidates.length === 0) ctx.warn('The question has no context to rerank: the store before this node found nothing (is the collection empty or another one?), or there is no store.* node before it.');
    const { documents, mmrSkipped } = selectContext(candidates, question.embedding, ctx.config);
    if (mmrSkipped) ctx.warn(`MMR skipped: ${mmrSkipped}; kept plain score order.`);
    const context = ctx.config.keepEmbeddings ? documents : documents.map(({ embedding: _embedding, ...document }) => document);
    ctx.setAttributes({ 'rerank.candidates': candidates.length, 'rerank.kept': context.length });
    await ctx.emit('question', { ...question, context });
    await ctx.emit('documents', context);
  },
});
