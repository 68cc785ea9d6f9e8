import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLlmBinding, type ModelCall, type NormalizedRequest } from '../../src/providers/index.js';
import { startAnthropicMessagesServer } from '../doubles/anthropic-messages-server.js';
import { startOpenAIChatServer, type LlmDoubleRequest, type LlmDoubleServer, type Reply } from '../doubles/openai-chat-server.js';
import { ANTHROPIC_KEY, ENV, LOOKUP_TOOL, OPENAI_KEY, collect, testRun } from './helpers.js';

let openaiServer: LlmDoubleServer;
let anthropicServer: LlmDoubleServer;

// Every answer names the animal of the question and the tool result it saw.
const respond = (request: LlmDoubleRequest): Reply =>
  request.toolResultList.length === 0
    ? { toolCalls: [{ name: 'lookup', arguments: { animal: request.lastUserText.replace(/^About /, '') } }] }
    : { text: `Answer: ${request.toolResults.lookup}` };

before(async () => {
  openaiServer = await startOpenAIChatServer({ apiKey: OPENAI_KEY, respond });
  anthropicServer = await startAnthropicMessagesServer({ apiKey: ANTHROPIC_KEY, respond });
});
after(() => Promise.all([openaiServer.close(), anthropicServer.close()]));

const bindings = {
  openai: () => createLlmBinding({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: openaiServer.url }, { env: ENV }),
  anthropic: () => createLlmBinding({ provider: 'anthropic', model: 'claude-haiku-4-5', baseUrl: anthropicServer.origin }, { env: ENV }),
};

/** A two-call tool round trip; the second call streams when `stream`. */
async function roundTrip(provider: 'openai' | 'anthropic', animal: string, stream: boolean) {
  const model = bindings[provider]().model;
  const call: ModelCall = { messages: [{ role: 'system', content: 'You know animals.' }, { role: 'user', content: `About ${animal}` }], tools: [LOOKUP_TOOL], maxTokens: 200 };
  const first = await model.doGenerate(call);
  const toolCall = first.toolCalls[0]!;
  const next: ModelCall = {
    ...call,
    messages: [...call.messages, { role: 'assistant', content: '', toolCalls: [toolCall] }, { role: 'tool', toolCallId: toolCall.id, toolName: 'lookup', content: `${animal} facts` }],
  };
  if (!stream) return (await model.doGenerate(next)).text;
  return (await collect(model.doStream(next))).flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
}

