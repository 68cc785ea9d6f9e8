import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { createLlmBinding, type ModelStreamPart } from '../../src/providers/index.js';
import { startAnthropicMessagesServer, type LlmDoubleServer } from '../doubles/anthropic-messages-server.js';
import { ANTHROPIC_KEY, ENV, LOOKUP_TOOL, collect, testRun } from './helpers.js';

let server: LlmDoubleServer;

before(async () => {
  server = await startAnthropicMessagesServer({ apiKey: ANTHROPIC_KEY });
});
after(() => server.close());

function binding(model = 'claude-sonnet-4-5') {
  // Written with /v1 on purpose: the Anthropic SDK adds /v1/messages itself.
  return createLlmBinding({ provider: 'anthropic', model, baseUrl: server.url }, { env: ENV });
}

test('anthropic: a plain answer; the system prompt travels separately', async () => {
  server.respond = (request) => ({ text: `${request.system} The heron is a bird.`, usage: { inputTokens: 30, outputTokens: 9 } });
  const result = await binding().model.doGenerate({
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Tell me about the heron' },
    ],
    temperature: 0,
  });
  assert.deepEqual(result, { text: 'Be brief. The heron is a bird.', toolCalls: [], usage: { inputTokens: 30, outputTokens: 9 }, finishReason: 'stop' });
  const sent = server.requests.at(-1)!;
  assert.equal(sent.path, '/v1/messages');
  assert.deepEqual(sent.body, {
    model: 'claude-sonnet-4-5',
    max_tokens: 4096,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Tell me about the heron' }],
    temperature: 0,
  });
});

test('anthropic: tool_use round trip; consecutive tool results are merged into one user turn', async () => {
  server.respond = (request) =>
    request.toolResultList.length === 0
      ? {
          text: 'Let me check.',
          toolCalls: [
            { name: 'lookup', arguments: { animal: 'heron' } },
            { name: 'lookup', arguments: { animal: 'egret' } },
          ],
        }
      : { text: `Both wade: ${request.toolResultList.map((result) => result.content).join(' / ')}` };
  const model = binding().model;
  const question = { role: 'user' as const, content: 'Compare herons and egrets.' };
  const first = await model.doGenerate({ messages: [question], tools: [LOOKUP_TOOL] });
  assert.equal(first.finishReason, 'tool-calls');
  assert.equal(first.text, 'Let me check.');
  assert.deepEqual(first.toolCalls.map((call) => call.arguments), [{ animal: 'heron' }, { animal: 'egret' }]);
  assert.deepEqual(server.requests.at(-1)!.body.tools, [{ name: 'lookup', description: LOOKUP_TOOL.description, input_schema: LOOKUP_TOOL.inputSchema }]);

  const [heron, egret] = first.toolCalls as [(typeof first.toolCalls)[0], (typeof first.toolCalls)[0]];
  const second = await model.doGenerate({
    messages: [
      question,
      { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: heron.id, toolName: 'lookup', content: 'grey, tall' },
      { role: 'tool', toolCallId: egret.id, toolName: 'lookup', content: 'white', isError: false },
    ],
    tools: [LOOKUP_TOOL],
  });
  assert.equal(second.text, 'Both wade: grey, tall / white');
  assert.deepEqual((server.requests.at(-1)!.body.messages as unknown[]).slice(1), [
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: heron.id, name: 'lookup', input: { animal: 'heron' } },
        { type: 'tool_use', id: egret.id, name: 'lookup', input: { animal: 'egret' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: heron.id, content: 'grey, tall' },
        { type: 'tool_result', tool_use_id: egret.id, content: 'white' },
      ],
    },
  ]);
});

test('anthropic: a failed tool is sent as a tool_result with is_error', async () => {
  server.respond = (request) => ({ text: request.toolResultList[0]?.isError ? 'the tool failed' : 'fine' });
  const result = await binding().model.doGenerate({
    messages: [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: {} }] },
      { role: 'tool', toolCallId: 'toolu_1', toolName: 'lookup', content: 'no such animal', isError: true },
    ],
  });
  assert.equal(result.text, 'the tool failed');
});

