import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentFrameworkId } from '../../src/agent-kit/index.js';
import { createEngine } from '../../src/engine/index.js';
import { createRegistry, fakeNode, type TextItem } from '../../src/node-kit/index.js';
import { renderPrompt } from '../../src/prompts/index.js';
import { openTraceStore, type TraceStore } from '../../src/trace/index.js';
import agentRun from '../../nodes/agent/run/node.js';
import llmChat from '../../nodes/llm/chat/node.js';
import sourceText from '../../nodes/source/text/node.js';
import { startAnthropicMessagesServer } from '../doubles/anthropic-messages-server.js';
import type { LlmDoubleRequest, LlmDoubleServer, Reply } from '../doubles/llm-double-kit.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';

/**
 * The seed's lesson: framework APIs with global state let concurrent chats leak into each other.
 * 30 chats run at once through one engine, spread over every framework, each about its own animal;
 * no answer and no span of a chat may mention another chat's animal.
 */

const KEY = 'sk-concurrent-agents-5566778899';
const KEY_ENV = 'PIPELANE_CONCURRENT_AGENTS_KEY';
const ANIMALS = [
  'zebra', 'walrus', 'falcon', 'badger', 'otter', 'lemur', 'bison', 'heron', 'gecko', 'koala',
  'panda', 'moose', 'llama', 'hyena', 'jaguar', 'toucan', 'beaver', 'ferret', 'iguana', 'jackal',
  'magpie', 'ocelot', 'pelican', 'quokka', 'salmon', 'tapir', 'vulture', 'wombat', 'narwhal', 'dingo',
];
const VARIANTS: Array<{ framework: AgentFrameworkId; provider: 'openai' | 'anthropic' }> = [
  { framework: 'native', provider: 'openai' },
  { framework: 'langgraph', provider: 'openai' },
  { framework: 'openai-tools', provider: 'openai' },
  { framework: 'anthropic-tools', provider: 'anthropic' },
  { framework: 'native', provider: 'anthropic' },
  { framework: 'langgraph', provider: 'anthropic' },
];

/** The tool: a node of the pipeline that states a fact about the animal it is given. */
const factNode = fakeNode({
  type: 'test.fact',
  inputs: ['text'],
  outputs: ['text'],
  title: 'Animal fact',
  description: 'Gives one fact about the animal named in the text.',
  async process(item, ctx) {
    const { text } = item as TextItem;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 30));
    await ctx.emit('text', { text: `the ${text.trim()} has ${text.trim().length} letters`, meta: {} });
  },
});

/** Asks the tool about the animal of the question, then answers with what came back; delays interleave the chats. */
function script(request: LlmDoubleRequest): Reply {
  const delayMs = 5 + Math.floor(Math.random() * 40);
  const animal = /about the (\w+)/.exec(request.lastUserText)?.[1] ?? 'nothing';
  const fact = request.toolResults.fact;
  if (fact === undefined) return { delayMs, toolCalls: [{ name: 'fact', arguments: { text: animal } }] };
  return { delayMs, text: `About the ${animal}: ${/the \w+ has \d+ letters/.exec(fact)?.[0] ?? '(no fact)'}.` };
}

function pipeline(framework: AgentFrameworkId, provider: 'openai' | 'anthropic', server: LlmDoubleServer) {
  return {
    version: 1,
    name: `chat-${framework}-${provider}`,
    nodes: [
      { id: 'in', type: 'source.text' },
      { id: 'model', type: 'llm.chat', config: { provider, model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5', baseUrl: server.url, apiKeyEnv: KEY_ENV, maxRetries: 0 } },
      { id: 'fact', type: 'test.fact' },
      { id: 'agent', type: 'agent.run', config: { framework }, inputs: [{ lane: 'question', from: 'in' }], uses: { llm: 'model', tools: ['fact'] } },
    ],
    outputs: [{ lane: 'answer', from: 'agent', as: 'answer' }],
  };
}

let servers: Record<'openai' | 'anthropic', LlmDoubleServer>;
let store: TraceStore;
before(async () => {
  servers = { openai: await startOpenAIChatServer({ apiKey: KEY, respond: script }), anthropic: await startAnthropicMessagesServer({ apiKey: KEY, respond: script }) };
  store = openTraceStore({ file: ':memory:' });
});
after(async () => {
  store.close();
  await servers.openai.close();
  await servers.anthropic.close();
});

test('30 concurrent chats over every framework: each answer and each span mentions only its own animal', { timeout: 120_000 }, async () => {
  const system = renderPrompt('agent-system').toLowerCase();
  assert.deepEqual(ANIMALS.filter((animal) => system.includes(animal)), [], 'the system prompt must not name a test animal');
  const engine = createEngine({ registry: createRegistry([sourceText, llmChat, agentRun, factNode]), traceStore: store });
  const env = { ...process.env, [KEY_ENV]: KEY };
  const results = await Promise.all(
    ANIMALS.map((animal, index) => {
      const { framework, provider } = VARIANTS[index % VARIANTS.length]!;
      return engine.run({ pipeline: pipeline(framework, provider, servers[provider]), inputs: [{ text: `Tell me something about the ${animal}.` }], env });
    }),
  );
  results.forEach((result, index) => {
    const animal = ANIMALS[index]!;
    const { framework } = VARIANTS[index % VARIANTS.length]!;
    assert.equal(result.status, 'succeeded', `${framework} / ${animal}: ${JSON.stringify(result.error)}`);
    const answer = (result.outputs.answer?.[0] as { text: string }).text;
    assert.equal(answer, `About the ${animal}: the ${animal} has ${animal.length} letters.`, `${framework} / ${animal}`);
    const spans = store.querySpans({ runId: result.runId, limit: 1000 });
    assert.ok(spans.some((span) => span.kind === 'agent-step') && spans.some((span) => span.kind === 'tool') && spans.some((span) => span.kind === 'llm'));
    for (const span of spans) {
      const text = JSON.stringify(span).toLowerCase();
      const foreign = ANIMALS.filter((other) => other !== animal && text.includes(other));
      assert.deepEqual(foreign, [], `${framework} chat about the ${animal}: ${span.kind} span ${span.nodeId} mentions ${foreign.join(', ')}`);
    }
  });
  assert.equal(new Set(results.map((result) => result.runId)).size, 30);
});
