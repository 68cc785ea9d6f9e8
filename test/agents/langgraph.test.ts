import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import langgraph from '../../agents/langgraph/adapter.js';
import { createLlmBinding } from '../../src/providers/index.js';
import { describeAgentContract } from './agent-contract.js';
import {
  TEST_API_KEY,
  TWO_TOOL_ANSWER,
  endlessToolScript,
  startAgentHarness,
  tracedTool,
  twoToolScript,
  type AgentHarness,
  type DoubleProvider,
} from './agent-harness.js';
import type { LlmDoubleRequest, Reply } from '../doubles/llm-double-kit.js';

describeAgentContract(langgraph, ['openai', 'anthropic']);

for (const provider of ['openai', 'anthropic'] satisfies DoubleProvider[]) {
  describe(`langgraph (StateGraph + ToolNode over the traced model) on the ${provider} double`, () => {
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

    test('the model gets the system prompt, the question, both tools, and each result under its call id', async () => {
      const callId = provider === 'openai' ? 'call_weather_1' : 'toolu_weather_1';
      reset((request) => {
        if (request.toolResultList.length === 0) return { toolCalls: [{ id: callId, name: 'weather', arguments: { city: 'Paris' } }] };
        return twoToolScript(request);
      });
      const seenIds: Array<string | undefined> = [];
      const weather = harness.tools[0]!;
      const recording = { ...weather, invoke: (args: Record<string, unknown>, options: { signal: AbortSignal; toolCallId?: string }) => (seenIds.push(options.toolCallId), weather.invoke(args, options)) };
      const { result } = await harness.run(langgraph, harness.task({ tools: [recording, harness.tools[1]!], temperature: 0.1, maxTokens: 256 }));
      assert.equal(result.answer, TWO_TOOL_ANSWER);
      assert.deepEqual(seenIds, [callId]);
      const [first, second, third] = harness.server.requests;
      assert.equal(first?.system, 'You answer weather questions with the tools.');
      assert.equal(first?.lastUserText, 'How warm is it in Paris right now, in Fahrenheit?');
      assert.deepEqual(first?.toolNames, ['weather', 'pipe_convert']);
      assert.equal(first?.body.temperature, 0.1);
      assert.deepEqual(second?.toolResultList, [{ id: callId, name: 'weather', content: '{"city":"Paris","celsius":21}', isError: false }]);
      assert.equal(third?.toolResults.pipe_convert, '69.8 °F');
    });

    test('a failing tool reaches the model as an error result', async () => {
      // A number-shaped string passes LangChain's schema check, so the failure is the tool's own.
      const failing = tracedTool('pipe_convert', 'Celsius to Fahrenheit', { type: 'object', properties: { celsius: {} } }, async () => ({ content: 'celsius must be a number', isError: true }), harness.invocations);
      reset((request) => {
        if (request.toolResultList.length === 0) return { toolCalls: [{ name: 'pipe_convert', arguments: { celsius: 'warm' } }] };
        return { text: `seen: ${request.toolResultList[0]?.content}` };
      });
      const { result } = await harness.run(langgraph, harness.task({ tools: [failing] }));
      assert.equal(result.error, undefined);
      // Chat Completions has no error flag on a tool result: the provider says it in the content.
      assert.equal(result.answer, provider === 'openai' ? 'seen: Error: celsius must be a number' : 'seen: celsius must be a number');
      if (provider === 'anthropic') assert.equal(harness.server.requests[1]?.toolResultList[0]?.isError, true);
      assert.equal(result.steps.find((step) => step.kind === 'tool')?.error, 'celsius must be a number');
    });

    test('arguments that break the tool\'s JSON Schema go back to the model as an error naming the problem', async () => {
      reset((request) => {
        if (request.toolResultList.length === 0) return { toolCalls: [{ name: 'pipe_convert', arguments: { celsius: 'warm' } }] };
        return { text: `seen: ${request.toolResultList[0]?.content}` };
      });
      const { result } = await harness.run(langgraph);
      assert.equal(result.error, undefined);
      assert.match(result.answer, /^seen: Error: Received tool input did not match expected schema/);
      assert.match(result.answer, /celsius/);
      if (provider === 'anthropic') assert.equal(harness.server.requests[1]?.toolResultList[0]?.isError, true);
    });

    test('a tool name the model made up is answered in-band, and the loop goes on', async () => {
      reset((request) => {
        if (request.toolResultList.length === 0) return { toolCalls: [{ name: 'forecast', arguments: { city: 'Paris' } }] };
        return { text: `noted: ${request.toolResultList[0]?.content}` };
      });
      const { result } = await harness.run(langgraph);
      assert.equal(result.error, undefined);
      assert.match(result.answer, /Tool "forecast" not found/);
      assert.equal(harness.invocations.length, 0);
    });

    test('maxSteps 2: two model calls, and the tools of the last one are not run', async () => {
      reset(endlessToolScript);
      const { result } = await harness.run(langgraph, harness.task({ maxSteps: 2 }));
      assert.equal(result.error?.code, 'AGENT_MAX_STEPS');
      assert.equal(harness.server.requests.length, 2);
      assert.equal(harness.invocations.length, 1);
    });

    test('without tools the model is asked once, with no tools offered', async () => {
      reset(() => ({ text: 'Paris is the capital of France.' }));
      const { result } = await harness.run(langgraph, harness.task({ tools: [], question: 'Capital of France?' }));
      assert.equal(result.answer, 'Paris is the capital of France.');
      assert.equal(harness.server.requests.length, 1);
      assert.deepEqual(harness.server.requests[0]?.toolNames, []);
    });

    test('a provider error keeps its LLM_* code (401 is LLM_AUTH_FAILED)', async () => {
      reset(() => ({ status: 401 }));
      const { result } = await harness.run(langgraph);
      assert.equal(result.error?.code, 'LLM_AUTH_FAILED');
    });
  });
}

