import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_FRAMEWORK_IDS, type AgentFrameworkId } from '../../src/agent-kit/index.js';
import type { RunRecord } from '../../src/trace/index.js';
import type { LlmDoubleRequest, Reply } from '../doubles/llm-double-kit.js';
import { KEY_ENV, modelFor, startAgentsApp, type AgentsApp } from './agents-app.js';

/**
 * Issue 5 acceptance: cancelling a run_agent request mid-agent (the MCP client aborts, the server
 * gets notifications/cancelled) stops further model and tool calls within one second, whether the
 * agent is waiting on its model or inside a tool (a saved pipeline whose own model call is slow).
 */

const SLOW_MS = 5_000;

interface Arrival {
  at: number;
  model: string;
}

let app: AgentsApp;
const arrivals: Arrival[] = [];
let slowArrived: () => void = () => undefined;

/**
 * First call: a tool (pipe_slowchat when the question asks for it, else pipe_redact). Any call that
 * has a tool result, and the saved pipeline's own model `slow-model`, answer only after SLOW_MS.
 */
function script(request: LlmDoubleRequest): Reply {
  arrivals.push({ at: Date.now(), model: request.model });
  if (request.model === 'slow-model' || request.toolResultList.length > 0) {
    slowArrived();
    return { delayMs: SLOW_MS, text: 'too late' };
  }
  const tool = request.lastUserText.includes('slow chat') ? 'pipe_slowchat' : 'pipe_redact';
  return { toolCalls: [{ name: tool, arguments: { text: 'Write to jane.doe@example.com.' } }] };
}

before(async () => {
  app = await startAgentsApp(script);
  const slowChat = {
    version: 1,
    name: 'slowchat',
    description: 'Asks a slow model',
    nodes: [
      { id: 'in', type: 'source.text' },
      { id: 'chat', type: 'llm.chat', config: { provider: 'openai', model: 'slow-model', baseUrl: app.openai.url, apiKeyEnv: KEY_ENV, maxRetries: 0 }, inputs: [{ lane: 'question', from: 'in' }] },
    ],
    outputs: [{ lane: 'answer', from: 'chat', as: 'answer' }],
  };
  await writeFile(join(app.workspaceRoot, 'pipelines', 'slowchat.pipe.json'), JSON.stringify(slowChat));
});
after(async () => {
  await app.close();
  await app.remove();
});

async function settled(pipeline: string, since: number): Promise<RunRecord> {
  for (let waited = 0; waited < 3_000; waited += 20) {
    const run = app.traceStore.queryRuns({ pipeline, limit: 1 })[0];
    if (run && Date.parse(run.startedAt) >= since && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no finished ${pipeline} run`);
}

/** Starts run_agent, aborts the request 100 ms after the slow call arrived, returns when and the run. */
async function cancelMidAgent(framework: AgentFrameworkId, question: string): Promise<{ abortedAt: number; run: RunRecord }> {
  const since = Date.now() - 5;
  const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
  const controller = new AbortController();
  const call = app.call('run_agent', { question, framework, ...modelFor(app, framework), tools: ['pipe:redact', 'pipe:slowchat'] }, { signal: controller.signal });
  const outcome = call.then(
    () => 'answered',
    (error: unknown) => (error instanceof Error ? error.name : String(error)),
  );
  await Promise.race([arrived, outcome.then((value) => assert.fail(`run_agent ended before the slow call: ${value}`))]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const abortedAt = Date.now();
  controller.abort();
  assert.notEqual(await outcome, 'answered');
  const run = await settled(`agent-${framework}`, since);
  return { abortedAt, run };
}

for (const framework of AGENT_FRAMEWORK_IDS) {
  test(`${framework}: cancelling during a model call stops the run within one second, with no model or tool call after`, async () => {
    const { abortedAt, run } = await cancelMidAgent(framework, 'Redact this note.');
    assert.equal(run.status, 'cancelled');
    const endedAfter = Date.parse(run.endedAt!) - abortedAt;
    assert.ok(endedAfter < 1_000, `the run ended ${endedAfter} ms after the cancel`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const late = arrivals.filter((arrival) => arrival.at > abortedAt);
    assert.deepEqual(late, [], 'model calls after the cancel');
    const spans = app.spans(run.runId);
    assert.equal(spans.filter((span) => span.kind === 'tool').length, 1, 'only the tool call made before the cancel');
    assert.ok(spans.every((span) => Date.parse(span.startedAt) <= abortedAt), 'a span started after the cancel');
    assert.equal(spans.find((span) => span.kind === 'agent-step')?.status, 'cancelled');
  });

  test(`${framework}: cancelling inside a saved-pipeline tool stops the nested run and the agent within one second`, async () => {
    const { abortedAt, run } = await cancelMidAgent(framework, 'Ask the slow chat.');
    assert.equal(run.status, 'cancelled');
    assert.ok(Date.parse(run.endedAt!) - abortedAt < 1_000, `the run ended ${Date.parse(run.endedAt!) - abortedAt} ms after the cancel`);
    const tool = app.spans(run.runId).find((span) => span.kind === 'tool');
    assert.equal(tool?.attributes?.['tool.name'], 'pipe_slowchat');
    assert.equal(tool?.status, 'cancelled');
    const nested = app.traceStore.getRun(String(tool?.attributes?.['pipeline.runId']));
    assert.equal(nested?.status, 'cancelled');
    assert.ok(Date.parse(nested!.endedAt!) - abortedAt < 1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(arrivals.filter((arrival) => arrival.at > abortedAt), [], 'model calls after the cancel');
  });
}
