import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEngine } from '../../../src/engine/index.js';
import { createRegistry, type AnswerItem } from '../../../src/node-kit/index.js';
import { openTraceStore, type TraceStore } from '../../../src/trace/index.js';
import { startOpenAIChatServer, type LlmDoubleServer } from '../../../test/doubles/openai-chat-server.js';
import sourceText from '../../source/text/node.js';
import promptTemplate from '../../prompt/template/node.js';
import llmChat from './node.js';

// The same chain a user writes: source.text → prompt.template (prompt:…) → llm.chat, run by the engine.
const KEY = 'sk-test-llm-chat-pipeline-5f1e2d3c4b5a';
// Like embed.openai, llm.chat reads its key from the process environment (a node context has no run env).
process.env.CHAT_DOUBLE_KEY = KEY;

let server: LlmDoubleServer;
let store: TraceStore;
before(async () => {
  server = await startOpenAIChatServer({ apiKey: KEY, respond: (request) => ({ text: `Answer to: ${request.lastUserText}`, usage: { inputTokens: 100, outputTokens: 20 } }) });
  store = openTraceStore({ file: ':memory:' });
});
after(async () => {
  store?.close();
  await server?.close();
});

const pipeline = {
  version: 1,
  name: 'chat',
  nodes: [
    { id: 'in', type: 'source.text' },
    { id: 'tpl', type: 'prompt.template', config: { template: 'Answer in one sentence: {{text}}' }, inputs: [{ lane: 'question', from: 'in' }] },
    {
      id: 'chat',
      type: 'llm.chat',
      config: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: '${CHAT_DOUBLE_URL}', apiKeyEnv: 'CHAT_DOUBLE_KEY', system: 'prompt:agent-system' },
      inputs: [{ lane: 'question', from: 'tpl' }],
    },
  ],
  outputs: [{ lane: 'answer', from: 'chat', as: 'answer' }],
};

test('a templated question answered by llm.chat in a run: the answer, a node span with tokens and cost, and one llm span under it', async () => {
  const engine = createEngine({ registry: createRegistry([sourceText, promptTemplate, llmChat]), traceStore: store });
  const result = await engine.run({
    pipeline,
    inputs: [{ text: 'Why is the sky blue?' }],
    env: { ...process.env, CHAT_DOUBLE_URL: server.url },
  });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  const answer = result.outputs.answer![0] as AnswerItem;
  assert.equal(answer.text, 'Answer to: Answer in one sentence: Why is the sky blue?');
  assert.deepEqual(answer.usage, { inputTokens: 100, outputTokens: 20 });
  assert.match(server.requests[0]!.system, /^You are a careful assistant/);

  const spans = store.querySpans({ runId: result.runId });
  const chatSpan = spans.find((span) => span.kind === 'node' && span.nodeId === 'chat')!;
  const cost = (100 * 0.15 + 20 * 0.6) / 1_000_000;
  assert.equal(chatSpan.attributes?.['gen_ai.usage.input_tokens'], 100);
  assert.equal(chatSpan.attributes?.['gen_ai.usage.output_tokens'], 20);
  assert.equal(chatSpan.attributes?.['cost.usd'], cost);
  const llmSpans = spans.filter((span) => span.kind === 'llm');
  assert.equal(llmSpans.length, 1);
  assert.equal(llmSpans[0]!.parentSpanId, chatSpan.spanId);
  assert.equal(llmSpans[0]!.attributes?.['gen_ai.usage.input_tokens'], 100);
  assert.equal(llmSpans[0]!.attributes?.['cost.usd'], cost);
  assert.ok(!JSON.stringify({ spans, run: store.getRun(result.runId) }).includes(KEY), 'the API key is nowhere in the trace');
});
