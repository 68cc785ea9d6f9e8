import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLlmBinding, type ModelStreamPart } from '../../src/providers/index.js';
import { startOpenAIChatServer, type LlmDoubleServer } from '../doubles/openai-chat-server.js';
import { ENV, LOOKUP_TOOL, OPENAI_KEY, collect, testRun } from './helpers.js';

let server: LlmDoubleServer;

before(async () => {
  server = await startOpenAIChatServer({ apiKey: OPENAI_KEY });
});
after(() => server.close());

function binding(model = 'gpt-4o-mini') {
  return createLlmBinding({ provider: 'openai', model, baseUrl: server.url }, { env: ENV });
}

test('openai: a plain answer, with the request sent in the Chat Completions format', async () => {
  server.respond = (request) => ({ text: `The ${request.lastUserText.split(' ').at(-1)} is a mammal.`, usage: { inputTokens: 21, outputTokens: 7 } });
  const result = await binding().model.doGenerate({
    messages: [
      { role: 'system', content: 'Answer in one sentence.' },
      { role: 'user', content: 'Tell me about the otter' },
    ],
    temperature: 0.2,
    maxTokens: 50,
  });
  assert.deepEqual(result, { text: 'The otter is a mammal.', toolCalls: [], usage: { inputTokens: 21, outputTokens: 7 }, finishReason: 'stop' });
  const sent = server.requests.at(-1)!;
  assert.equal(sent.path, '/v1/chat/completions');
  assert.equal(sent.headers.authorization, `Bearer ${OPENAI_KEY}`);
  assert.deepEqual(sent.body, {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Answer in one sentence.' },
      { role: 'user', content: 'Tell me about the otter' },
    ],
    temperature: 0.2,
    max_completion_tokens: 50,
  });
});

test('openai: tool call round trip (assistant tool call → tool result → answer)', async () => {
  server.respond = (request) =>
    request.toolResultList.length === 0
      ? { toolCalls: [{ name: 'lookup', arguments: { animal: 'otter' } }] }
      : { text: `Otters: ${request.toolResults.lookup}` };
  const model = binding().model;
  const question = { role: 'user' as const, content: 'What do otters eat?' };
  const first = await model.doGenerate({ messages: [question], tools: [LOOKUP_TOOL] });
  assert.equal(first.finishReason, 'tool-calls');
  assert.equal(first.text, '');
  assert.equal(first.toolCalls.length, 1);
  assert.equal(first.toolCalls[0]!.name, 'lookup');
  assert.deepEqual(first.toolCalls[0]!.arguments, { animal: 'otter' });
  assert.deepEqual(server.requests.at(-1)!.body.tools, [{ type: 'function', function: { name: 'lookup', description: LOOKUP_TOOL.description, parameters: LOOKUP_TOOL.inputSchema } }]);

  const call = first.toolCalls[0]!;
  const second = await model.doGenerate({
    messages: [question, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', toolCallId: call.id, toolName: 'lookup', content: 'fish and crabs' }],
    tools: [LOOKUP_TOOL],
  });
  assert.equal(second.text, 'Otters: fish and crabs');
  assert.equal(second.finishReason, 'stop');
  const wireMessages = server.requests.at(-1)!.body.messages as unknown[];
  assert.deepEqual(wireMessages.slice(1), [
    { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: 'lookup', arguments: '{"animal":"otter"}' } }] },
    { role: 'tool', tool_call_id: call.id, content: 'fish and crabs' },
  ]);
});

test('openai: streaming text arrives in several deltas, then usage and end', async () => {
  server.respond = () => ({ text: 'Otters hold hands while sleeping.', usage: { inputTokens: 12, outputTokens: 8 } });
  const parts = await collect(binding().model.doStream({ messages: [{ role: 'user', content: 'otter fact' }] }));
  const deltas = parts.filter((part): part is Extract<ModelStreamPart, { type: 'text-delta' }> => part.type === 'text-delta');
  assert.ok(deltas.length > 3, `expected several deltas, got ${deltas.length}`);
  assert.equal(deltas.map((part) => part.text).join(''), 'Otters hold hands while sleeping.');
  assert.deepEqual(parts.slice(-2), [
    { type: 'usage', usage: { inputTokens: 12, outputTokens: 8 } },
    { type: 'end', finishReason: 'stop' },
  ]);
  const body = server.requests.at(-1)!.body;
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
});

test('openai: streamed tool calls are assembled from argument pieces', async () => {
  server.respond = () => ({
    toolCalls: [
      { name: 'lookup', arguments: { animal: 'sea otter', facts: ['uses tools', 'dense fur'] } },
      { name: 'lookup', arguments: { animal: 'river otter' } },
    ],
  });
  const parts = await collect(binding().model.doStream({ messages: [{ role: 'user', content: 'both otters' }], tools: [LOOKUP_TOOL] }));
  const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolCall] : []));
  assert.deepEqual(
    calls.map((call) => call.arguments),
    [{ animal: 'sea otter', facts: ['uses tools', 'dense fur'] }, { animal: 'river otter' }],
  );
  assert.ok(calls.every((call) => call.id.startsWith('call_') && call.name === 'lookup'));
  assert.deepEqual(parts.at(-1), { type: 'end', finishReason: 'tool-calls' });
});

test('openai: usage is measured and priced from the table (gpt-4o-mini: $0.15 / $0.60 per million)', async () => {
  server.respond = () => ({ text: 'ok', usage: { inputTokens: 1_000, outputTokens: 2_000 } });
  const { spans, meter, within } = testRun();
  await within(() => binding('gpt-4o-mini-2024-07-18').model.doGenerate({ messages: [{ role: 'user', content: 'hi' }] }));
  assert.equal(spans.length, 1);
  const expected = (1_000 * 0.15 + 2_000 * 0.6) / 1e6;
  assert.ok(Math.abs((spans[0]!.attributes!['cost.usd'] as number) - expected) < 1e-12);
  assert.equal(spans[0]!.attributes!['gen_ai.usage.input_tokens'], 1_000);
  assert.equal(spans[0]!.attributes!['gen_ai.usage.output_tokens'], 2_000);
  assert.equal(meter.inputTokens, 1_000);
  assert.equal(meter.outputTokens, 2_000);
  assert.ok(Math.abs(meter.costUsd! - expected) < 1e-12);
});

test('openai: the SDK client of the binding is traced the same way', async () => {
  server.respond = () => ({ text: 'direct', usage: { inputTokens: 5, outputTokens: 3 } });
  const { spans, within } = testRun();
  const completion = await within(() => binding().openaiClient().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'direct call' }] }));
  assert.equal(completion.choices[0]!.message.content, 'direct');
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes!['gen_ai.request.model'], 'gpt-4o');
  assert.equal(spans[0]!.attributes!['cost.usd'], (5 * 2.5 + 3 * 10) / 1e6);
  assert.throws(() => binding().anthropicClient(), { code: 'FRAMEWORK_PROVIDER_MISMATCH' });
});
