import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import anthropicTools from '../../agents/anthropic-tools/adapter.js';
import { createLlmBinding } from '../../src/providers/index.js';
import { startAnthropicMessagesServer } from '../doubles/anthropic-messages-server.js';
import { describeAgentContract } from './agent-contract.js';
import { TEST_API_KEY, TWO_TOOL_ANSWER, endlessToolScript, startAgentHarness, twoToolScript, type AgentHarness } from './agent-harness.js';

describeAgentContract(anthropicTools, ['anthropic']);

describe('anthropic-tools (the Anthropic SDK toolRunner) over the anthropic double', () => {
  let harness: AgentHarness;
  before(async () => {
    harness = await startAgentHarness('anthropic');
  });
  after(() => harness.close());
  const reset = (respond = twoToolScript) => {
    harness.server.respond = respond;
    harness.server.requests.length = 0;
    harness.invocations.length = 0;
  };

  test('sends the system prompt, the question, max_tokens and both tools; every turn carries the whole history', async () => {
    reset();
    const { result } = await harness.run(anthropicTools, harness.task({ temperature: 0.3 }));
    assert.equal(result.answer, TWO_TOOL_ANSWER);
    const [first, , third] = harness.server.requests;
    assert.equal(first?.system, 'You answer weather questions with the tools.');
    assert.equal(first?.lastUserText, 'How warm is it in Paris right now, in Fahrenheit?');
    assert.equal(first?.model, 'claude-haiku-4-5');
    assert.equal(first?.body.max_tokens, 4096);
    assert.equal(first?.body.temperature, 0.3);
    assert.equal(first?.body.thread, undefined);
    const tools = first?.body.tools as Array<{ name: string; input_schema: unknown }>;
    assert.deepEqual(tools.map((tool) => tool.name), ['weather', 'pipe_convert']);
    assert.deepEqual(tools[0]?.input_schema, harness.tools[0]?.inputSchema);
    // user, assistant tool_use, user tool_result, assistant tool_use, user tool_result
    assert.equal((third?.body.messages as unknown[]).length, 5);
  });

  test('each tool gets the id of its tool_use block, and its result goes back under that id', async () => {
    reset((request) => {
      if (request.toolResultList.length === 0) {
        return {
          toolCalls: [
            { id: 'toolu_lyon', name: 'weather', arguments: { city: 'Lyon' } },
            { id: 'toolu_paris', name: 'weather', arguments: { city: 'Paris' } },
          ],
        };
      }
      return { text: request.toolResultList.map((seen) => `${seen.id}=${seen.content}`).join(' ') };
    });
    const seenIds: string[] = [];
    const weather = harness.tools[0]!;
    const recording = { ...weather, invoke: (args: Record<string, unknown>, options: { signal: AbortSignal; toolCallId?: string }) => (seenIds.push(`${String(args.city)}:${options.toolCallId}`), weather.invoke(args, options)) };
    const { result } = await harness.run(anthropicTools, harness.task({ tools: [recording, harness.tools[1]!] }));
    assert.deepEqual(seenIds.sort(), ['Lyon:toolu_lyon', 'Paris:toolu_paris']);
    assert.equal(result.answer, 'toolu_lyon={"city":"Lyon","celsius":10} toolu_paris={"city":"Paris","celsius":21}');
  });

  test('a failing tool reaches the model as a tool_result with is_error', async () => {
    reset((request) => {
      if (request.toolResultList.length === 0) return { toolCalls: [{ name: 'pipe_convert', arguments: { celsius: 'warm' } }] };
      return { text: `seen: ${request.toolResultList[0]?.content}` };
    });
    const { result } = await harness.run(anthropicTools);
    assert.equal(result.error, undefined);
    assert.equal(result.answer, 'seen: celsius must be a number');
    assert.equal(harness.server.requests[1]?.toolResultList[0]?.isError, true);
  });

  test('a tool name the model made up is answered in-band, and the loop goes on', async () => {
    reset((request) => {
      if (request.toolResultList.length === 0) return { toolCalls: [{ name: 'forecast', arguments: { city: 'Paris' } }] };
      return { text: `noted: ${request.toolResultList[0]?.content}` };
    });
    const { result } = await harness.run(anthropicTools);
    assert.equal(result.error, undefined);
    assert.match(result.answer, /Tool 'forecast' not found/);
    assert.equal(harness.invocations.length, 0);
  });

  test('maxSteps 2: two model calls, and the tools of the last one are not run', async () => {
    reset(endlessToolScript);
    const { result } = await harness.run(anthropicTools, harness.task({ maxSteps: 2 }));
    assert.equal(result.error?.code, 'AGENT_MAX_STEPS');
    assert.equal(harness.server.requests.length, 2);
    assert.equal(harness.invocations.length, 1);
  });

  test('a provider error keeps its LLM_* code (a 500 with no retries left is LLM_UNAVAILABLE)', async () => {
    reset(() => ({ status: 500 }));
    const { result } = await harness.run(anthropicTools);
    assert.equal(result.error?.code, 'LLM_UNAVAILABLE');
  });

  test('a refused key that the server echoes back appears nowhere in the result or the spans', async () => {
    const server = await startAnthropicMessagesServer({ apiKey: 'sk-the-right-key-000000', echoKeyIn401: true });
    try {
      const llm = createLlmBinding(
        { provider: 'anthropic', model: 'claude-haiku-4-5', baseUrl: server.origin, apiKeyEnv: 'WRONG_KEY', maxRetries: 0 },
        { env: { WRONG_KEY: TEST_API_KEY } },
      );
      const { result, spans } = await harness.run(anthropicTools, harness.task({ llm }));
      assert.equal(result.error?.code, 'LLM_AUTH_FAILED');
      assert.equal(server.requests.length, 1);
      assert.ok(!JSON.stringify(result).includes(TEST_API_KEY), JSON.stringify(result.error));
      assert.ok(!JSON.stringify(spans).includes(TEST_API_KEY));
    } finally {
      await server.close();
    }
  });
});

describe('anthropic-tools with an OpenAI model', () => {
  let harness: AgentHarness;
  before(async () => {
    harness = await startAgentHarness('openai');
  });
  after(() => harness.close());

  test('fails with FRAMEWORK_PROVIDER_MISMATCH before any request', async () => {
    const { result } = await harness.run(anthropicTools);
    assert.equal(result.error?.code, 'FRAMEWORK_PROVIDER_MISMATCH');
    assert.equal(harness.server.calls, 0);
  });
});
