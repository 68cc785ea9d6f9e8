import type { ChatMessage, Document, QuestionItem } from '../../../src/node-kit/index.js';

/** Passage number → document id, as the prompt numbered them. */
export type Numbering = Map<number, string>;

/**
 * An upstream prompt.rag or prompt.template that already wrote the context into the question's
 * text says so with meta.citations ({n, id}); the context is then not added a second time.
 */
function upstreamNumbering(question: QuestionItem): Numbering | undefined {
  const citations = question.meta?.citations;
  if (!Array.isArray(citations)) return undefined;
  const numbering: Numbering = new Map();
  for (const citation of citations as Array<{ n?: unknown; id?: unknown }>) {
    if (typeof citation?.n === 'number' && typeof citation.id === 'string') numbering.set(citation.n, citation.id);
  }
  return numbering;
}

function passage(document: Document, n: number): string {
  const source = typeof document.metadata.source === 'string' ? document.metadata.source : undefined;
  const page = typeof document.metadata.page === 'number' ? `page ${document.metadata.page}` : undefined;
  const where = [source, page].filter(Boolean).join(', ');
  return `[${n}]${where ? ` (${where})` : ''} ${document.text.trim()}`;
}

/** System prompt, the question's history, then one user turn: numbered context (when not already in the text) and the question. */
export function messagesFor(question: QuestionItem, system: string | undefined): { messages: ChatMessage[]; numbering: Numbering } {
  const messages: ChatMessage[] = [];
  if (system) messages.push({ role: 'system', content: system });
  for (const turn of question.history ?? []) messages.push({ role: turn.role, content: turn.content });
  const upstream = upstreamNumbering(question);
  const context = question.context ?? [];
  if (upstream || context.length === 0) {
    messages.push({ role: 'user', content: question.text });
    return { messages, numbering: upstream ?? new Map() };
  }
  const numbering: Numbering = new Map(context.map((document, index) => [index + 1, document.id]));
  const passages = context.map((document, index) => passage(document, index + 1));
  messages.push({
    role: 'user',
    content: ['Context (cite passages as [n]):', passages.join('\n\n'), '', `Question: ${question.text}`].join('\n'),
  });
  return { messages, numbering };
}

/** The documents an answer cites as [n] or [n, m], in order of first mention; unknown numbers are ignored. */
export function citationsIn(text: string, numbering: Numbering): Array<{ id: string }> {
  const ids: string[] = [];
  for (const match of text.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    for (const number of match[1]!.split(',')) {
      const id = numbering.get(Number(number.trim()));
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
  }
  return ids.map((id) => ({ id }));
}
