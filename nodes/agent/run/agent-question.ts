import type { QuestionItem } from '../../../src/node-kit/index.js';

/**
 * The one user message an agent gets: the question, preceded by the chat history and any context
 * documents the question carries (retrieved passages), so every framework sees the same text.
 */
export function agentQuestion(question: QuestionItem): string {
  const history = question.history ?? [];
  const context = question.context ?? [];
  if (history.length === 0 && context.length === 0) return question.text;
  const parts: string[] = [];
  if (history.length > 0) {
    parts.push('Conversation so far:', ...history.map((turn) => `${turn.role}: ${turn.content}`), '');
  }
  if (context.length > 0) {
    parts.push('Context:', ...context.map((document, index) => `[${index + 1}] (id ${document.id}) ${document.text}`), '');
  }
  parts.push(`Question: ${question.text}`);
  return parts.join('\n');
}
