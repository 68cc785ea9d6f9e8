import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/engine/index.js';
import type { AgentTool } from '../../src/agent-kit/spec.js';
import type { SpanRecord } from '../../src/trace/index.js';
import { agentBehaviour, agentPipeline, calls, registry } from './binding-fixtures.js';

beforeEach(() => {
  calls.upper = 0;
});

function spanOf(spans: SpanRecord[], predicate: (span: SpanRecord) => boolean): SpanRecord {
  const found = spans.filter(predicate);
  assert.equal(found.length, 1, `one matching span, got ${found.length}`);
  return found[0]!;
}

test('ctx.tools gives a bound node as a tool: name, description, schema with meta optional, emitted items as JSON', async () => {
  let tools: AgentTool[] = [];
  const results: unknown[] = [];
  agentBehaviour.process = async (item, ctx) => {
    tools = ctx.tools('tools');
    const output = await tools[0]!.invoke({ text: item.text }, { signal: ctx.signal, toolCallId: 'call-1' });
    results.push(output);
    await ctx.emit('text', { text: output.content, meta: {} });
  };
  const result = await createEngine({ registry }).run({ pipeline: agentPipeline(), inputs: [{ text: 'hello\nworld' }] });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  assert.equal(tools.length, 1);
  const [tool] = tools;
  assert.equal(tool!.name, 'up');
  assert.equal(tool!.description, 'Upper case. Turns text into upper case.');
  assert.equal(tool!.inputSchema.type, 'object');
  assert.deepEqual(tool!.inputSchema.required, ['text']);
  assert.ok((tool!.inputSchema.properties as Record<string, unknown>).meta, 'meta may still be given');
  assert.deepEqual(results, [
    { content: JSON.stringify({ emitted: [{ lane: 'text', item: { text: 'HELLO', meta: {} } }] }) },
    { content: JSON.stringify({ emitted: [{ lane: 'text', item: { text: 'WORLD', meta: {} } }] }) },
  ]);
  // "up" ran for the two tool calls only: it is bound-only, not part of the data flow.
  assert.equal(calls.upper, 2);
  assert.equal(result.outputs.answers!.length, 2);
});

test('bad arguments and a failing node come back in-band with code, message and hint; the run goes on', async () => {
  const outputs: Array<{ content: string; isError?: boolean }> = [];
  agentBehaviour.process = async (item, ctx) => {
    const [tool] = ctx.tools('tools');
    outputs.push(await tool!.invoke({ txt: 'typo' }, { signal: ctx.signal }));
    outputs.push(await tool!.invoke({ text: 'boom' }, { signal: ctx.signal }));
    await ctx.emit('text', item);
  };
  const result = await createEngine({ registry }).run({ pipeline: agentPipeline(), inputs: [{ text: 'x' }] });
  assert.equal(result.status, 'succeeded');
  assert.equal(outputs[0]!.isError, true);
  const badArguments = JSON.parse(outputs[0]!.content) as { code: string; message: string; hint: string };
  assert.equal(badArguments.code, 'TOOL_ARGUMENTS_INVALID');
  assert.match(badArguments.message, /Tool "up".*text/);
  assert.ok(badArguments.hint.length > 0);
  assert.equal(calls.upper, 1, 'bad arguments never reach the node');
  assert.deepEqual(JSON.parse(outputs[1]!.content), { code: 'UPPER_BROKEN', message: 'cannot upper-case boom', hint: 'give other text' });
  const toolSpans = result.spans.filter((span) => span.kind === 'tool');
  assert.deepEqual(toolSpans.map((span) => [span.status, span.error?.code]), [['error', 'TOOL_ARGUMENTS_INVALID'], ['error', 'UPPER_BROKEN']]);
});

