import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { agentFailure, defineAgent, runAgent, type AgentFramework, type AgentTask } from '../../src/agent-kit/index.js';
import { createRunContext, withRunContext } from '../../src/engine/run-context.js';
import { PipelaneError } from '../../src/node-kit/index.js';
import type { LanguageModel, LlmBinding } from '../../src/providers/spec.js';
import type { SpanRecord } from '../../src/trace/index.js';

// runAgent around adapters that misbehave in the ways the contract suite cannot provoke with a real loop.

const logger = pino({ level: 'silent' });
const model = { provider: 'openai', modelId: 'm' } as LanguageModel;
const task: AgentTask = { question: 'q?', tools: [], llm: { model } as LlmBinding, maxSteps: 2 };
const agent = (run: AgentFramework['run']) => defineAgent({ id: 'native', title: 't', description: 'd', run });

async function inRun(framework: AgentFramework, signal = new AbortController().signal) {
  const spans: SpanRecord[] = [];
  const context = createRunContext({ runId: 'r', pipeline: 'p', signal: new AbortController().signal, deadline: undefined, logger, previews: true, sink: (span) => spans.push(span) });
  const outcome = await withRunContext(context, () => runAgent(framework, task, { runId: 'r', signal, logger })).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error }),
  );
  return { ...outcome, spans };
}

test('an adapter that answers without calling anything: no steps, zero usage and cost, one ok agent-step span', async () => {
  const { result, spans } = await inRun(agent(async () => ({ answer: 'done' })));
  assert.deepEqual({ ...result, latencyMs: 0 }, { framework: 'native', answer: 'done', steps: [], usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, latencyMs: 0 });
  assert.equal(spans.length, 1);
  assert.equal(spans[0]?.kind, 'agent-step');
  assert.equal(spans[0]?.status, 'ok');
  assert.equal(spans[0]?.inputPreview, 'q?');
});

test('a typed error is kept whole (retryable, details) behind result.error', async () => {
  const thrown = new PipelaneError('LLM_RATE_LIMITED', 'slow down', { hint: 'wait', retryable: true, details: { retryAfter: 2 } });
  const { result, spans } = await inRun(agent(async () => Promise.reject(thrown)));
  assert.deepEqual(result?.error, { code: 'LLM_RATE_LIMITED', message: 'slow down', hint: 'wait', path: '' });
  assert.equal(agentFailure(result!), thrown);
  assert.equal(spans[0]?.status, 'error');
  assert.equal(spans[0]?.error?.code, 'LLM_RATE_LIMITED');
});

test('an adapter that swallows the cancel and answers still rejects with the abort reason', async () => {
  const controller = new AbortController();
  const reason = new PipelaneError('RUN_CANCELLED', 'cancelled', { hint: 'h' });
  const { result, error, spans } = await inRun(
    agent(async () => {
      controller.abort(reason);
      return { answer: 'answered anyway' };
    }),
    controller.signal,
  );
  assert.equal(result, undefined);
  assert.equal(error, reason);
  assert.equal(spans[0]?.status, 'cancelled');
});

test('an already cancelled signal never starts the adapter', async () => {
  const controller = new AbortController();
  controller.abort(new Error('gone'));
  let started = false;
  const { error } = await inRun(agent(async () => ((started = true), { answer: 'x' })), controller.signal);
  assert.equal((error as Error).message, 'gone');
  assert.equal(started, false);
});
