import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentFramework } from '../../src/agent-kit/index.js';
import { PipelaneError, isPipelaneError } from '../../src/node-kit/index.js';
import type { SpanRecord } from '../../src/trace/index.js';
import { TWO_TOOL_ANSWER, endlessToolScript, startAgentHarness, twoToolScript, type AgentHarness, type DoubleProvider } from './agent-harness.js';

/**
 * The behaviour every agent framework must show, over the same wire doubles and tools, so the
 * frameworks are comparable: the two-tool task, the step limit, cancellation within a second, and
 * the span tree. Each adapter's test file calls this with the providers it supports.
 */
export function describeAgentContract(framework: AgentFramework, providers: DoubleProvider[]): void {
  for (const provider of providers) {
    describe(`${framework.id} over the ${provider} double (agent contract)`, () => {
      let harness: AgentHarness;
      before(async () => {
        harness = await startAgentHarness(provider);
      });
      after(() => harness.close());
      const reset = (respond = twoToolScript, toolDelayMs = 0) => {
        harness.server.respond = respond;
        harness.server.requests.length = 0;
        harness.invocations.length = 0;
        harness.toolDelayMs = toolDelayMs;
      };

      test('completes a task that needs two tool calls, the second using the first one\'s result', async () => {
        reset();
        const { result } = await harness.run(framework);
        assert.equal(result.error, undefined, JSON.stringify(result.error));
        assert.equal(result.answer, TWO_TOOL_ANSWER);
        assert.deepEqual(
          harness.invocations.map(({ name, args }) => ({ name, args })),
          [
            { name: 'weather', args: { city: 'Paris' } },
            { name: 'pipe_convert', args: { celsius: 21 } },
          ],
        );
        assert.equal(harness.server.requests.filter((request) => request.status === 200).length, 3);
      });

      test('steps, tokens and cost are what the server reported', async () => {
        reset();
        const before = harness.server.reportedUsage;
        const { result } = await harness.run(framework);
        const after = harness.server.reportedUsage;
        const reported = { inputTokens: after.inputTokens - before.inputTokens, outputTokens: after.outputTokens - before.outputTokens };
        assert.deepEqual(result.usage, reported);
        assert.ok(reported.inputTokens > 0 && reported.outputTokens > 0);
        // The harness prices the model at $1 / $2 per million input / output tokens.
        assert.ok(result.costUsd !== null && Math.abs(result.costUsd - (reported.inputTokens * 1 + reported.outputTokens * 2) / 1e6) < 1e-12);
        assert.deepEqual(result.steps.map((step) => `${step.kind}:${step.kind === 'tool' ? step.name : ''}`), ['llm:', 'tool:weather', 'llm:', 'tool:pipe_convert', 'llm:']);
        assert.equal(result.framework, framework.id);
        assert.ok(result.latencyMs >= 0);
      });

      test('one agent-step span under the node span parents every llm and tool span', async () => {
        reset();
        const { spans, nodeSpanId } = await harness.run(framework);
        const agentSpans = spans.filter((span) => span.kind === 'agent-step');
        assert.equal(agentSpans.length, 1);
        const agentSpan = agentSpans[0]!;
        assert.equal(agentSpan.parentSpanId, nodeSpanId);
        assert.equal(agentSpan.status, 'ok');
        assert.equal(agentSpan.attributes?.['agent.framework'], framework.id);
        assert.equal(agentSpan.attributes?.['agent.steps'], 5);
        assert.equal(agentSpan.outputPreview, TWO_TOOL_ANSWER);
        const children = spans.filter((span) => span.kind === 'llm' || span.kind === 'tool');
        assert.deepEqual(children.map((span) => span.kind).sort(), ['llm', 'llm', 'llm', 'tool', 'tool']);
        for (const span of children) assert.equal(span.parentSpanId, agentSpan.spanId, `${span.kind} span ${span.spanId} is not under the agent-step span`);
        const llmSpans = children.filter((span) => span.kind === 'llm');
        assert.equal(
          llmSpans.reduce((sum, span) => sum + Number(span.attributes?.['gen_ai.usage.input_tokens']), 0),
          agentSpan.attributes?.['gen_ai.usage.input_tokens'],
        );
      });

      test('stops with AGENT_MAX_STEPS when the model keeps asking for tools', async () => {
        reset(endlessToolScript);
        const { result, spans } = await harness.run(framework, harness.task({ maxSteps: 3 }));
        assert.equal(result.error?.code, 'AGENT_MAX_STEPS');
        assert.ok(harness.server.requests.length <= 3, `${harness.server.requests.length} model calls for maxSteps 3`);
        assert.ok(harness.invocations.length <= 3);
        assert.equal(spans.find((span) => span.kind === 'agent-step')?.status, 'error');
      });

      test('a cancel during a model call rejects within one second and nothing is called after it', async () => {
        reset(endlessToolScript);
        const controller = new AbortController();
        let abortedAt = 0;
        harness.server.respond = (request) => {
          // The request being answered is already recorded: the first one asks for a tool.
          if (harness.server.requests.length === 1) return endlessToolScript(request);
          setTimeout(() => {
            abortedAt = Date.now();
            controller.abort(cancelled());
          }, 100);
          return { delayMs: 5_000, text: 'too late' };
        };
        await assert.rejects(harness.run(framework, harness.task(), { signal: controller.signal }), (error) => isPipelaneError(error) && error.code === 'RUN_CANCELLED');
        assert.ok(Date.now() - abortedAt < 1_000, `rejected ${Date.now() - abortedAt} ms after the cancel`);
        await settle();
        assert.equal(harness.server.requests.length, 2, 'no model call after the cancel');
        assert.equal(harness.invocations.length, 1, 'no tool call after the cancel');
        assert.equal(agentSpan(harness.latest.spans)?.status, 'cancelled');
      });

      test('a cancel during a tool call rejects within one second and nothing is called after it', async () => {
        reset(twoToolScript, 3_000);
        const controller = new AbortController();
        const started = harness.run(framework, harness.task(), { signal: controller.signal });
        await waitFor(() => harness.invocations.length === 1);
        const abortedAt = Date.now();
        controller.abort(cancelled());
        await assert.rejects(started, (error) => isPipelaneError(error) && error.code === 'RUN_CANCELLED');
        assert.ok(Date.now() - abortedAt < 1_000, `rejected ${Date.now() - abortedAt} ms after the cancel`);
        await settle();
        assert.equal(harness.server.requests.length, 1, 'no model call after the cancel');
        assert.equal(harness.invocations.length, 1, 'no tool call after the cancel');
      });
    });
  }
}

function cancelled(): PipelaneError {
  return new PipelaneError('RUN_CANCELLED', 'The run was cancelled.', { hint: 'test' });
}

function agentSpan(spans: SpanRecord[]): SpanRecord | undefined {
  return spans.find((span) => span.kind === 'agent-step');
}

/** Long enough for a framework that ignored the cancel to make its next call. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 400));
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
