import { z } from 'zod';
import { createRegistry, fakeNode, PipelaneError, type AnyNodeDefinition, type NodeContext } from '../../src/node-kit/index.js';
import type { LaneName } from '../../src/lanes/index.js';

/** A text source: one text item per line of the run's text. */
export const source = fakeNode({
  type: 'source.fake',
  outputs: ['text'],
  process: async (input, ctx) => {
    const { text = '' } = input as { text?: string };
    for (const line of text.split('\n')) await ctx.emit('text', { text: line, meta: {} });
  },
});

export const calls = { upper: 0 };

/** The node bound as a tool: upper-cases text, fails on "boom". */
export const upper = fakeNode({
  type: 'transform.upper',
  title: 'Upper case',
  description: 'Turns text into upper case.',
  inputs: ['text'],
  outputs: ['text'],
  process: async (item, ctx) => {
    calls.upper += 1;
    const { text, meta } = item as { text: string; meta: Record<string, unknown> };
    if (text === 'boom') throw new PipelaneError('UPPER_BROKEN', 'cannot upper-case boom', { hint: 'give other text' });
    await ctx.emit('text', { text: text.toUpperCase(), meta });
  },
});

/** A node that can serve as a model (like llm.chat): an OpenAI-compatible server, optionally with a key variable. */
export const model: AnyNodeDefinition = {
  ...fakeNode({ type: 'model.fake', inputs: ['question'], outputs: ['answer'] }),
  config: z.object({ model: z.string().default('fake-model'), apiKeyEnv: z.string().optional() }),
  languageModel: (config: { model: string; apiKeyEnv?: string }) => ({
    provider: 'openai-compatible',
    model: config.model,
    baseUrl: 'http://127.0.0.1:9/v1',
    ...(config.apiKeyEnv ? { apiKeyEnv: config.apiKeyEnv } : {}),
    timeoutMs: 1_000,
    maxRetries: 0,
  }),
};

type AgentContext = NodeContext<LaneName, LaneName, Record<string, unknown>>;

/** What the fake agent does with each item; set per test. */
export const agentBehaviour: { process: (item: { text: string; meta: Record<string, unknown> }, ctx: AgentContext) => Promise<void> } = {
  process: async (item, ctx) => ctx.emit('text', item),
};

/** An agent-like node: binds an llm (required, one) and tools (any number). */
export const agent = fakeNode({
  type: 'agent.fake',
  inputs: ['text'],
  outputs: ['text'],
  uses: {
    llm: { kind: 'llm', min: 1, max: 1, description: 'The model' },
    tools: { kind: 'tools', min: 0, description: 'Tools to call' },
  },
  process: (item, ctx) => agentBehaviour.process(item as never, ctx as never),
});

export const registry = createRegistry([source, upper, model, agent]);

/** source → agent (llm: gpt, tools: up) → output; gpt and up are bound-only. */
export function agentPipeline(uses: Record<string, unknown> = { llm: 'gpt', tools: ['up'] }, agentConfig: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    name: 'agentic',
    nodes: [
      { id: 'in', type: 'source.fake' },
      { id: 'agent', type: 'agent.fake', config: agentConfig, inputs: [{ lane: 'text', from: 'in' }], uses },
      { id: 'gpt', type: 'model.fake' },
      { id: 'up', type: 'transform.upper' },
    ],
    outputs: [{ lane: 'text', from: 'agent', as: 'answers' }],
  };
}
