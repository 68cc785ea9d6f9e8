import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { isPipelaneError, type PipelaneError } from '../../src/node-kit/errors.js';
import { createLlmBinding, type ProviderId } from '../../src/providers/index.js';
import { startAnthropicMessagesServer } from '../doubles/anthropic-messages-server.js';
import { startOpenAIChatServer, type LlmDoubleServer } from '../doubles/openai-chat-server.js';
import { ANTHROPIC_KEY, ENV, OPENAI_KEY, collect, rejection, testRun } from './helpers.js';

const servers = {} as Record<'openai' | 'anthropic', LlmDoubleServer>;
const keys = { openai: OPENAI_KEY, anthropic: ANTHROPIC_KEY };
const models = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' };

before(async () => {
  servers.openai = await startOpenAIChatServer({ apiKey: OPENAI_KEY, echoKeyIn401: true });
  servers.anthropic = await startAnthropicMessagesServer({ apiKey: ANTHROPIC_KEY, echoKeyIn401: true });
});
after(() => Promise.all(Object.values(servers).map((server) => server.close())));

type Provider = 'openai' | 'anthropic';
const question = { messages: [{ role: 'user' as const, content: 'What does a badger eat?' }] };

function binding(provider: Provider, settings: { timeoutMs?: number; maxRetries?: number; env?: NodeJS.ProcessEnv } = {}) {
  const { env = ENV, ...rest } = settings;
  return createLlmBinding({ provider, model: models[provider], baseUrl: servers[provider].url, ...rest }, { env });
}

function asPipelane(error: unknown): PipelaneError {
  assert.ok(isPipelaneError(error), `expected a PipelaneError, got ${String(error)}`);
  return error;
}

for (const provider of ['openai', 'anthropic'] as const) {
  test(`${provider}: a 429 with retry-after: 1 is retried after a second; two spans, error then ok`, async () => {
    const server = servers[provider];
    const first = server.calls;
    server.respond = (request) => (request.index === first ? { status: 429, retryAfter: 1 } : { text: 'Badgers eat worms.' });
    const { spans, meter, within } = testRun();
    const started = Date.now();
    const result = await within(() => binding(provider).model.doGenerate(question));
    const elapsed = Date.now() - started;
    assert.equal(result.text, 'Badgers eat worms.');
    assert.ok(elapsed >= 1000, `retried after ${elapsed} ms, before retry-after`);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    assert.deepEqual(
      spans.map((span) => [span.status, span.attributes!['http.status'], span.error?.code]),
      [
        ['error', 429, 'LLM_RATE_LIMITED'],
        ['ok', 200, undefined],
      ],
    );
    assert.equal(meter.calls.length, 2);
    assert.equal(server.calls - first, 2);
  });

  test(`${provider}: 429 on every attempt ends as LLM_RATE_LIMITED after maxRetries`, async () => {
    servers[provider].respond = () => ({ status: 429, retryAfter: 0 });
    const error = asPipelane(await rejection(binding(provider, { maxRetries: 1 }).model.doGenerate(question)));
    assert.equal(error.code, 'LLM_RATE_LIMITED');
    assert.equal(error.retryable, true);
  });

  test(`${provider}: 401 → LLM_AUTH_FAILED naming the variable, never the key (even when the server echoes it)`, async () => {
    servers[provider].respond = () => ({ text: 'unreachable' });
    const wrongKey = `${keys[provider]}-revoked-0042`;
    const variable = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    const { spans, within } = testRun();
    const error = asPipelane(await within(() => rejection(binding(provider, { env: { [variable]: wrongKey } }).model.doGenerate(question))));
    assert.equal(error.code, 'LLM_AUTH_FAILED');
    assert.match(error.hint, new RegExp(variable));
    for (const text of [error.message, error.hint, JSON.stringify(error.toJSON()), JSON.stringify(spans)]) {
      assert.ok(!text.includes(wrongKey), `key leaked into: ${text}`);
    }
    // The server did echo it: the redaction is what kept it out.
    assert.match(error.message, /\*\*\*/);
    assert.equal(spans[0]?.error?.code, 'LLM_AUTH_FAILED');
  });

  test(`${provider}: no answer within timeoutMs → LLM_TIMEOUT`, async () => {
    servers[provider].respond = () => ({ text: 'too late', delayMs: 3000 });
    const { spans, within } = testRun();
    const started = Date.now();
    const error = asPipelane(await within(() => rejection(binding(provider, { timeoutMs: 300, maxRetries: 0 }).model.doGenerate(question))));
    assert.equal(error.code, 'LLM_TIMEOUT');
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(spans.map((span) => [span.status, span.error?.code]), [['error', 'LLM_TIMEOUT']]);
  });

  test(`${provider}: aborting the call's signal stops it within a second and rethrows the abort reason`, async () => {
    servers[provider].respond = () => ({ text: 'never', delayMs: 10_000 });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const { spans, within } = testRun();
    setTimeout(() => controller.abort(reason), 200);
    const started = Date.now();
    const error = await within(() => rejection(binding(provider).model.doGenerate({ ...question, signal: controller.signal })));
    assert.ok(Date.now() - started < 1200, `stopped after ${Date.now() - started} ms`);
    assert.equal(error, reason);
    assert.deepEqual(spans.map((span) => span.status), ['cancelled']);
  });

  test(`${provider}: cancelling the run stops a stream mid-way within a second, with no retry`, async () => {
    const server = servers[provider];
    server.respond = () => ({ text: 'a long answer about badgers '.repeat(20), chunkDelayMs: 100 });
    const { spans, controller, within } = testRun();
    const reason = new Error('run cancelled');
    const before = server.calls;
    const started = Date.now();
    const error = await within(async () => {
      const parts: unknown[] = [];
      try {
        for await (const part of binding(provider).model.doStream(question)) {
          parts.push(part);
          if (parts.length === 3) setTimeout(() => controller.abort(reason), 0);
        }
      } catch (caught) {
        return caught;
      }
      throw new Error('the stream was not stopped');
    });
    assert.equal(error, reason);
    assert.ok(Date.now() - started < 1500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.calls - before, 1);
    assert.deepEqual(spans.map((span) => span.status), ['cancelled']);
  });

  test(`${provider}: other 4xx → LLM_BAD_REQUEST with the provider's message; 5xx → LLM_UNAVAILABLE`, async () => {
    servers[provider].respond = () => ({ status: 400, message: 'max_tokens: must be at most 8192' });
    const bad = asPipelane(await rejection(binding(provider).model.doGenerate(question)));
    assert.equal(bad.code, 'LLM_BAD_REQUEST');
    assert.match(bad.message, /max_tokens: must be at most 8192/);
    servers[provider].respond = () => ({ status: 503 });
    const down = asPipelane(await rejection(binding(provider, { maxRetries: 0 }).model.doGenerate(question)));
    assert.equal(down.code, 'LLM_UNAVAILABLE');
    assert.equal(down.retryable, true);
  });
}