describe('langgraph with an openai-compatible server', () => {
  let harness: AgentHarness;
  before(async () => {
    harness = await startAgentHarness('openai');
  });
  after(() => harness.close());

  test('completes the two-tool task through the same shim', async () => {
    const llm = createLlmBinding(
      { provider: 'openai-compatible', model: 'qwen2.5', baseUrl: harness.server.url, apiKeyEnv: 'LOCAL_LLM_KEY', maxRetries: 0 },
      { env: { LOCAL_LLM_KEY: TEST_API_KEY } },
    );
    const { result } = await harness.run(langgraph, harness.task({ llm }));
    assert.equal(result.answer, TWO_TOOL_ANSWER);
    assert.deepEqual(harness.server.requests.map((request) => request.model), ['qwen2.5', 'qwen2.5', 'qwen2.5']);
  });
});

const ANIMALS = ['otter', 'lynx', 'heron', 'walrus', 'gecko', 'bison', 'koala', 'puffin', 'marmot', 'ibex'];

function factOf(animal: string): string {
  return `the ${animal} has ${animal.length} letters`;
}

/** Asks animal_fact about the animal of the question, then answers with what came back. */
function animalScript(request: LlmDoubleRequest): Reply {
  const delayMs = Math.floor(Math.random() * 40);
  const animal = /about the (\w+)/.exec(request.lastUserText)?.[1] ?? 'nothing';
  const fact = request.toolResults.animal_fact;
  if (fact === undefined) return { delayMs, toolCalls: [{ name: 'animal_fact', arguments: { animal } }] };
  return { delayMs, text: `About the ${animal}: ${fact}.` };
}

for (const provider of ['openai', 'anthropic'] satisfies DoubleProvider[]) {
  describe(`10 concurrent langgraph runs on the ${provider} double`, () => {
    let harness: AgentHarness;
    before(async () => {
      harness = await startAgentHarness(provider, { respond: animalScript });
    });
    after(() => harness.close());

    test('never mix answers, tool calls or spans', async () => {
      const factTool = tracedTool(
        'animal_fact',
        'A fact about an animal',
        { type: 'object', properties: { animal: { type: 'string' } }, required: ['animal'] },
        async (args) => {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 30)));
          return { content: factOf(String(args.animal)) };
        },
        harness.invocations,
      );
      // Staggered starts: each run begins while earlier ones are between their model and tool calls.
      const runs = await Promise.all(
        ANIMALS.map(async (animal, position) => {
          await new Promise((resolve) => setTimeout(resolve, position * 15));
          return harness.run(langgraph, harness.task({ question: `Tell me about the ${animal}.`, system: undefined, tools: [factTool] }));
        }),
      );
      assert.equal(harness.server.requests.length, 20);
      for (const [position, { result, spans }] of runs.entries()) {
        const animal = ANIMALS[position]!;
        assert.equal(result.error, undefined, JSON.stringify(result.error));
        assert.equal(result.answer, `About the ${animal}: ${factOf(animal)}.`);
        assert.deepEqual(result.steps.map((step) => step.kind), ['llm', 'tool', 'llm']);
        assert.equal(spans.length, 4);
        const others = ANIMALS.filter((other) => other !== animal);
        for (const span of spans) {
          const text = JSON.stringify(span);
          assert.ok(span.kind === 'agent-step' || text.includes(animal), `a ${span.kind} span of the ${animal} run does not mention it`);
          for (const other of others) assert.ok(!text.includes(other), `a ${span.kind} span of the ${animal} run mentions the ${other}`);
        }
      }
      for (const request of harness.server.requests) {
        assert.equal(ANIMALS.filter((animal) => request.allText.includes(animal)).length, 1, `one request mixes animals: ${request.allText}`);
      }
    });
  });
}
