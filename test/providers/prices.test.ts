import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BUILT_IN_PRICES, costOf, createLlmBinding, lookupPrice, priceFor } from '../../src/providers/index.js';
import { startOpenAIChatServer, type LlmDoubleServer } from '../doubles/openai-chat-server.js';
import { ENV, OPENAI_KEY, testRun } from './helpers.js';

const folder = mkdtempSync(join(tmpdir(), 'pipelane-prices-'));
function priceFile(content: unknown): string {
  const path = join(folder, `prices-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

test('the built-in table: exact ids, dated ids and vendor-prefixed ids; a minor version is not its family', () => {
  assert.deepEqual(priceFor('gpt-4o', undefined, {}), { inputPerMillion: 2.5, outputPerMillion: 10 });
  assert.deepEqual(priceFor('gpt-4o-mini-2024-07-18', undefined, {}), BUILT_IN_PRICES['gpt-4o-mini']);
  assert.deepEqual(priceFor('gpt-4.1-2025-04-14', undefined, {}), BUILT_IN_PRICES['gpt-4.1']);
  assert.deepEqual(priceFor('claude-sonnet-4-5-20250929', undefined, {}), { inputPerMillion: 3, outputPerMillion: 15 });
  assert.deepEqual(priceFor('claude-3-5-haiku-latest', undefined, {}), { inputPerMillion: 0.8, outputPerMillion: 4 });
  assert.deepEqual(priceFor('openai/gpt-4o-mini', undefined, {}), BUILT_IN_PRICES['gpt-4o-mini']);
  assert.equal(priceFor('claude-opus-4-6', undefined, {}), undefined);
  assert.equal(priceFor('gpt-4o-audio-preview', undefined, {}), undefined);
  assert.equal(priceFor('llama3.2', undefined, {}), undefined);
});

test('costOf: USD per million tokens; null when the price is unknown', () => {
  assert.equal(costOf({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, { inputPerMillion: 3, outputPerMillion: 15 }), 18);
  assert.equal(costOf({ inputTokens: 250, outputTokens: 0 }, { inputPerMillion: 2, outputPerMillion: 8 }), 0.0005);
  assert.equal(costOf({ inputTokens: 10, outputTokens: 10 }, undefined), null);
});

test('settings.price beats PIPELANE_PRICES, which beats the built-in table', () => {
  const file = priceFile({ 'gpt-4o': { inputPerMillion: 1, outputPerMillion: 2 }, 'my-local-model': { inputPerMillion: 0, outputPerMillion: 0 } });
  const env = { PIPELANE_PRICES: file };
  assert.deepEqual(priceFor('gpt-4o-2024-08-06', undefined, env), { inputPerMillion: 1, outputPerMillion: 2 });
  assert.deepEqual(priceFor('my-local-model', undefined, env), { inputPerMillion: 0, outputPerMillion: 0 });
  assert.deepEqual(priceFor('gpt-4.1', undefined, env), BUILT_IN_PRICES['gpt-4.1']);
  assert.deepEqual(priceFor('gpt-4o', { inputPerMillion: 7, outputPerMillion: 9 }, env), { inputPerMillion: 7, outputPerMillion: 9 });
  assert.deepEqual(lookupPrice({ a: { inputPerMillion: 1, outputPerMillion: 1 } }, 'b'), undefined);
});

test('a malformed PIPELANE_PRICES file fails the binding with CONFIG_INVALID', () => {
  for (const content of ['{not json', { 'gpt-4o': { inputPerMillion: 1 } }, { 'gpt-4o': { inputPerMillion: -1, outputPerMillion: 1 } }]) {
    assert.throws(() => createLlmBinding({ model: 'gpt-4o' }, { env: { ...ENV, PIPELANE_PRICES: priceFile(content) } }), { code: 'CONFIG_INVALID' });
  }
  assert.throws(() => createLlmBinding({ model: 'gpt-4o' }, { env: { ...ENV, PIPELANE_PRICES: join(folder, 'missing.json') } }), { code: 'CONFIG_INVALID' });
});

let server: LlmDoubleServer;
before(async () => {
  server = await startOpenAIChatServer({ apiKey: OPENAI_KEY, respond: () => ({ text: 'ok', usage: { inputTokens: 100_000, outputTokens: 10_000 } }) });
});
after(() => server.close());

async function spanCost(settings: { model: string; price?: { inputPerMillion: number; outputPerMillion: number } }, env: NodeJS.ProcessEnv = ENV) {
  const { spans, meter, within } = testRun();
  await within(() => createLlmBinding({ provider: 'openai', baseUrl: server.url, ...settings }, { env }).model.doGenerate({ messages: [{ role: 'user', content: 'q' }] }));
  return { span: spans[0]!.attributes!['cost.usd'], meter: meter.costUsd };
}

test('spans are priced from settings.price, the price file, the table, or null when unknown', async () => {
  assert.deepEqual(await spanCost({ model: 'gpt-4o' }), { span: 0.35, meter: 0.35 });
  assert.deepEqual(await spanCost({ model: 'gpt-4o', price: { inputPerMillion: 10, outputPerMillion: 100 } }), { span: 2, meter: 2 });
  const file = priceFile({ 'in-house-7b': { inputPerMillion: 0.5, outputPerMillion: 1 } });
  assert.deepEqual(await spanCost({ model: 'in-house-7b' }, { ...ENV, PIPELANE_PRICES: file }), { span: 0.06, meter: 0.06 });
  assert.deepEqual(await spanCost({ model: 'in-house-7b' }), { span: null, meter: null });
});
