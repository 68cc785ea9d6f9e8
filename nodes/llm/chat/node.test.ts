import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runNode, type AnswerItem, type QuestionItem } from '../../../src/node-kit/index.js';
import { startAnthropicMessagesServer } from '../../../test/doubles/anthropic-messages-server.js';
import { startOpenAIChatServer, type LlmDoubleServer } from '../../../test/doubles/openai-chat-server.js';
import llmChat from './node.js';

const OPENAI_KEY = 'sk-test-llm-chat-openai-0123456789';
const ANTHROPIC_KEY = 'sk-ant-test-llm-chat-0123456789';
process.env.PIPELANE_TEST_LLM_CHAT_OPENAI = OPENAI_KEY;
process.env.PIPELANE_TEST_LLM_CHAT_ANTHROPIC = ANTHROPIC_KEY;

let openai: LlmDoubleServer;
let anthropic: LlmDoubleServer;
before(async () => {
  openai = await startOpenAIChatServer({ apiKey: OPENAI_KEY, echoKeyIn401: true });
  anthropic = await startAnthropicMessagesServer({ apiKey: ANTHROPIC_KEY });
});
after(async () => {
  await openai.close();
  await anthropic.close();
});

const openaiConfig = () => ({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.url, apiKeyEnv: 'PIPELANE_TEST_LLM_CHAT_OPENAI', maxRetries: 0 });
const anthropicConfig = () => ({ provider: 'anthropic', model: 'claude-haiku-4-5', baseUrl: anthropic.url, apiKeyEnv: 'PIPELANE_TEST_LLM_CHAT_ANTHROPIC', maxRetries: 0 });

async function ask(config: Record<string, unknown>, question: QuestionItem, env?: NodeJS.ProcessEnv) {
  const result = await runNode(llmChat, { config, items: [{ item: question }], ...(env ? { env } : {}) });
  assert.deepEqual(result.problems, []);
  return result;
}

test('OpenAI: the answer carries the text, the usage the server reported, its cost, and the span attributes', async () => {
  openai.respond = () => ({ text: 'Paris is the capital of France.', usage: { inputTokens: 1200, outputTokens: 300 } });
  const result = await ask({ ...openaiConfig(), temperature: 0.2, maxTokens: 64 }, { text: 'What is the capital of France?', meta: { source: 'cli' } });
  assert.deepEqual(result.errors, []);
  const answer = result.emitted[0]!.item as AnswerItem;
  const cost = (1200 * 0.15 + 300 * 0.6) / 1_000_000;
  assert.equal(answer.text, 'Paris is the capital of France.');
  assert.deepEqual(answer.usage, { inputTokens: 1200, outputTokens: 300 });
  assert.equal(answer.meta!.source, 'cli');
  assert.equal(answer.meta!.model, 'gpt-4o-mini');
  assert.equal(answer.meta!.costUsd, cost);
  assert.deepEqual(
    { ...result.attributes },
    {
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'cost.usd': cost,
      'llm.stream': false,
      'llm.finish_reason': 'stop',
    },
  );
  const request = openai.requests.at(-1)!;
  assert.equal(request.auth, 'bearer');
  assert.equal(request.body.model, 'gpt-4o-mini');
  assert.equal(request.body.temperature, 0.2);
  assert.equal(request.body.max_completion_tokens, 64);
  assert.deepEqual(request.body.messages, [{ role: 'user', content: 'What is the capital of France?' }]);
});

test('the system prompt comes from prompts/ with prompt:<name>', async () => {
  anthropic.respond = (request) => ({ text: request.system.startsWith('You are a careful assistant that can call tools.') ? 'ok' : `wrong system: ${request.system}` });
  const result = await ask({ ...anthropicConfig(), system: 'prompt:agent-system' }, { text: 'Hello?' });
  assert.equal((result.emitted[0]!.item as AnswerItem).text, 'ok');
  assert.notEqual(anthropic.requests.at(-1)!.auth, 'none');
  assert.equal(anthropic.requests.at(-1)!.lastUserText, 'Hello?');
});

test('history comes before one user turn holding the numbered context and the question; [n] in the answer become citations', async () => {
  openai.respond = () => ({ text: 'Branch traces start at hot side exits [2], see also [1, 2] and [9].' });
  const question: QuestionItem = {
    text: 'When is a branch trace recorded?',
    history: [{ role: 'user', content: 'Tell me about TraceMonkey.' }, { role: 'assistant', content: 'It is a tracing JIT.' }],
    context: [
      { id: 'tm#p1', text: 'TraceMonkey records loops.', metadata: { source: 'tracemonkey.pdf', page: 1 } },
      { id: 'tm#p5', text: ' A hot side exit starts a branch trace. ', metadata: {} },
    ],
  };
  const result = await ask({ ...openaiConfig(), system: 'Be brief.' }, question);
  assert.deepEqual(openai.requests.at(-1)!.body.messages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Tell me about TraceMonkey.' },
    { role: 'assistant', content: 'It is a tracing JIT.' },
    {
      role: 'user',
      content: 'Context (cite passages as [n]):\n[1] (tracemonkey.pdf, page 1) TraceMonkey records loops.\n\n[2] A hot side exit starts a branch trace.\n\nQuestion: When is a branch trace recorded?',
    },
  ]);
  assert.deepEqual((result.emitted[0]!.item as AnswerItem).citations, [{ id: 'tm#p5' }, { id: 'tm#p1' }]);
});

