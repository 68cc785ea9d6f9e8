import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLlmBinding } from '../../src/providers/index.js';
import { startOpenAIChatServer, type LlmDoubleServer } from '../doubles/openai-chat-server.js';
import { OPENAI_KEY, collect, testRun } from './helpers.js';

// A local server without auth, like Ollama or llama.cpp: the double checks no key.
let server: LlmDoubleServer;
before(async () => {
  server = await startOpenAIChatServer({ respond: (request) => ({ text: `local: ${request.lastUserText}`, usage: { inputTokens: 6, outputTokens: 3 } }) });
});
after(() => server.close());

test('openai-compatible with a baseUrl and no key: no Authorization header, max_tokens, cost null', async () => {
  // OPENAI_API_KEY is set, and must not be sent to a server that did not ask for it.
  const llm = createLlmBinding({ provider: 'openai-compatible', model: 'llama3.2:3b', baseUrl: server.url }, { env: { OPENAI_API_KEY: OPENAI_KEY } });
  const { spans, within } = testRun();
  const result = await within(() => llm.model.doGenerate({ messages: [{ role: 'user', content: 'hello llama' }], maxTokens: 64 }));
  assert.equal(result.text, 'local: hello llama');
  const sent = server.requests.at(-1)!;
  assert.equal(sent.auth, 'none');
  assert.equal(sent.headers.authorization, undefined);
  assert.equal(sent.body.max_tokens, 64);
  assert.equal(sent.body.max_completion_tokens, undefined);
  assert.equal(llm.model.provider, 'openai-compatible');
  assert.equal(spans[0]!.attributes!['gen_ai.system'], 'openai-compatible');
  assert.equal(spans[0]!.attributes!['cost.usd'], null);
  assert.equal(spans[0]!.attributes!['gen_ai.usage.input_tokens'], 6);
});

test('openai-compatible streams, and answers on /chat/completions when the base URL has no /v1', async () => {
  const llm = createLlmBinding({ provider: 'openai-compatible', model: 'qwen2.5', baseUrl: server.origin }, { env: {} });
  const parts = await collect(llm.model.doStream({ messages: [{ role: 'user', content: 'stream please' }] }));
  assert.equal(parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join(''), 'local: stream please');
  assert.deepEqual(parts.at(-2), { type: 'usage', usage: { inputTokens: 6, outputTokens: 3 } });
  assert.equal(server.requests.at(-1)!.path, '/chat/completions');
});

test('openai-compatible with apiKeyEnv sends that key; the SDK client is available', async () => {
  const llm = createLlmBinding({ provider: 'openai-compatible', model: 'mixtral', baseUrl: server.url, apiKeyEnv: 'GATEWAY_KEY' }, { env: { GATEWAY_KEY: 'gw-secret-123456' } });
  await llm.openaiClient().chat.completions.create({ model: 'mixtral', messages: [{ role: 'user', content: 'k' }] });
  assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer gw-secret-123456');
  assert.throws(() => llm.anthropicClient(), { code: 'FRAMEWORK_PROVIDER_MISMATCH' });
});

test('openai-compatible without baseUrl, and invalid settings, are CONFIG_INVALID with a path', () => {
  assert.throws(() => createLlmBinding({ provider: 'openai-compatible', model: 'llama3' }, { env: {} }), { code: 'CONFIG_INVALID', path: '/baseUrl' });
  assert.throws(() => createLlmBinding({ provider: 'openai', model: '' }, { env: { OPENAI_API_KEY: OPENAI_KEY } }), { code: 'CONFIG_INVALID', path: '/model' });
  assert.throws(() => createLlmBinding({ provider: 'openai', model: 'gpt-4o', timeoutMs: -5 }, { env: { OPENAI_API_KEY: OPENAI_KEY } }), { code: 'CONFIG_INVALID', path: '/timeoutMs' });
});
