import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import openaiTools from '../../agents/openai-tools/adapter.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';
import { describeAgentContract } from './agent-contract.js';
import { createLlmBinding } from '../../src/providers/index.js';
import { TEST_API_KEY, TWO_TOOL_ANSWER, endlessToolScript, startAgentHarness, twoToolScript, type AgentHarness } from './agent-harness.js';

describeAgentContract(openaiTools, ['openai']);

describe('openai-tools (the OpenAI SDK runTools loop) over the openai double', () => {
  let harness: AgentHarness;
  before(async () => {
    harness = await startAgentHarness('openai');
  });
  after(() => harness.close());
  const reset = (respond = twoToolScript) => {
    harness.server.respond = respond;
    harness.server.requests.length = 0;
    harness.invocations.length = 0;
  };

  test('sends the system prompt, the question and both tools with their JSON Schemas', async () => {
    reset();
    const { result } = await harness.run(openaiTools, harness.task({ temperature: 0.2, maxTokens: 300 }));
    assert.equal(result.answer, TWO_TOOL_ANSWER);
    const first = harness.server.requests[0]!;
    assert.equal(first.system, 'You answer weather questions with the tools.');
    assert.equal(first.lastUserText, 'How warm is it in Paris right now, in Fahrenheit?');
    assert.equal(first.model, 'gpt-4o-mini');
    assert.equal(first.body.temperature, 0.2);
    assert.equal(first.body.max_completion_tokens, 300);
    const tools = first.body.tools as Array<{ type: string; function: { name: string; parameters: unknown } }>;
    assert.deepEqual(tools.map((tool) => tool.function.name), ['weather', 'pipe_convert']);
    assert.deepEqual(tools[0]?.function.parameters, harness.tools[0]?.inputSchema);
  });

  test('each tool gets the id of the call it answers, also for two calls in one reply', async () => {
    reset((request) => {
      if (request.toolResultList.length === 0) {
        return {
          toolCalls: [
            { id: 'call_lyon', name: 'weather', arguments: { city: 'Lyon' } },
            { id: 'call_paris', name: 'weather', arguments: { city: 'Paris' } },
          ],
        };
      }
      return { text: request.toolResultList.map((seen) => `${seen.id}=${seen.content}`).join(' ') };
    });
    const seenIds: Array<string | undefined> = [];
    const weather = harness.tools[0]!;
    const recording = { ...weather, invoke: (args: Record<string, unknown>, options: { signal: AbortSignal; toolCallId?: string }) => (seenIds.push(`${String(args.city)}:${options.toolCallId}`), weather.invoke(args, options)) };
    const { result } = await harness.run(openaiTools, harness.task({ tools: [recording, harness.tools[1]!] }));
    assert.deepEqual(seenIds.sort(), ['Lyon:call_lyon', 'Paris:call_paris']);
    assert.equal(result.answer, 'call_lyon={"city":"Lyon","celsius":10} call_paris={"city":"Paris","celsius":21}');
  });

  test('a failing tool reaches the model as an error result it can read', async () => {
    reset((request) => {
      if (request.toolResultList.length === 0) return { toolCalls: [{ name: 'pipe_convert', arguments: { celsius: 'warm' } }] };
      return { text: `seen: ${request.toolResultList[0]?.content}` };
    });
    const { result } = await harness.run(openaiTools);
    assert.equal(result.error, undefined);
    assert.equal(result.answer, 'seen: Error: celsius must be a number');
    assert.equal(result.steps.find((step) => step.kind === 'tool')?.error, 'celsius must be a number');
  });

  test('a tool name the model made up is answered in-band, and the loop goes on', async () => {
    reset((request) => {
      if (request.toolResultList.length === 0) return { toolCalls: [{ name: 'forecast', arguments: { city: 'Paris' } }] };
      return { text: `noted: ${request.toolResultList[0]?.content}` };
    });
    const { result } = await harness.run(openaiTools);
    assert.equal(result.error, undefined);
    assert.match(result.answer, /Invalid tool_call: "forecast"\. Available options are: "weather", "pipe_convert"/);
    assert.equal(harness.invocations.length, 0);
  });

  test('maxSteps 2: two model calls, and the tools of the last one are not run', async () => {
    reset(endlessToolScript);
    const { result } = await harness.run(openaiTools, harness.task({ maxSteps: 2 }));
    assert.equal(result.error?.code, 'AGENT_MAX_STEPS');
    assert.equal(harness.server.requests.length, 2);
    assert.equal(harness.invocations.length, 1);
  });

  test('works with an openai-compatible server (max_tokens, the key from apiKeyEnv)', async () => {
    reset();
    const llm = createLlmBinding(
      { provider: 'openai-compatible', model: 'llama3.2', baseUrl: harness.server.url, apiKeyEnv: 'LOCAL_LLM_KEY', maxRetries: 0 },
      { env: { LOCAL_LLM_KEY: TEST_API_KEY } },
    );
    const { result } = await harness.run(openaiTools, harness.task({ llm, maxTokens: 200 }));
    assert.equal(result.answer, TWO_TOOL_ANSWER);
    assert.equal(harness.server.requests[0]?.model, 'llama3.2');
    assert.equal(harness.server.requests[0]?.body.max_tokens, 200);
    assert.equal(harness.server.requests[0]?.body.max_completion_tokens, undefined);
  });

  test('a provider error keeps its LLM_* code (401 from a wrong key is LLM_AUTH_FAILED)', async () => {
    reset(() => ({ status: 401 }));
    const { result } = await harness.run(openaiTools);
    assert.equal(result.error?.code, 'LLM_AUTH_FAILED');
  });

  test('a refused key that the server echoes back appears nowhere in the result or the spans', async () => {
    const server = await startOpenAIChatServer({ apiKey: 'sk-the-right-key-000000', echoKeyIn401: true });
    try {
      const llm = createLlmBinding(
        { provider: 'openai', model: 'gpt-4o-mini', baseUrl: server.url, apiKeyEnv: 'WRONG_KEY', maxRetries: 0 },
        { env: { WRONG_KEY: TEST_API_KEY } },
      );
      const { result, spans } = await harness.run(openaiTools, harness.task({ llm }));
      assert.equal(result.error?.code, 'LLM_AUTH_FAILED');
      assert.equal(server.requests.length, 1);
      assert.ok(!JSON.stringify(result).includes(TEST_API_KEY), JSON.stringify(result.error));
      assert.ok(!JSON.stringify(spans).includes(TEST_API_KEY));
    } finally {
      await server.close();
    }
  });
});

describe('openai-tools with an Anthropic model', () => {
  let harness: AgentHarness;
  before(async () => {
    harness = await startAgentHarness('anthropic');
  });
  after(() => harness.close());

  test('fails with FRAMEWORK_PROVIDER_MISMATCH before any request', async () => {
    const { result } = await harness.run(openaiTools);
    assert.equal(result.error?.code, 'FRAMEWORK_PROVIDER_MISMATCH');
    assert.equal(harness.server.calls, 0);
  });
});
