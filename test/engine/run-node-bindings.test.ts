import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../src/node-kit/index.js';
import type { AgentTool } from '../../src/agent-kit/spec.js';
import type { LlmBinding } from '../../src/providers/spec.js';
import { agent, agentBehaviour } from './binding-fixtures.js';

const tool: AgentTool = {
  name: 'echo',
  description: 'Echoes',
  inputSchema: { type: 'object' },
  invoke: async (args) => ({ content: JSON.stringify(args) }),
};
const llm = { settings: { provider: 'openai', model: 'm' } } as unknown as LlmBinding;

test('runNode gives a node the llm and tools bindings of its options', async () => {
  agentBehaviour.process = async (item, ctx) => {
    const model = ctx.llm('llm');
    const [echo] = ctx.tools('tools');
    const output = await echo!.invoke({ said: item.text }, { signal: ctx.signal });
    await ctx.emit('text', { text: `${model.settings.model}:${output.content}`, meta: {} });
  };
  const result = await runNode(agent, { items: [{ item: { text: 'hi', meta: {} } }], llm: { llm }, tools: { tools: [tool] } });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.emitted, [{ lane: 'text', item: { text: 'm:{"said":"hi"}', meta: {} } }]);
});

test('runNode: a missing required binding is BINDING_MISSING, an optional tools binding is empty, an undeclared one UNKNOWN_BINDING', async () => {
  const seen: unknown[] = [];
  agentBehaviour.process = async (_item, ctx) => {
    seen.push(ctx.tools('tools').length);
    try {
      ctx.tools('helpers');
    } catch (error) {
      seen.push((error as { code: string }).code);
    }
    ctx.llm('llm');
  };
  const result = await runNode(agent, { items: [{ item: { text: 'hi', meta: {} } }] });
  assert.deepEqual(seen, [0, 'UNKNOWN_BINDING']);
  assert.deepEqual(result.errors.map((error) => [error.code, error.hint]), [['BINDING_MISSING', 'Add "uses": {"llm": "<node id>"} to node "node".']]);
});
