import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_FRAMEWORK_IDS, type AgentFrameworkId } from '../../src/agent-kit/index.js';
import { BUILT_IN_PRICES } from '../../src/providers/index.js';
import type { LlmDoubleServer } from '../doubles/llm-double-kit.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';
import { API_KEY, KEY_ENV, QUESTION, REDACTED, startAgentsApp, structured, twoToolScript, type AgentsApp } from './agents-app.js';

/**
 * Issue 5 acceptance: compare_agents over 4 frameworks × 2 models gives 8 rows whose tokens and
 * cost are exactly what the servers reported, priced by the built-in table (one model per pair) or
 * by a `price` override (the other), with a judge score on every row. Each framework talks to a
 * double of its own, so every request a server answered belongs to exactly one row (by model).
 */

const PRICE_OVERRIDE = { inputPerMillion: 0.7, outputPerMillion: 2.9 };
const MODELS = {
  openai: [{ model: 'gpt-4o-mini' }, { model: 'house-small', price: PRICE_OVERRIDE }],
  anthropic: [{ model: 'claude-haiku-4-5' }, { model: 'claude-house', price: PRICE_OVERRIDE }],
} as const;

let app: AgentsApp;
let judge: LlmDoubleServer;
const doubles = new Map<AgentFrameworkId, LlmDoubleServer>();

before(async () => {
  app = await startAgentsApp(twoToolScript);
  doubles.set('anthropic-tools', app.anthropic);
  doubles.set('native', app.openai);
  doubles.set('langgraph', await startOpenAIChatServer({ apiKey: API_KEY, respond: twoToolScript }));
  doubles.set('openai-tools', await startOpenAIChatServer({ apiKey: API_KEY, respond: twoToolScript }));
  // Scores an answer by what it says; one reply fenced, one with prose around it: both must parse.
  judge = await startOpenAIChatServer({
    apiKey: API_KEY,
    respond: (request) =>
      request.lastUserText.includes(`Redacted: ${REDACTED} Chunks: 1.`)
        ? { text: request.index % 2 === 0 ? '```json\n{"score": 9, "reason": "Correct and concise."}\n```' : 'Verdict: {"score": 9, "reason": "Correct and concise."}' }
        : { text: '{"score": 1, "reason": "Wrong."}' },
  });
});
after(async () => {
  await app.close();
  await doubles.get('langgraph')?.close();
  await doubles.get('openai-tools')?.close();
  await judge.close();
  await app.remove();
});

test('compare_agents over 4 frameworks × 2 models: 8 rows whose tokens and cost match what the servers reported, judged', async () => {
  const variants = AGENT_FRAMEWORK_IDS.flatMap((framework) => {
    const provider = framework === 'anthropic-tools' ? ('anthropic' as const) : ('openai' as const);
    return MODELS[provider].map((model) => ({ framework, provider, ...model, baseUrl: doubles.get(framework)!.url, apiKeyEnv: KEY_ENV, maxRetries: 0 }));
  });
  const result = await app.call('compare_agents', {
    question: QUESTION,
    tools: ['pipe:redact', 'chunk.text'],
    maxSteps: 5,
    variants,
    judge: { provider: 'openai', model: 'gpt-4o', baseUrl: judge.url, apiKeyEnv: KEY_ENV },
  });
  const content = structured(result);
  assert.equal(result.isError, undefined, JSON.stringify(content));
  const rows = content.rows as Array<{
    framework: AgentFrameworkId; model: string; answer: string; steps: number; toolCalls: string[]; inputTokens: number; outputTokens: number;
    costUsd: number; latencyMs: number; error: unknown; judgeScore: number | null; judgeReason: string; runId: string;
  }>;
  assert.equal(rows.length, 8);
  for (const [index, row] of rows.entries()) {
    const variant = variants[index]!;
    const where = `${row.framework} ${row.model}`;
    assert.equal(row.framework, variant.framework);
    assert.equal(row.model, variant.model);
    assert.equal(row.error, null, where);
    assert.equal(row.answer, `Redacted: ${REDACTED} Chunks: 1.`, where);
    assert.equal(row.steps, 5, where);
    assert.deepEqual(row.toolCalls, ['pipe_redact', 'chunk_text'], where);
    assert.ok(row.latencyMs > 0, where);

    const answered = doubles.get(row.framework)!.requests.filter((request) => request.model === row.model && request.status === 200);
    assert.equal(answered.length, 3, `${where}: ${answered.length} answered requests`);
    const reported = answered.reduce((sum, request) => ({ input: sum.input + request.usage!.inputTokens, output: sum.output + request.usage!.outputTokens }), { input: 0, output: 0 });
    assert.equal(row.inputTokens, reported.input, where);
    assert.equal(row.outputTokens, reported.output, where);
    const price = 'price' in variant ? variant.price : BUILT_IN_PRICES[row.model]!;
    const expected = (reported.input * price.inputPerMillion + reported.output * price.outputPerMillion) / 1e6;
    assert.ok(Math.abs(row.costUsd - expected) < 1e-12, `${where}: cost ${row.costUsd}, reported usage prices at ${expected}`);

    assert.equal(row.judgeScore, 9, `${where}: ${row.judgeReason}`);
    assert.equal(row.judgeReason, 'Correct and concise.');
  }
  assert.equal(new Set(rows.map((row) => row.runId)).size, 8);
  assert.equal(content.judged, true);
  assert.equal(judge.requests.length, 8);
  const judgeRun = app.traceStore.getRun(String(content.judgeRunId));
  assert.equal(judgeRun?.pipeline, 'judge');
  const judgeSpans = app.spans(String(content.judgeRunId)).filter((span) => span.kind === 'llm');
  assert.equal(judgeSpans.length, 8);
  // gpt-4o from the table: the judge's calls are costed like any other.
  for (const span of judgeSpans) assert.equal(typeof span.attributes?.['cost.usd'], 'number');
});