test('spans nest: tool span under the calling node span, the tool node span under the tool span', async () => {
  agentBehaviour.process = async (item, ctx) => {
    const [tool] = ctx.tools('tools');
    await tool!.invoke({ text: item.text }, { signal: ctx.signal, toolCallId: 'call-7' });
    await ctx.emit('text', item);
  };
  const result = await createEngine({ registry }).run({ pipeline: agentPipeline(), inputs: [{ text: 'abc' }] });
  const agentSpan = spanOf(result.spans, (span) => span.kind === 'node' && span.nodeId === 'agent');
  const toolSpan = spanOf(result.spans, (span) => span.kind === 'tool');
  const upSpan = spanOf(result.spans, (span) => span.kind === 'node' && span.nodeId === 'up');
  assert.equal(toolSpan.parentSpanId, agentSpan.spanId);
  assert.equal(toolSpan.nodeId, 'agent');
  assert.equal(upSpan.parentSpanId, toolSpan.spanId);
  assert.equal(agentSpan.parentSpanId, undefined);
  assert.equal(toolSpan.inputPreview, '{"text":"abc"}');
  assert.match(toolSpan.outputPreview!, /ABC/);
  assert.deepEqual(toolSpan.attributes, { 'tool.name': 'up', 'tool.call_id': 'call-7', 'tool.kind': 'node', 'tool.node_type': 'transform.upper' });
  assert.equal(upSpan.itemsOut, 1);
});

test('ctx.llm builds the binding from the bound node\'s languageModel(config), once per run', async () => {
  const seen: unknown[] = [];
  agentBehaviour.process = async (item, ctx) => {
    const binding = ctx.llm('llm');
    assert.equal(ctx.llm('llm'), binding, 'cached');
    seen.push([binding.settings.provider, binding.settings.model, binding.model.modelId]);
    await ctx.emit('text', item);
  };
  const document = agentPipeline();
  (document.nodes as Array<Record<string, unknown>>)[2]!.config = { model: 'tiny-1' };
  const result = await createEngine({ registry }).run({ pipeline: document, inputs: [{ text: 'a' }] });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  assert.deepEqual(seen, [['openai-compatible', 'tiny-1', 'tiny-1']]);
});

test('asking for an undeclared binding, or the wrong kind, fails the item with the node path', async () => {
  agentBehaviour.process = async (_item, ctx) => {
    ctx.tools('llm');
  };
  const wrongKind = await createEngine({ registry }).run({ pipeline: agentPipeline(), inputs: [{ text: 'a' }] });
  assert.equal(wrongKind.error?.code, 'BINDING_KIND_MISMATCH');
  assert.equal(wrongKind.error?.path, '/nodes/1/uses/llm');
  agentBehaviour.process = async (_item, ctx) => {
    ctx.tools('helpers');
  };
  const unknown = await createEngine({ registry }).run({ pipeline: agentPipeline(), inputs: [{ text: 'a' }] });
  assert.equal(unknown.error?.code, 'UNKNOWN_BINDING');
  assert.match(unknown.error!.message, /declared: llm, tools/);
});

test('an optional tools binding left out gives no tools', async () => {
  let count = -1;
  agentBehaviour.process = async (item, ctx) => {
    count = ctx.tools('tools').length;
    await ctx.emit('text', item);
  };
  const document = agentPipeline({ llm: 'gpt' });
  (document.nodes as unknown[]).pop();
  const result = await createEngine({ registry }).run({ pipeline: document, inputs: [{ text: 'a' }] });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  assert.equal(count, 0);
});

test('a tool called after the run was cancelled throws the abort at once and starts no work', async () => {
  const controller = new AbortController();
  let rejection: unknown;
  agentBehaviour.process = async (_item, ctx) => {
    const [tool] = ctx.tools('tools');
    controller.abort();
    rejection = await tool!.invoke({ text: 'late' }, { signal: new AbortController().signal }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
  };
  const result = await createEngine({ registry }).run({ pipeline: agentPipeline(), inputs: [{ text: 'a' }], signal: controller.signal });
  assert.equal(result.status, 'cancelled');
  assert.notEqual(rejection, 'resolved');
  assert.equal(calls.upper, 0);
  assert.equal(result.spans.filter((span) => span.kind === 'tool' || span.nodeId === 'up').length, 0);
});

test('a tool whose caller gives up mid-call is cancelled: span status cancelled, the abort rethrown', async () => {
  let rejection: unknown;
  agentBehaviour.process = async (item, ctx) => {
    const [tool] = ctx.tools('tools');
    const caller = new AbortController();
    const pending = tool!.invoke({ text: 'slow' }, { signal: caller.signal });
    caller.abort(new Error('caller gave up'));
    rejection = await pending.then(() => 'resolved', (error: unknown) => error);
    await ctx.emit('text', item);
  };
  const result = await createEngine({ registry }).run({ pipeline: agentPipeline(), inputs: [{ text: 'a' }] });
  assert.equal((rejection as Error).message, 'caller gave up');
  assert.equal(spanOf(result.spans, (span) => span.kind === 'tool').status, 'cancelled');
});
