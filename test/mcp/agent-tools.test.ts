import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseJudgeReply } from '../../src/agents-service/index.js';
import { anthropicSdk, openaiSdk } from '../../src/providers/sdks.js';
import type { LlmDoubleRequest, Reply } from '../doubles/llm-double-kit.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';
import { KEY_ENV, QUESTION, modelFor, startAgentsApp, structured, twoToolScript, type AgentsApp } from '../acceptance/agents-app.js';

/**
 * run_agent, compare_agents and replay_llm_calls over the MCP client: happy paths and every
 * in-band error they add. Listed in test/unit/mcp/requirements.ts.
 */

/** The two-tool task, except that a question starting with "Just answer" gets a direct answer naming the model. */
function script(request: LlmDoubleRequest): Reply {
  if (request.lastUserText.startsWith('Slowly answer')) return { text: 'Slow answer.', delayMs: 4_500 };
  if (request.lastUserText.startsWith('Just answer')) return { text: `Direct answer from ${request.model}.`, delayMs: 300 };
  return twoToolScript(request);
}

describe('agent MCP tools', () => {
  let app: AgentsApp;
  before(async () => {
    app = await startAgentsApp(script);
  });
  after(async () => {
    await app.close();
    await app.remove();
  });

  test('run_agent answers with steps, usage and a cost priced by the table, as a run in the trace store', async () => {
    const before = app.openai.reportedUsage;
    const result = await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), tools: ['pipe:redact', 'chunk.text'] });
    const record = structured(result);
    assert.equal(result.isError, undefined, JSON.stringify(record));
    const after = app.openai.reportedUsage;
    const usage = { inputTokens: after.inputTokens - before.inputTokens, outputTokens: after.outputTokens - before.outputTokens };
    assert.deepEqual(record.usage, usage);
    // gpt-4o-mini: $0.15 / $0.60 per million input / output tokens.
    assert.ok(Math.abs(Number(record.costUsd) - (usage.inputTokens * 0.15 + usage.outputTokens * 0.6) / 1e6) < 1e-12, String(record.costUsd));
    const steps = record.steps as Array<{ kind: string; inputTokens?: number; costUsd?: number | null; spanId: string }>;
    assert.equal(steps.filter((step) => step.kind === 'llm').reduce((sum, step) => sum + (step.inputTokens ?? 0), 0), usage.inputTokens);
    assert.equal(app.traceStore.getRun(String(record.runId))?.status, 'succeeded');
    const spanIds = new Set(app.spans(String(record.runId)).map((span) => span.spanId));
    for (const step of steps) assert.ok(spanIds.has(step.spanId), `step span ${step.spanId} is not in the run`);
  });

  test('run_agent sends progress naming the run first, then a heartbeat while the model is slow', async () => {
    const progress: Array<{ progress: number; message?: string }> = [];
    const result = (await app.client.callTool(
      { name: 'run_agent', arguments: { question: 'Slowly answer: hi', framework: 'native', ...modelFor(app, 'native') } },
      undefined,
      { onprogress: (update) => void progress.push(update), timeout: 60_000 },
    )) as CallToolResult;
    const record = structured(result);
    assert.equal(record.answer, 'Slow answer.');
    assert.ok(progress.length >= 2, `${progress.length} progress notification(s)`);
    assert.equal(progress[0]!.message, `run ${String(record.runId)} started`);
    assert.deepEqual(progress.map((update) => update.progress), progress.map((_update, index) => index));
    assert.match(progress[1]!.message ?? '', /model and tool call\(s\) so far/);
  });

  test('run_agent with an unknown tool type is AGENT_SETUP_INVALID at /tools/<i>, naming the nearest type, and nothing runs', async () => {
    const requests = app.openai.calls;
    const result = await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), tools: ['pipe:redact', 'chunk.txt'] });
    const record = structured(result);
    assert.equal(result.isError, true);
    assert.equal(record.code, 'AGENT_SETUP_INVALID');
    assert.equal(record.path, '/tools/1');
    const problems = record.problems as Array<{ code: string; path: string; message: string; fix?: unknown }>;
    const unknown = problems.find((problem) => problem.code === 'UNKNOWN_NODE_TYPE');
    assert.equal(unknown?.path, '/tools/1');
    assert.match(`${unknown?.message}`, /chunk\.text/);
    assert.equal(unknown?.fix, undefined, 'a fix patching the generated pipeline would mislead');
    assert.equal(app.openai.calls, requests);
  });

  test('run_agent with an unsaved pipeline tool is AGENT_SETUP_INVALID at /tools/<i>', async () => {
    const result = await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), tools: ['pipe:redcat'] });
    const record = structured(result);
    assert.equal(record.code, 'AGENT_SETUP_INVALID');
    assert.equal(record.path, '/tools/0');
    assert.match(JSON.stringify(record.problems), /redact/);
  });

  test('run_agent with an unset key variable fails in-band with MISSING_API_KEY naming the variable, with its run id', async () => {
    const result = await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), apiKeyEnv: 'PIPELANE_TEST_UNSET_KEY' });
    const record = structured(result);
    assert.equal(result.isError, true);
    assert.equal(record.code, 'MISSING_API_KEY');
    assert.match(String(record.message), /PIPELANE_TEST_UNSET_KEY/);
    assert.equal(app.traceStore.getRun(String(record.runId))?.status, 'failed');
  });

  test('run_agent with openai-tools on an Anthropic model is FRAMEWORK_PROVIDER_MISMATCH', async () => {
    const result = await app.call('run_agent', { question: QUESTION, framework: 'openai-tools', ...modelFor(app, 'openai-tools', 'anthropic') });
    assert.equal(result.isError, true);
    assert.equal(structured(result).code, 'FRAMEWORK_PROVIDER_MISMATCH');
  });

  test('run_agent with an unknown framework is refused by its input schema, naming the frameworks', async () => {
    const result = await app.call('run_agent', { question: QUESTION, framework: 'crewai', ...modelFor(app, 'native') });
    assert.equal(result.isError, true);
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    assert.match(text, /framework/);
    assert.match(text, /langgraph/);
  });

  test('compare_agents runs the variants concurrently, reports progress per variant, and a failing variant is a row with its error', async () => {
    // The frameworks and SDKs load on first use; loaded first so that the timing below measures concurrency only.
    await Promise.all([import('../../agents/langgraph/run-langgraph.js'), import('../../agents/anthropic-tools/tool-runner.js')]);
    openaiSdk();
    anthropicSdk();
    const started = Date.now();
    const progress: Array<{ progress: number; total?: number }> = [];
    const call = (name: string, args: Record<string, unknown>) =>
      app.client.callTool({ name, arguments: args }, undefined, { onprogress: (update) => void progress.push(update), timeout: 60_000 }) as Promise<CallToolResult>;
    const result = await call('compare_agents', {
      question: 'Just answer: which model are you?',
      variants: [
        { framework: 'native', ...modelFor(app, 'native') },
        { framework: 'langgraph', ...modelFor(app, 'langgraph'), label: 'graph' },
        { framework: 'openai-tools', ...modelFor(app, 'openai-tools') },
        { framework: 'anthropic-tools', ...modelFor(app, 'anthropic-tools') },
        { framework: 'native', ...modelFor(app, 'native'), apiKeyEnv: 'PIPELANE_TEST_UNSET_KEY', label: 'no key' },
      ],
    });
    const elapsed = Date.now() - started;
    const content = structured(result);
    assert.equal(result.isError, undefined, JSON.stringify(content));
    const rows = content.rows as Array<{ label: string; answer: string; error: { code: string } | null; runId: string | null; judgeScore: number | null }>;
    assert.deepEqual(rows.map((row) => row.label), ['native openai:gpt-4o-mini', 'graph', 'openai-tools openai:gpt-4o-mini', 'anthropic-tools anthropic:claude-haiku-4-5', 'no key']);
    assert.deepEqual(rows.slice(0, 4).map((row) => row.answer), ['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini', 'claude-haiku-4-5'].map((model) => `Direct answer from ${model}.`));
    assert.equal(rows[4]!.error?.code, 'MISSING_API_KEY');
    assert.equal(content.judged, false);
    assert.ok(rows.every((row) => row.judgeScore === null));
    assert.equal(new Set(rows.map((row) => row.runId)).size, 5, 'each variant is its own run');
    // Each answer waits 300 ms at the double: run one after another they would take 1.2 s at least.
    assert.ok(elapsed < 1_100, `the variants took ${elapsed} ms: not concurrent`);
    assert.deepEqual(progress.map((update) => [update.progress, update.total]), [[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
  });

  test('compare_agents with a judge scores each answer in a run named "judge"; an unusable reply gives null and says why', async () => {
    const judge = await startOpenAIChatServer({
      respond: (request) => (request.lastUserText.includes('claude') ? { text: 'I would say it is decent.' } : { text: '```json\n{"score": 8, "reason": "Names its model."}\n```' }),
    });
    try {
      const result = await app.call('compare_agents', {
        question: 'Just answer: which model are you?',
        variants: [
          { framework: 'native', ...modelFor(app, 'native') },
          { framework: 'anthropic-tools', ...modelFor(app, 'anthropic-tools') },
        ],
        judge: { provider: 'openai-compatible', model: 'judge-model', baseUrl: judge.url },
      });
      const content = structured(result);
      assert.equal(content.judged, true);
      assert.equal(content.judge, 'openai-compatible:judge-model');
      const rows = content.rows as Array<{ judgeScore: number | null; judgeReason: string }>;
      assert.deepEqual(rows.map((row) => row.judgeScore), [8, null]);
      assert.equal(rows[0]!.judgeReason, 'Names its model.');
      assert.match(rows[1]!.judgeReason, /no JSON.*decent/);
      // The judge saw the task and each answer through prompts/judge.md.
      assert.equal(judge.requests.length, 2);
      for (const request of judge.requests) assert.match(request.lastUserText, /Task:\nJust answer: which model are you\?\n\nAnswer:\nDirect answer from/);
      const judgeRun = app.traceStore.getRun(String(content.judgeRunId));
      assert.equal(judgeRun?.pipeline, 'judge');
      assert.equal(judgeRun?.status, 'succeeded');
      const spans = app.spans(String(content.judgeRunId));
      assert.equal(spans.filter((span) => span.kind === 'llm').length, 2);
      assert.equal(spans.filter((span) => span.kind === 'node' && span.nodeType === 'judge').length, 2);
    } finally {
      await judge.close();
    }
  });

  test('compare_agents takes its judge from PIPELANE_JUDGE_MODEL, and a malformed value is JUDGE_MODEL_INVALID before any run', async () => {
    const requests = app.openai.calls;
    process.env.PIPELANE_JUDGE_MODEL = 'gpt-4o-mini';
    try {
      const result = await app.call('compare_agents', { question: 'Just answer: hi', variants: [{ framework: 'native', ...modelFor(app, 'native') }] });
      assert.equal(result.isError, true);
      assert.equal(structured(result).code, 'JUDGE_MODEL_INVALID');
      assert.equal(app.openai.calls, requests);
      process.env.PIPELANE_JUDGE_MODEL = 'openai:gpt-4o-mini';
      process.env.PIPELANE_JUDGE_BASE_URL = app.openai.url;
      process.env.PIPELANE_JUDGE_API_KEY_ENV = KEY_ENV;
      const judged = structured(await app.call('compare_agents', { question: 'Just answer: hi', variants: [{ framework: 'native', ...modelFor(app, 'native') }] }));
      assert.equal(judged.judged, true);
      assert.equal(judged.judge, 'openai:gpt-4o-mini');
      // The double answers the judge prompt with the two-tool script's text: not JSON, so no score.
      assert.equal((judged.rows as Array<{ judgeScore: unknown }>)[0]!.judgeScore, null);
    } finally {
      delete process.env.PIPELANE_JUDGE_MODEL;
      delete process.env.PIPELANE_JUDGE_BASE_URL;
      delete process.env.PIPELANE_JUDGE_API_KEY_ENV;
    }
  });

  test('replay_llm_calls resends every recorded call to another model, side by side, in a run named "replay"', async () => {
    const original = structured(await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), tools: ['pipe:redact', 'chunk.text'] }));
    const before = app.anthropic.reportedUsage;
    const requestsBefore = app.anthropic.requests.length;
    const result = await app.call('replay_llm_calls', { runId: original.runId, ...modelFor(app, 'anthropic-tools') });
    const content = structured(result);
    assert.equal(result.isError, undefined, JSON.stringify(content));
    const calls = content.calls as Array<{ spanId: string; original: { model: string; toolCalls: Array<{ name: string }>; text: string; inputTokens: number; costUsd: number }; replay: { model: string; toolCalls: Array<{ name: string; arguments: unknown }>; text: string; inputTokens: number; outputTokens: number; costUsd: number } }>;
    assert.equal(calls.length, 3);
    assert.deepEqual(calls.map((call) => call.original.model), ['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini']);
    assert.deepEqual(calls.map((call) => call.replay.model), ['claude-haiku-4-5', 'claude-haiku-4-5', 'claude-haiku-4-5']);
    // The same conversations reached the other model, so the scripted model makes the same moves.
    assert.deepEqual(calls.map((call) => call.replay.toolCalls.map((toolCall) => toolCall.name)), [['pipe_redact'], ['chunk_text'], []]);
    assert.deepEqual(calls.map((call) => call.original.toolCalls.map((toolCall) => toolCall.name)), [['pipe_redact'], ['chunk_text'], []]);
    assert.equal(calls[2]!.replay.text, original.answer);
    const replayed = app.anthropic.requests.slice(requestsBefore);
    assert.equal(replayed.length, 3);
    assert.deepEqual(replayed.map((request) => request.toolNames), [['pipe_redact', 'chunk_text'], ['pipe_redact', 'chunk_text'], ['pipe_redact', 'chunk_text']]);
    const after = app.anthropic.reportedUsage;
    const totals = content.totals as { original: { inputTokens: number; costUsd: number }; replay: { inputTokens: number; outputTokens: number; tokens: number; costUsd: number } };
    assert.equal(totals.replay.inputTokens, after.inputTokens - before.inputTokens);
    assert.equal(totals.replay.tokens, totals.replay.inputTokens + totals.replay.outputTokens);
    // claude-haiku-4-5: $1 / $5 per million.
    assert.ok(Math.abs(totals.replay.costUsd - (totals.replay.inputTokens * 1 + totals.replay.outputTokens * 5) / 1e6) < 1e-12);
    assert.equal(totals.original.inputTokens, (original.usage as { inputTokens: number }).inputTokens);
    assert.ok(Math.abs(totals.original.costUsd - Number(original.costUsd)) < 1e-12);
    const replayRun = app.traceStore.getRun(String(content.replayRunId));
    assert.equal(replayRun?.pipeline, 'replay');
    assert.equal(app.spans(String(content.replayRunId)).filter((span) => span.kind === 'llm').length, 3);
  });

  test('replay_llm_calls with limit replays the first calls and counts the rest as skipped', async () => {
    const original = structured(await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), tools: ['pipe:redact', 'chunk.text'] }));
    const content = structured(await app.call('replay_llm_calls', { runId: original.runId, ...modelFor(app, 'native'), model: 'gpt-4.1-nano', limit: 2 }));
    assert.equal((content.calls as unknown[]).length, 2);
    assert.equal(content.skipped, 1);
  });

  test('replay_llm_calls with an unknown run is RUN_NOT_FOUND at /runId', async () => {
    const result = await app.call('replay_llm_calls', { runId: 'no-such-run', ...modelFor(app, 'native') });
    assert.equal(result.isError, true);
    assert.equal(structured(result).code, 'RUN_NOT_FOUND');
    assert.equal(structured(result).path, '/runId');
  });

  test('replay_llm_calls on a run without model calls is RUN_HAS_NO_LLM_CALLS', async () => {
    const judged = structured(await app.call('run_agent', { question: QUESTION, framework: 'native', ...modelFor(app, 'native'), apiKeyEnv: 'PIPELANE_TEST_UNSET_KEY' }));
    const result = await app.call('replay_llm_calls', { runId: judged.runId, ...modelFor(app, 'native') });
    assert.equal(structured(result).code, 'RUN_HAS_NO_LLM_CALLS');
  });

  test('replay_llm_calls on a run traced with previews off is LLM_REQUESTS_NOT_RECORDED, saying why', async () => {
    const quiet = await startAgentsApp(script, { tracePreviews: false });
    try {
      const original = structured(await quiet.call('run_agent', { question: 'Just answer: hi', framework: 'native', ...modelFor(quiet, 'native') }));
      assert.equal(original.answer, 'Direct answer from gpt-4o-mini.');
      const result = await quiet.call('replay_llm_calls', { runId: original.runId, ...modelFor(quiet, 'native') });
      const content = structured(result);
      assert.equal(content.code, 'LLM_REQUESTS_NOT_RECORDED');
      assert.match(String(content.message), /PIPELANE_TRACE_PREVIEWS=off/);
    } finally {
      await quiet.close();
      await quiet.remove();
    }
  });
});

test('parseJudgeReply reads fenced, embedded and string scores, and refuses out-of-range or missing ones', () => {
  assert.deepEqual(parseJudgeReply('{"score": 7, "reason": "Right."}'), { score: 7, reason: 'Right.' });
  assert.deepEqual(parseJudgeReply('Here you go:\n```json\n{"score": "9", "reason": "Has {braces} and \\"quotes\\"."}\n```'), { score: 9, reason: 'Has {braces} and "quotes".' });
  assert.deepEqual(parseJudgeReply('{"note": {"x": 1}} then {"score": 3}'), { score: 3, reason: '(no reason given)' });
  assert.equal(parseJudgeReply('{"score": 11, "reason": "Too generous."}').score, null);
  assert.match(parseJudgeReply('{"score": 11}').reason, /not a number from 0 to 10/);
  assert.match(parseJudgeReply('Great answer, 10/10').reason, /no JSON/);
  assert.match(parseJudgeReply('').reason, /empty reply/);
});