test('a server that is not there → LLM_UNAVAILABLE naming the base URL', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const llm = createLlmBinding({ provider: 'openai-compatible', model: 'llama3.2', baseUrl, maxRetries: 0 }, { env: {} });
  const error = asPipelane(await rejection(llm.model.doGenerate(question)));
  assert.equal(error.code, 'LLM_UNAVAILABLE');
  assert.ok(error.hint.includes(baseUrl));
});

test('a missing key → MISSING_API_KEY naming the variable (default or apiKeyEnv)', () => {
  const cases: Array<[ProviderId, string | undefined, string]> = [
    ['openai', undefined, 'OPENAI_API_KEY'],
    ['anthropic', undefined, 'ANTHROPIC_API_KEY'],
    ['openai', 'MY_GATEWAY_KEY', 'MY_GATEWAY_KEY'],
    ['openai-compatible', 'OPENROUTER_API_KEY', 'OPENROUTER_API_KEY'],
  ];
  for (const [provider, apiKeyEnv, variable] of cases) {
    assert.throws(
      () => createLlmBinding({ provider, model: 'm', baseUrl: 'http://127.0.0.1:9/v1', ...(apiKeyEnv ? { apiKeyEnv } : {}) }, { env: {} }),
      (error: unknown) => asPipelane(error).code === 'MISSING_API_KEY' && asPipelane(error).message.includes(variable) && asPipelane(error).hint.includes(variable),
    );
  }
});

test('the key is registered as a secret of the run that creates the binding', async () => {
  const first = testRun();
  const second = testRun();
  await first.within(async () => void binding('anthropic'));
  await second.within(async () => void binding('openai'));
  assert.deepEqual(first.secrets, [ANTHROPIC_KEY]);
  assert.deepEqual(second.secrets, [OPENAI_KEY]);
});
