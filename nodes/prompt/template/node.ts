import { z } from 'zod';
import {
  defineNode,
  getPrompt,
  PipelaneError,
  PROMPT_REFERENCE_PREFIX,
  promptTextSchema,
  renderTemplate,
  templateSyntaxError,
  templateVariables,
  type QuestionItem,
  type TextItem,
} from '../../../src/node-kit/index.js';

const reservedNames = ['text', 'meta', 'context', 'history'];

const config = z.object({
  template: promptTextSchema('Mustache template rendered with the item: {{text}}, {{meta.source}}, {{#context}}[{{n}}] {{text}}{{/context}}, {{#history}}…{{/history}}')
    .refine((value) => value.startsWith(PROMPT_REFERENCE_PREFIX) || templateSyntaxError(value) === undefined, {
      message: 'not a valid mustache template (every {{#section}} needs its {{/section}})',
    }),
  as: z.enum(['question', 'text']).default('question').describe('Lane the rendered text is emitted on'),
  variables: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
    .default({})
    .refine((variables) => !Object.keys(variables).some((name) => reservedNames.includes(name)), {
      message: `text, meta, context and history come from the item and cannot be set here`,
    })
    .describe('Fixed values for other template variables, e.g. {"tone": "formal"}'),
});

type Config = z.output<typeof config>;

interface TemplateState {
  template: string;
  /** The template numbers `context` into the text, so downstream must not add it again. */
  rendersContext: boolean;
  warned: Set<string>;
}

export interface Citation {
  n: number;
  id: string;
  source: string | null;
  page: number | null;
}

function loadTemplate(value: string): string {
  return value.startsWith(PROMPT_REFERENCE_PREFIX) ? getPrompt(value.slice(PROMPT_REFERENCE_PREFIX.length).trim()).template : value;
}

function viewOf(item: TextItem | QuestionItem, variables: Config['variables']): Record<string, unknown> {
  const question = item as QuestionItem;
  const context = (question.context ?? []).map((document, index) => ({
    n: index + 1,
    id: document.id,
    text: document.text,
    metadata: document.metadata,
    source: document.metadata.source,
    page: document.metadata.page,
  }));
  return { ...variables, text: item.text, meta: item.meta ?? {}, context, history: question.history ?? [] };
}

function citationsOf(item: QuestionItem): Citation[] {
  return (item.context ?? []).map((document, index) => ({
    n: index + 1,
    id: document.id,
    source: typeof document.metadata.source === 'string' ? document.metadata.source : null,
    page: typeof document.metadata.page === 'number' ? document.metadata.page : null,
  }));
}

export default defineNode({
  type: 'prompt.template',
  title: 'Prompt template',
  description:
    'Renders a mustache template (literal, or prompt:<name> from prompts/) with the item — {{text}}, {{meta.*}}, the question\'s ' +
    '{{#context}} passages numbered {{n}} and {{#history}} — and emits the result as a question (history and context kept) or as text. ' +
    'No HTML escaping. Variables the item lacks render empty and are named in a warning. When the template renders context, ' +
    'meta.citations lists {n, id, source, page} as prompt.rag does, so llm.chat does not add the context again.',
  inputs: ['text', 'question'],
  outputs: ['question', 'text'],
  config,
  outputsFor: (settings) => [settings.as],
  examples: [
    {
      title: 'Grounded question with numbered passages',
      config: { template: 'Answer from the passages and cite them as [n].\n\n{{#context}}[{{n}}] {{text}}\n{{/context}}\nQuestion: {{text}}' },
    },
    { title: 'Summarize a text as a question for llm.chat', config: { template: 'Summarize in {{sentences}} sentences:\n\n{{text}}', variables: { sentences: '3' } } },
  ],
  open(ctx) {
    const template = loadTemplate(ctx.config.template);
    const state: TemplateState = { template, rendersContext: templateVariables(template).includes('context'), warned: new Set() };
    ctx.state.template = state;
  },
  async process(item, ctx) {
    const state = ctx.state.template as TemplateState;
    const { text, missing } = renderTemplate(state.template, viewOf(item, ctx.config.variables));
    ctx.setAttributes({ 'prompt.chars': text.length, ...(missing.length > 0 ? { 'prompt.missing': missing } : {}) });
    const key = missing.join(',');
    if (missing.length > 0 && !state.warned.has(key)) {
      state.warned.add(key);
      ctx.warn(`Template variables not set on the item, rendered empty: ${missing.join(', ')}.`);
    }
    const meta = item.meta ?? {};
    if (ctx.config.as === 'text') {
      await ctx.emit('text', { text, meta });
      return;
    }
    if (text.trim() === '') {
      throw new PipelaneError('PROMPT_RENDERED_EMPTY', `The template rendered no text for this item${missing.length > 0 ? ` (empty: ${missing.join(', ')})` : ''}.`, {
        hint: 'Check that the template reads variables this item has ({{text}}, {{meta.*}}, {{#context}}), or set the others in "variables".',
        path: '/config/template',
      });
    }
    const question = ctx.lane === 'question' ? (item as QuestionItem) : undefined;
    await ctx.emit('question', {
      ...question,
      text,
      meta: {
        ...meta,
        ...(question ? { question: question.text } : {}),
        ...(question && state.rendersContext ? { citations: citationsOf(question) } : {}),
      },
    });
  },
});
