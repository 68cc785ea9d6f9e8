import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findFramework } from '../../../src/agent-kit/index.js';
import { renderPrompt } from '../../../src/prompts/index.js';
import { runNode, type AnswerItem, type QuestionItem } from '../../../src/node-kit/index.js';
import native from '../../../agents/native/adapter.js';
import { TWO_TOOL_ANSWER, TWO_TOOL_QUESTION, endlessToolScript, startAgentHarness, twoToolScript, type AgentHarness } from '../../../test/agents/agent-harness.js';
import agentRun from './node.js';

let harness: AgentHarness;
before(async () => {
  harness = await startAgentHarness('openai');
});
after(() => harness.close());

function reset(respond = twoToolScript): void {
  harness.server.respond = respond;
  harness.server.requests.length = 0;
  harness.invocations.length = 0;
}

const ask = (question: QuestionItem, config: Record<string, unknown> = {}) =>
  runNode(agentRun, { config, items: [{ item: question }], llm: { llm: harness.binding }, tools: { tools: harness.tools } });

test('answers with the agent\'s text, the server-reported usage and the steps in meta', async () => {
  reset();
  const result = await ask({ text: TWO_TOOL_QUESTION, meta: { source: 'text' } });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  const answer = result.emitted[0]!.item as AnswerItem;
  assert.equal(answer.text, TWO_TOOL_ANSWER);
  assert.deepEqual(answer.usage, harness.server.requests.reduce((sum, request) => ({ inputTokens: sum.inputTokens + request.usage!.inputTokens, outputTokens: sum.outputTokens + request.usage!.outputTokens }), { inputTokens: 0, outputTokens: 0 }));
  assert.equal(answer.meta?.framework, 'native');
  assert.equal(answer.meta?.steps, 5);
  assert.deepEqual(answer.meta?.toolCalls, ['weather', 'pipe_convert']);
  assert.equal(answer.meta?.source, 'text');
  assert.equal(result.attributes['agent.framework'], 'native');
  assert.equal(result.attributes['agent.steps'], 5);
  assert.equal(result.attributes['gen_ai.usage.input_tokens'], answer.usage?.inputTokens);
  assert.equal(typeof result.attributes['cost.usd'], 'number');
});

test('the default system prompt is prompts/agent-system.md; a literal one is sent as is', async () => {
  reset(() => ({ text: 'ok' }));
  await ask({ text: 'Hello?' });
  assert.equal(harness.server.requests[0]?.system, renderPrompt('agent-system'));
  reset(() => ({ text: 'ok' }));
  await ask({ text: 'Hello?' }, { system: 'Answer in French.' });
  assert.equal(harness.server.requests[0]?.system, 'Answer in French.');
});

test('without prompts/agent-system.md the built-in system prompt is used, with a warning', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'pipelane-prompts-'));
  const previous = process.env.PIPELANE_PROMPTS_DIR;
  process.env.PIPELANE_PROMPTS_DIR = empty;
  try {
    reset(() => ({ text: 'ok' }));
    const result = await ask({ text: 'Hello?' });
    assert.match(harness.server.requests[0]?.system ?? '', /^You are a careful assistant/);
    assert.match(result.warnings[0] ?? '', /No prompt "agent-system".*built-in agent system prompt/);
  } finally {
    if (previous === undefined) delete process.env.PIPELANE_PROMPTS_DIR;
    else process.env.PIPELANE_PROMPTS_DIR = previous;
    rmSync(empty, { recursive: true });
  }
});

test('chat history and context documents reach the model before the question', async () => {
  reset(() => ({ text: 'ok' }));
  await ask({
    text: 'And tomorrow?',
    history: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'Sunny, 21 °C.' },
    ],
    context: [{ id: 'forecast-1', text: 'Rain expected on Friday.', metadata: {} }],
  });
  assert.equal(
    harness.server.requests[0]?.lastUserText,
    ['Conversation so far:', 'user: Weather in Paris?', 'assistant: Sunny, 21 °C.', '', 'Context:', '[1] (id forecast-1) Rain expected on Friday.', '', 'Question: And tomorrow?'].join('\n'),
  );
});

test('AGENT_MAX_STEPS fails the item and points at /config/maxSteps', async () => {
  reset(endlessToolScript);
  const result = await ask({ text: TWO_TOOL_QUESTION }, { maxSteps: 2 });
  assert.equal(result.emitted.length, 0);
  assert.equal(result.errors[0]?.code, 'AGENT_MAX_STEPS');
  assert.equal(result.errors[0]?.path, '/config/maxSteps');
  assert.equal(harness.server.requests.length, 2);
  assert.equal(result.attributes['agent.steps'], 3);
});

test('a provider error is the node\'s error, with its own code', async () => {
  reset(() => ({ status: 400, message: 'max_tokens is too large' }));
  const result = await ask({ text: TWO_TOOL_QUESTION }, { maxTokens: 999_999 });
  assert.equal(result.errors[0]?.code, 'LLM_BAD_REQUEST');
  assert.equal(harness.server.requests[0]?.body.max_tokens ?? harness.server.requests[0]?.body.max_completion_tokens, 999_999);
});

test('a framework that cannot speak the bound provider fails before any model call, pointing at /config/framework', async () => {
  reset();
  const result = await ask({ text: TWO_TOOL_QUESTION }, { framework: 'anthropic-tools' });
  assert.equal(result.errors[0]?.code, 'FRAMEWORK_PROVIDER_MISMATCH');
  assert.equal(result.errors[0]?.path, '/config/framework');
  assert.equal(harness.server.requests.length, 0);
});

test('an unknown framework id names the nearest and lists the known ones', () => {
  assert.throws(
    () => findFramework([native], 'nativ', '/config/framework'),
    (error: Error & { code?: string; path?: string }) =>
      error.code === 'UNKNOWN_FRAMEWORK' && error.path === '/config/framework' && /Did you mean "native"\? Known frameworks: native\./.test(error.message),
  );
});