test('context an upstream prompt node already numbered into the text is not added again, and its numbers map the citations', async () => {
  openai.respond = () => ({ text: 'At hot side exits [1].' });
  const question: QuestionItem = {
    text: 'Use the passages.\n[1] (tracemonkey.pdf, page 5) A hot side exit…\nQuestion: when?',
    context: [{ id: 'tm#p5', text: 'A hot side exit…', metadata: {} }],
    meta: { question: 'when?', citations: [{ n: 1, id: 'tm#p5', source: 'tracemonkey.pdf', page: 5 }] },
  };
  const result = await ask(openaiConfig(), question);
  assert.deepEqual(openai.requests.at(-1)!.body.messages, [{ role: 'user', content: question.text }]);
  const answer = result.emitted[0]!.item as AnswerItem;
  assert.deepEqual(answer.citations, [{ id: 'tm#p5' }]);
  // Structured meta (the citation list) stays on the question; scalars carry over.
  assert.equal(answer.meta!.question, 'when?');
  assert.equal(answer.meta!.citations, undefined);
});

for (const [name, config] of [
  ['OpenAI', openaiConfig],
  ['Anthropic', anthropicConfig],
] as const) {
  test(`${name} streaming: the answer is assembled from the deltas with the streamed usage`, async () => {
    const server = name === 'OpenAI' ? openai : anthropic;
    const text = 'Streaming answers arrive in many small pieces.';
    server.respond = () => ({ text, usage: { inputTokens: 42, outputTokens: 17 }, chunkDelayMs: 2 });
    const result = await ask({ ...config(), stream: true }, { text: 'Stream please.' });
    assert.deepEqual(result.errors, []);
    assert.equal(server.requests.at(-1)!.stream, true);
    const answer = result.emitted[0]!.item as AnswerItem;
    assert.equal(answer.text, text);
    assert.deepEqual(answer.usage, { inputTokens: 42, outputTokens: 17 });
    assert.equal(result.attributes['llm.stream'], true);
    assert.equal(typeof result.attributes['llm.first_token_ms'], 'number');
  });
}

test('a refused key is LLM_AUTH_FAILED naming the variable, never the key', async () => {
  process.env.PIPELANE_TEST_LLM_CHAT_WRONG = 'sk-wrong-key-that-must-not-leak-987';
  const result = await runNode(llmChat, { config: { ...openaiConfig(), apiKeyEnv: 'PIPELANE_TEST_LLM_CHAT_WRONG' }, items: [{ item: { text: 'Hi' } }] });
  assert.equal(openai.requests.at(-1)!.status, 401);
  assert.equal(result.emitted.length, 0);
  const error = result.errors[0]!;
  assert.equal(error.code, 'LLM_AUTH_FAILED');
  assert.match(error.hint, /PIPELANE_TEST_LLM_CHAT_WRONG/);
  assert.ok(!JSON.stringify({ ...error.toJSON(), details: error.details }).includes('sk-wrong-key-that-must-not-leak-987'));
});

test('an unset key variable is MISSING_API_KEY before any request', async () => {
  const calls = openai.calls;
  const result = await runNode(llmChat, { config: { ...openaiConfig(), apiKeyEnv: 'PIPELANE_TEST_LLM_CHAT_UNSET' }, items: [{ item: { text: 'Hi' } }] });
  assert.equal(result.errors[0]?.code, 'MISSING_API_KEY');
  assert.match(result.errors[0]!.message, /PIPELANE_TEST_LLM_CHAT_UNSET/);
  assert.equal(openai.calls, calls);
});

test('an OpenAI-compatible server (Ollama) by a ${OLLAMA_URL} placeholder, without a key', async () => {
  const example = llmChat.examples!.find((entry) => entry.title.startsWith('Ollama'))!;
  const keyless = await startOpenAIChatServer();
  try {
    const result = await ask(example.config, { text: 'Hi Ollama' }, { OLLAMA_URL: keyless.url });
    assert.equal((result.emitted[0]!.item as AnswerItem).text, 'echo: Hi Ollama');
    assert.equal(keyless.requests[0]!.auth, 'none');
    assert.equal(keyless.requests[0]!.body.model, 'llama3.2');
    assert.equal(result.attributes['cost.usd'], 0);
  } finally {
    await keyless.close();
  }
});

test('languageModel gives only the model settings, with defaults, so an agent can bind this node', () => {
  const config = llmChat.config.parse({ provider: 'anthropic', model: 'claude-haiku-4-5', system: 'Be brief.', temperature: 0, stream: true });
  assert.deepEqual(llmChat.languageModel!(config), { provider: 'anthropic', model: 'claude-haiku-4-5', timeoutMs: 60_000, maxRetries: 2 });
});

test('the config needs a model, a baseUrl for openai-compatible, and a known prompt', () => {
  assert.deepEqual(llmChat.config.safeParse({ provider: 'openai-compatible', model: 'llama3.2' }).error?.issues.map((issue) => issue.path), [['baseUrl']]);
  assert.deepEqual(llmChat.config.safeParse({}).error?.issues.map((issue) => issue.path), [['model']]);
  assert.match(llmChat.config.safeParse({ model: 'gpt-4o-mini', system: 'prompt:agent-sytem' }).error?.issues[0]?.message ?? '', /Nearest: agent-system/);
});
