import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { loadPrompts } from '../../src/prompts/index.js';
import { startHarness, type Harness } from '../unit/mcp/harness.js';

let harness: Harness;
before(async () => (harness = await startHarness()));
after(async () => harness.close());

test('prompts/list offers every prompts/*.md with the arguments of its front matter', async () => {
  const { prompts } = await harness.client.listPrompts();
  const expected = loadPrompts().map((prompt) => ({
    name: prompt.name,
    description: prompt.description,
    arguments: prompt.arguments.map((argument) => ({ name: argument.name, description: argument.description, required: argument.required })),
  }));
  assert.deepEqual(
    prompts.map((prompt) => ({ name: prompt.name, description: prompt.description, arguments: prompt.arguments ?? [] })),
    expected,
  );
  for (const name of ['build_pipeline', 'debug_run', 'compare_agents']) assert.ok(prompts.some((prompt) => prompt.name === name), name);
});

test('prompts/get renders the prompt with its arguments; a missing required argument is an invalid-params error', async () => {
  const { messages } = await harness.client.getPrompt({ name: 'debug_run', arguments: { runId: 'run-42' } });
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.role, 'user');
  const text = (messages[0]!.content as { text: string }).text;
  assert.match(text, /Pipelane run run-42 failed/);
  assert.match(text, /get_run \{"runId": "run-42"\}/);
  const error = await harness.client.getPrompt({ name: 'debug_run', arguments: {} }).then(() => undefined, (caught: unknown) => caught);
  assert.ok(error instanceof McpError);
  assert.equal(error.code, -32602);
  assert.match(error.message, /runId/);
});
