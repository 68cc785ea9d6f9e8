import { z } from 'zod';
import {
  carriedMeta,
  costOf,
  createLlmBinding,
  defineNode,
  modelSettingsSchema,
  priceFor,
  promptTextSchema,
  resolveSystemPrompt,
  type LlmBinding,
  type ModelSettings,
} from '../../../src/node-kit/index.js';
import { citationsIn, messagesFor } from './messages.js';
import { generate } from './generate.js';

const config = modelSettingsSchema
  .extend({
    system: promptTextSchema('System prompt').optional(),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature (the model\'s default when unset)'),
    maxTokens: z.number().int().positive().optional().describe('Output tokens at most (Anthropic requires a limit: 4096 when unset)'),
    stream: z.boolean().default(false).describe('Stream the answer from the server and assemble it (the span records time to first token)'),
  })
  .superRefine((value, context) => {
    if (value.provider === 'openai-compatible' && !value.baseUrl) {
      context.addIssue({ code: 'custom', path: ['baseUrl'], message: 'openai-compatible needs a baseUrl, e.g. http://localhost:11434/v1 for Ollama' });
    }
  });

type Config = z.output<typeof config>;

const settingKeys = Object.keys(modelSettingsSchema.shape);

/** The model part of the config: what an agent bound to this node gets. */
function modelSettingsOf(settings: Config): ModelSettings {
  return modelSettingsSchema.parse(Object.fromEntries(Object.entries(settings).filter(([key]) => settingKeys.includes(key))));
}

interface ChatState {
  /** Made at the first question, so a node serving only as an agent's `llm` binding never builds clients it does not use. */
  binding?: LlmBinding;
  system: string | undefined;
}

export default defineNode({
  type: 'llm.chat',
  title: 'Chat model',
  description:
    'Answers a question with a chat model: OpenAI, Anthropic, or any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio, ' +
    'OpenRouter) by baseUrl. The request is the system prompt (literal, or prompt:<name> from prompts/), the question\'s history, ' +
    'and a user turn with its context as numbered passages [1], [2]… (left out when an upstream prompt.rag or prompt.template already ' +
    'put them in the text) followed by the question. The answer carries usage, cost and the [n] citations it makes; the key comes from ' +
    'the environment (apiKeyEnv) and never reaches traces. Bound as an agent\'s "llm", only the model settings are used.',
  inputs: ['question'],
  outputs: ['answer'],
  config,
  languageModel: modelSettingsOf,
  timeoutMs: 300_000,
  examples: [
    { title: 'OpenAI gpt-4o-mini', config: { provider: 'openai', model: 'gpt-4o-mini', system: 'Answer in at most three sentences.', temperature: 0 } },
    { title: 'Anthropic Claude, streamed', config: { provider: 'anthropic', model: 'claude-haiku-4-5', maxTokens: 1024, stream: true } },
    {
      title: 'Ollama via its OpenAI-compatible API',
      config: { provider: 'openai-compatible', model: 'llama3.2', baseUrl: '${OLLAMA_URL}', price: { inputPerMillion: 0, outputPerMillion: 0 } },
    },
  ],
  open(ctx) {
    const state: ChatState = {
      system: ctx.config.system === undefined ? undefined : resolveSystemPrompt(ctx.config.system),
    };
    ctx.state.chat = state;
  },
  async process(question, ctx) {
    const state = ctx.state.chat as ChatState;
    state.binding ??= createLlmBinding(modelSettingsOf(ctx.config));
    const { settings, model } = state.binding;
    const { messages, numbering } = messagesFor(question, state.system);
    const started = performance.now();
    const result = await generate(model, {
      messages,
      signal: ctx.signal,
      ...(ctx.config.temperature !== undefined ? { temperature: ctx.config.temperature } : {}),
      ...(ctx.config.maxTokens !== undefined ? { maxTokens: ctx.config.maxTokens } : {}),
    }, ctx.config.stream);
    const costUsd = costOf(result.usage, priceFor(settings.model, settings.price));
    ctx.setAttributes({
      'gen_ai.system': settings.provider,
      'gen_ai.request.model': settings.model,
      'gen_ai.usage.input_tokens': result.usage.inputTokens,
      'gen_ai.usage.output_tokens': result.usage.outputTokens,
      'cost.usd': costUsd,
      'llm.stream': ctx.config.stream,
      'llm.finish_reason': result.finishReason,
      ...(result.firstTokenMs !== undefined ? { 'llm.first_token_ms': result.firstTokenMs } : {}),
    });
    if (result.finishReason === 'length') ctx.warn(`The answer of ${settings.model} was cut at the output token limit${ctx.config.maxTokens ? ` (maxTokens ${ctx.config.maxTokens})` : ''}.`);
    const citations = citationsIn(result.text, numbering);
    await ctx.emit('answer', {
      text: result.text,
      usage: result.usage,
      ...(citations.length > 0 ? { citations } : {}),
      meta: {
        ...carriedMeta(question.meta ?? {}),
        provider: settings.provider,
        model: settings.model,
        finishReason: result.finishReason,
        costUsd,
        latencyMs: Math.round(performance.now() - started),
      },
    });
  },
});
