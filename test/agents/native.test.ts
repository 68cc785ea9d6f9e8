import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import native from '../../agents/native/adapter.js';
import type { AgentTool } from '../../src/agent-kit/index.js';
import { describeAgentContract } from './agent-contract.js';
import { TWO_TOOL_ANSWER, endlessToolScript, startAgentHarness, twoToolScript, type AgentHarness, type DoubleProvider } from './agent-harness.js';

describeAgentContract(native, ['openai', 'anthropic']);

for (const provider of ['openai', 'anthropic'] satisfies DoubleProvider[]) {
  describe(`native loop over the ${provider} double`, () => {
    let harness: AgentHarness;
    before(async () => {
      harness = await startAgentHarness(provider);
    });
    after(() => harness.close());
    const reset = (respond = twoToolScript) => {
      harness.server.respond = respond;
      harness.server.requests.length = 0;
      harness.invocations.length = 0;
    };
    const callId = provider === 'openai' ? 'call_weather_1' : 'toolu_weather_1';
    // OpenAI's tool message has no error flag: the provider marks a failed result in its text.
    const errorPrefix = provider === 'openai' ? 'Error: ' : '';

    test('maxSteps 3: exactly 3 model calls, and the tools of the last one are not run', async () => {
      reset(endlessToolScript);
      const { result } = await harness.run(native, harness.task({ maxSteps: 3 }));
      assert.equal(result.error?.code, 'AGENT_MAX_STEPS');
      assert.equal(harness.server.requests.length, 3);
      assert.equal(harness.invocations.length, 2);
      assert.deepEqual(result.steps.map((step) => step.kind), ['llm', 'tool', 'llm', 'tool', 'llm']);
    });

    test('the model gets the system prompt, both tools, and each tool result under its call id', async () => {
      reset((request) => {
        if (harness.server.requests.length === 1) return { toolCalls: [{ id: callId, name: 'weather', arguments: { city: 'Paris' } }] };
        return twoToolScript(request);
      });
      const { result } = await harness.run(native);
      assert.equal(result.answer, TWO_TOOL_ANSWER);
      const [first, second, third] = harness.server.requests;
      assert.equal(first?.system, 'You answer weather questions with the tools.');
      assert.equal(first?.lastUserText, 'How warm is it in Paris right now, in Fahrenheit?');
      assert.deepEqual(first?.toolNames, ['weather', 'pipe_convert']);
      assert.deepEqual(second?.toolResultList, [{ id: callId, name: 'weather', content: '{"city":"Paris","celsius":21}', isError: false }]);
      assert.deepEqual(third?.toolResultList.map((seen) => seen.name), ['weather', 'pipe_convert']);
      assert.equal(third?.toolResults.pipe_convert, '69.8 °F');
    });

    test('a tool name the model made up is answered in-band with the tools that exist, and the loop goes on', async () => {
      reset((request) => {
        if (harness.server.requests.length === 1) return { toolCalls: [{ name: 'forecast', arguments: { city: 'Paris' } }] };
        return { text: `noted: ${request.toolResultList[0]?.content}` };
      });
      const { result } = await harness.run(native);
      assert.equal(result.error, undefined);
      assert.equal(result.answer, `noted: ${errorPrefix}There is no tool "forecast". Available tools: weather, pipe_convert.`);
      assert.equal(harness.invocations.length, 0);
    });

    test('a failing tool result reaches the model marked as an error', async () => {
      reset((request) => {
        if (harness.server.requests.length === 1) return { toolCalls: [{ name: 'pipe_convert', arguments: { celsius: 'warm' } }] };
        return { text: `seen: ${request.toolResultList[0]?.content}` };
      });
      const { result } = await harness.run(native);
      assert.equal(result.answer, `seen: ${errorPrefix}celsius must be a number`);
      if (provider === 'anthropic') assert.equal(harness.server.requests[1]?.toolResultList[0]?.isError, true);
      assert.equal(result.steps.find((step) => step.kind === 'tool')?.error, 'celsius must be a number');
    });

    test('without tools the model is asked once, with no tools offered', async () => {
      reset(() => ({ text: 'Paris is the capital of France.' }));
      const { result } = await harness.run(native, harness.task({ tools: [], question: 'Capital of France?' }));
      assert.equal(result.answer, 'Paris is the capital of France.');
      assert.equal(harness.server.requests.length, 1);
      assert.deepEqual(harness.server.requests[0]?.toolNames, []);
    });

    test('a typed provider error keeps its code (a 429 with no retries left is LLM_RATE_LIMITED)', async () => {
      reset(() => ({ status: 429, retryAfter: 1 }));
      const { result, spans } = await harness.run(native);
      assert.equal(result.error?.code, 'LLM_RATE_LIMITED');
      assert.equal(result.answer, '');
      assert.equal(spans.find((span) => span.kind === 'agent-step')?.error?.code, 'LLM_RATE_LIMITED');
    });

    test('anything else thrown inside the agent becomes AGENT_FAILED with its message', async () => {
      reset();
      const broken: AgentTool = { ...harness.tools[0]!, invoke: () => Promise.reject(new TypeError('tool exploded')) };
      const { result } = await harness.run(native, harness.task({ tools: [broken, harness.tools[1]!] }));
      assert.equal(result.error?.code, 'AGENT_FAILED');
      assert.match(result.error?.message ?? '', /native agent failed: tool exploded/);
    });
  });
}
