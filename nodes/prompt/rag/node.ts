import { z } from 'zod';
import { defineNode, type Document } from '../../../src/node-kit/index.js';

const defaultInstruction =
  'Answer the question using only the numbered context below. Cite the passages you use as [1], [2], … ' +
  'If the context does not contain the answer, say so.';

const config = z.object({
  instruction: z.string().min(1).default(defaultInstruction).describe('Text placed before the context'),
  maxContextChars: z
    .number()
    .int()
    .min(100)
    .default(8000)
    .describe('Characters of context text at most; passages beyond it are left out (the last one kept is cut)'),
});

export interface Citation {
  n: number;
  id: string;
  source: string | null;
  page: number | null;
}

export default defineNode({
  type: 'prompt.rag',
  title: 'RAG prompt builder',
  description:
    'Turns a question with retrieved context into a grounded prompt: the instruction, the numbered passages ([1] … with source, page ' +
    'and id) and the original question; meta.citations lists {n, id, source, page} per number so an answer\'s [n] can be traced back.',
  inputs: ['question'],
  outputs: ['question'],
  config,
  examples: [
    { title: 'Default instruction', config: {} },
    { title: 'Short context for a small model', config: { maxContextChars: 2000 } },
  ],
  async process(question, ctx) {
    const context = question.context ?? [];
    if (context.length === 0) ctx.warn('The question has no context: the prompt asks it without grounding.');
    const { passages, citations, dropped } = numberPassages(context, ctx.config.maxContextChars);
    if (dropped > 0) ctx.warn(`${dropped} context passage(s) left out: over maxContextChars (${ctx.config.maxContextChars}).`);
    const text = [ctx.config.instruction, '', 'Context:', passages.length > 0 ? passages.join('\n\n') : '(no context found)', '', `Question: ${question.text}`].join('\n');
    ctx.setAttributes({ 'prompt.passages': passages.length, 'prompt.chars': text.length });
    await ctx.emit('question', {
      ...question,
      text,
      meta: { ...question.meta, question: question.text, citations },
    });
  },
});

function numberPassages(context: Document[], maxChars: number): { passages: string[]; citations: Citation[]; dropped: number } {
  const passages: string[] = [];
  const citations: Citation[] = [];
  let budget = maxChars;
  for (const document of context) {
    if (budget <= 0) break;
    const n = passages.length + 1;
    const source = typeof document.metadata.source === 'string' ? document.metadata.source : null;
    const page = typeof document.metadata.page === 'number' ? document.metadata.page : null;
    const where = [source, page === null ? null : `page ${page}`, `id ${document.id}`].filter(Boolean).join(', ');
    const body = document.text.replace(/\s+/g, ' ').trim();
    const kept = body.length > budget ? `${body.slice(0, budget)}…` : body;
    budget -= kept.length;
    passages.push(`[${n}] (${where}) ${kept}`);
    citations.push({ n, id: document.id, source, page });
  }
  return { passages, citations, dropped: context.length - passages.length };
}
