import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallMeter, meterCall, withSpanScope } from '../../src/engine/span-scope.js';

test('calls made inside a tool count for the agent tokens and cost, not for its steps', async () => {
  const agentMeter = new CallMeter();
  await withSpanScope({ spanId: 'agent', nodeId: 'a', nodeType: 'agent.run', meter: agentMeter }, async () => {
    meterCall({ kind: 'llm', name: 'gpt', input: 'q', output: 'call tool', durationMs: 1, inputTokens: 10, outputTokens: 2, costUsd: 0.001 });
    await withSpanScope({ spanId: 'tool', nodeId: 'a', nodeType: 'agent.run', toolCall: true }, async () => {
      // A node used as a tool that calls a model of its own.
      meterCall({ kind: 'llm', name: 'small', input: 'inner', output: 'x', durationMs: 1, inputTokens: 5, outputTokens: 1, costUsd: 0.0005 });
    });
    meterCall({ kind: 'tool', name: 'summarise', input: '{}', output: 'x', durationMs: 2 });
  });
  assert.deepEqual(agentMeter.directCalls.map((call) => call.name), ['gpt', 'summarise']);
  assert.equal(agentMeter.calls.length, 3);
  assert.equal(agentMeter.inputTokens, 15);
  assert.equal(agentMeter.outputTokens, 3);
  assert.ok(Math.abs((agentMeter.costUsd ?? 0) - 0.0015) < 1e-12);
});

test('a meter opened inside a tool sees that tool’s calls as its own steps', async () => {
  const outer = new CallMeter();
  const inner = new CallMeter();
  await withSpanScope({ spanId: 'agent', nodeId: 'a', nodeType: 'agent.run', meter: outer }, () =>
    withSpanScope({ spanId: 'tool', nodeId: 'a', nodeType: 'agent.run', toolCall: true }, () =>
      withSpanScope({ spanId: 'nested-agent', nodeId: 'b', nodeType: 'agent.run', meter: inner }, async () => {
        meterCall({ kind: 'llm', name: 'gpt', input: 'q', output: 'a', durationMs: 1, inputTokens: 1, outputTokens: 1, costUsd: null });
      }),
    ),
  );
  assert.equal(inner.directCalls.length, 1);
  assert.equal(outer.directCalls.length, 0);
  assert.equal(outer.costUsd, null);
});