test('anthropic: streaming text deltas, then usage (input from message_start, output from message_delta) and end', async () => {
  server.respond = () => ({ text: 'Herons hunt by standing still.', usage: { inputTokens: 14, outputTokens: 11 } });
  const parts = await collect(binding().model.doStream({ messages: [{ role: 'user', content: 'heron fact' }] }));
  const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []));
  assert.ok(text.length > 3);
  assert.equal(text.join(''), 'Herons hunt by standing still.');
  assert.deepEqual(parts.slice(-2), [
    { type: 'usage', usage: { inputTokens: 14, outputTokens: 11 } },
    { type: 'end', finishReason: 'stop' },
  ] satisfies ModelStreamPart[]);
});

test('anthropic: streamed tool_use blocks are assembled from input_json_delta pieces', async () => {
  server.respond = () => ({ text: 'Looking.', toolCalls: [{ name: 'lookup', arguments: { animal: 'grey heron', tags: ['wader', 'Ardea cinerea'] } }] });
  const parts = await collect(binding().model.doStream({ messages: [{ role: 'user', content: 'heron' }], tools: [LOOKUP_TOOL] }));
  const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [part.toolCall] : []));
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]!.arguments, { animal: 'grey heron', tags: ['wader', 'Ardea cinerea'] });
  assert.ok(calls[0]!.id.startsWith('toolu_'));
  assert.deepEqual(parts.at(-1), { type: 'end', finishReason: 'tool-calls' });
});

test('anthropic: usage priced from the table (claude-sonnet-4-5: $3 / $15 per million), dated id included', async () => {
  server.respond = () => ({ text: 'ok', usage: { inputTokens: 2_000, outputTokens: 500 } });
  const { spans, meter, within } = testRun();
  await within(async () => {
    await binding('claude-sonnet-4-5-20250929').model.doGenerate({ messages: [{ role: 'user', content: 'hi' }] });
    await collect(binding('claude-sonnet-4-5-20250929').model.doStream({ messages: [{ role: 'user', content: 'hi' }] }));
  });
  const expected = (2_000 * 3 + 500 * 15) / 1e6;
  assert.deepEqual(spans.map((span) => span.attributes!['llm.stream']), [false, true]);
  for (const span of spans) assert.ok(Math.abs((span.attributes!['cost.usd'] as number) - expected) < 1e-12);
  assert.equal(meter.inputTokens, 4_000);
  assert.equal(meter.outputTokens, 1_000);
});

test('anthropic: the double accepts the key as authorization: Bearer (the SDK) and as x-api-key', async () => {
  server.respond = () => ({ text: 'hello' });
  const before = server.requests.length;
  await binding().model.doGenerate({ messages: [{ role: 'user', content: 'a' }] });
  const headerClient = new Anthropic({ apiKey: null, baseURL: server.origin, defaultHeaders: { 'x-api-key': ANTHROPIC_KEY }, maxRetries: 0 });
  const message = await headerClient.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'b' }] });
  assert.equal(message.content[0]?.type === 'text' ? message.content[0].text : '', 'hello');
  const seen = server.requests.slice(before).map((request) => [request.auth, request.status]);
  assert.deepEqual(seen, [
    ['bearer', 200],
    ['x-api-key', 200],
  ]);
});

test('anthropic: anthropicClient() is the same traced client; openaiClient() is refused', async () => {
  server.respond = () => ({ text: 'direct', usage: { inputTokens: 4, outputTokens: 2 } });
  const { spans, within } = testRun();
  const llm = binding('claude-haiku-4-5');
  const message = await within(() => llm.anthropicClient().messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }));
  assert.equal(message.usage.input_tokens, 4);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes!['cost.usd'], (4 * 1 + 2 * 5) / 1e6);
  assert.throws(() => llm.openaiClient(), { code: 'FRAMEWORK_PROVIDER_MISMATCH' });
});