for (const provider of ['openai', 'anthropic'] as const) {
  test(`${provider}: each HTTP call is an llm span under the node span, with request, response, tokens and cost, and no key`, async () => {
    const server = provider === 'openai' ? openaiServer : anthropicServer;
    const before = server.reportedUsage;
    const { spans, meter, within, run } = testRun();
    const answer = await within(() => roundTrip(provider, 'lynx', true));
    assert.equal(answer, 'Answer: lynx facts');

    assert.equal(spans.length, 2);
    for (const span of spans) {
      assert.equal(span.kind, 'llm');
      assert.equal(span.status, 'ok');
      assert.equal(span.runId, run.runId);
      assert.equal(span.parentSpanId, 'node-span');
      assert.equal(span.nodeId, 'chat');
      assert.equal(span.attributes!['gen_ai.system'], provider);
      assert.equal(span.attributes!['http.status'], 200);
      assert.ok(span.durationMs >= 0);
    }
    const [first, second] = spans as [(typeof spans)[0], (typeof spans)[0]];
    assert.deepEqual(first.attributes!['llm.request'], {
      messages: [
        { role: 'system', content: 'You know animals.' },
        { role: 'user', content: 'About lynx' },
      ],
      tools: [LOOKUP_TOOL],
      maxTokens: 200,
    } satisfies NormalizedRequest);
    const firstResponse = first.attributes!['llm.response'] as { text: string; toolCalls: Array<{ id: string; name: string; arguments: unknown }> };
    assert.deepEqual(firstResponse.toolCalls.map((call) => [call.name, call.arguments]), [['lookup', { animal: 'lynx' }]]);
    const secondRequest = second.attributes!['llm.request'] as NormalizedRequest;
    assert.deepEqual(secondRequest.messages.at(-1), { role: 'tool', toolCallId: firstResponse.toolCalls[0]!.id, toolName: 'lookup', content: 'lynx facts' });
    assert.deepEqual(second.attributes!['llm.response'], { text: 'Answer: lynx facts', toolCalls: [] });
    assert.deepEqual([first.attributes!['llm.stream'], second.attributes!['llm.stream']], [false, true]);
    assert.match(second.outputPreview ?? '', /Answer: lynx facts/);
    assert.match(second.inputPreview ?? '', /lynx facts/);

    // The totals the meter saw are the totals the server reported.
    const reported = server.reportedUsage;
    assert.equal(meter.inputTokens, reported.inputTokens - before.inputTokens);
    assert.equal(meter.outputTokens, reported.outputTokens - before.outputTokens);
    const tokens = spans.reduce((sum, span) => sum + (span.attributes!['gen_ai.usage.input_tokens'] as number), 0);
    assert.equal(tokens, meter.inputTokens);
    assert.ok((meter.costUsd ?? 0) > 0);

    const everything = JSON.stringify(spans) + JSON.stringify(meter.calls);
    assert.ok(!everything.includes(OPENAI_KEY) && !everything.includes(ANTHROPIC_KEY));
    assert.ok(!/authorization|x-api-key/i.test(everything));
  });

  test(`${provider}: with previews off, spans keep tokens and cost but no request, response or previews`, async () => {
    const { spans, meter, within } = testRun({ previews: false });
    await within(() => roundTrip(provider, 'puma', false));
    assert.equal(spans.length, 2);
    for (const span of spans) {
      assert.equal(span.attributes!['llm.request'], undefined);
      assert.equal(span.attributes!['llm.response'], undefined);
      assert.equal(span.inputPreview, undefined);
      assert.equal(span.outputPreview, undefined);
      assert.ok((span.attributes!['gen_ai.usage.input_tokens'] as number) > 0);
      assert.equal(typeof span.attributes!['cost.usd'], 'number');
    }
    assert.ok(!JSON.stringify(spans).includes('puma'));
    assert.ok(!JSON.stringify(meter.calls).includes('puma'));
  });
}

test('a recorded llm.request can be resent to another provider as is (what replay_llm_calls does)', async () => {
  const original = testRun();
  await original.within(() => roundTrip('anthropic', 'ibex', false));
  const recorded = original.spans[1]!.attributes!['llm.request'] as NormalizedRequest;
  const replay = testRun();
  const result = await replay.within(() => bindings.openai().model.doGenerate(recorded));
  assert.equal(result.text, 'Answer: ibex facts');
  assert.deepEqual(replay.spans[0]!.attributes!['llm.request'], recorded);
});

test('30 concurrent calls in 30 runs: every span holds only its own animal', async () => {
  const animals = Array.from({ length: 30 }, (_, index) => `animal${index}`);
  const runs = animals.map(() => testRun());
  const answers = await Promise.all(animals.map((animal, index) => runs[index]!.within(() => roundTrip(index % 2 ? 'anthropic' : 'openai', animal, index % 3 === 0))));
  assert.deepEqual(answers, animals.map((animal) => `Answer: ${animal} facts`));
  for (const [index, { spans }] of runs.entries()) {
    assert.equal(spans.length, 2);
    const mentioned = new Set(JSON.stringify(spans).match(/animal\d+/g));
    assert.deepEqual([...mentioned], [animals[index]]);
  }
});

test('a direct SDK stream without include_usage still yields usage on its span', async () => {
  openaiServer.respond = () => ({ text: 'streamed', usage: { inputTokens: 9, outputTokens: 4 } });
  try {
    const { spans, within } = testRun();
    const chunks = await within(async () => collect(await bindings.openai().openaiClient().chat.completions.create({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'x' }] })));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'streamed');
    assert.equal(spans[0]!.attributes!['gen_ai.usage.input_tokens'], 9);
    assert.equal(spans[0]!.attributes!['gen_ai.usage.output_tokens'], 4);
  } finally {
    openaiServer.respond = respond;
  }
});
