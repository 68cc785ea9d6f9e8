import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/engine/index.js';
import { createPipelineLibrary } from '../../src/pipeline/index.js';
import { openTraceStore, type TraceStore } from '../../src/trace/index.js';
import type { AgentTool, ToolOutput } from '../../src/agent-kit/spec.js';
import { createRegistry, fakeNode } from '../../src/node-kit/index.js';
import { agent, agentBehaviour, agentPipeline, model, registry, source, upper } from './binding-fixtures.js';

let workspace: string;
let store: TraceStore;

const shout = {
  version: 1,
  name: 'shout',
  description: 'Shouts every line',
  nodes: [
    { id: 'in', type: 'source.fake' },
    { id: 'up', type: 'transform.upper', inputs: [{ lane: 'text', from: 'in' }] },
  ],
  outputs: [{ lane: 'text', from: 'up', as: 'shouted' }],
};

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'pipelane-pipe-tool-'));
  await createPipelineLibrary(join(workspace, 'pipelines')).save('shout', shout);
  store = openTraceStore({ file: ':memory:' });
});

after(() => {
  store.close();
  rmSync(workspace, { recursive: true, force: true });
});

function toolPipeline(tools: string[]): Record<string, unknown> {
  const document = agentPipeline({ llm: 'gpt', tools });
  (document.nodes as unknown[]).pop(); // no "up" node in the calling pipeline
  return document;
}

test('pipe:<name> runs the saved pipeline as a nested run and returns its outputs; the run id is on the tool span', async () => {
  let tool: AgentTool | undefined;
  let output: ToolOutput | undefined;
  agentBehaviour.process = async (item, ctx) => {
    [tool] = ctx.tools('tools');
    output = await tool!.invoke({ text: 'hi\nthere' }, { signal: ctx.signal });
    await ctx.emit('text', item);
  };
  const engine = createEngine({ registry, workspaceRoot: workspace, traceStore: store });
  const result = await engine.run({ pipeline: toolPipeline(['pipe:shout']), inputs: [{ text: 'q' }] });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  assert.equal(tool!.name, 'pipe_shout');
  assert.match(tool!.description, /saved pipeline "shout": Shouts every line/);
  assert.deepEqual(tool!.inputSchema.required, ['text']);
  assert.equal(output!.isError, undefined);
  assert.deepEqual(JSON.parse(output!.content), { outputs: { shouted: [{ text: 'HI', meta: {} }, { text: 'THERE', meta: {} }] } });

  const toolSpan = result.spans.find((span) => span.kind === 'tool')!;
  const nestedRunId = toolSpan.attributes?.['pipeline.runId'] as string;
  assert.equal(typeof nestedRunId, 'string');
  assert.notEqual(nestedRunId, result.runId);
  const nested = store.getRun(nestedRunId);
  assert.equal(nested?.pipeline, 'shout');
  assert.equal(nested?.status, 'succeeded');
  const nestedSpans = store.querySpans({ runId: nestedRunId });
  assert.deepEqual(nestedSpans.map((span) => span.nodeId).sort(), ['in', 'up', 'up']);
});

test('a source.file pipeline takes a workspace path; a path outside the workspace is refused in-band', async () => {
  // A stand-in for source.file: reads the (already confined) path it is given.
  const fileSource = fakeNode({
    type: 'source.file',
    outputs: ['text'],
    process: async (input, ctx) => ctx.emit('text', { text: readFileSync((input as { path: string }).path, 'utf8'), meta: {} }),
  });
  const fileRegistry = createRegistry([fileSource, source, upper, model, agent]);
  writeFileSync(join(workspace, 'note.txt'), 'quiet words');
  await createPipelineLibrary(join(workspace, 'pipelines')).save('shout-file', { ...shout, name: 'shout-file', nodes: [{ id: 'in', type: 'source.file' }, shout.nodes[1]] });

  let tool: AgentTool | undefined;
  const outputs: ToolOutput[] = [];
  agentBehaviour.process = async (item, ctx) => {
    [tool] = ctx.tools('tools');
    outputs.push(await tool!.invoke({ path: 'note.txt' }, { signal: ctx.signal }));
    outputs.push(await tool!.invoke({ path: '../../etc/passwd' }, { signal: ctx.signal }));
    outputs.push(await tool!.invoke({ text: 'no path' }, { signal: ctx.signal }));
    await ctx.emit('text', item);
  };
  const result = await createEngine({ registry: fileRegistry, workspaceRoot: workspace }).run({ pipeline: toolPipeline(['pipe:shout-file']), inputs: [{ text: 'q' }] });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  assert.deepEqual(tool!.inputSchema.required, ['path']);
  assert.deepEqual(JSON.parse(outputs[0]!.content), { outputs: { shouted: [{ text: 'QUIET WORDS', meta: {} }] } });
  assert.equal(JSON.parse(outputs[1]!.content).code, 'PATH_OUTSIDE_WORKSPACE');
  assert.equal(JSON.parse(outputs[2]!.content).code, 'TOOL_ARGUMENTS_INVALID');
});

test('a failing nested run comes back in-band with its code; the calling run goes on', async () => {
  let output: ToolOutput | undefined;
  agentBehaviour.process = async (item, ctx) => {
    const [tool] = ctx.tools('tools');
    output = await tool!.invoke({ text: 'boom' }, { signal: ctx.signal });
    await ctx.emit('text', item);
  };
  const result = await createEngine({ registry, workspaceRoot: workspace }).run({ pipeline: toolPipeline(['pipe:shout']), inputs: [{ text: 'q' }] });
  assert.equal(result.status, 'succeeded');
  assert.equal(output!.isError, true);
  const error = JSON.parse(output!.content) as { code: string; message: string };
  assert.equal(error.code, 'UPPER_BROKEN');
  assert.match(error.message, /Pipeline "shout" failed: cannot upper-case boom/);
});

test('a saved pipeline that binds itself as a tool is stopped at the second level', async () => {
  const recursive = {
    version: 1,
    name: 'loop',
    nodes: [
      { id: 'in', type: 'source.fake' },
      { id: 'agent', type: 'agent.fake', inputs: [{ lane: 'text', from: 'in' }], uses: { llm: 'gpt', tools: ['pipe:loop'] } },
      { id: 'gpt', type: 'model.fake' },
    ],
    outputs: [{ lane: 'text', from: 'agent', as: 'out' }],
  };
  await createPipelineLibrary(join(workspace, 'pipelines')).save('loop', recursive);
  const seen: ToolOutput[] = [];
  agentBehaviour.process = async (item, ctx) => {
    const [tool] = ctx.tools('tools');
    const output = await tool!.invoke({ text: 'again' }, { signal: ctx.signal });
    seen.push(output);
    await ctx.emit('text', { text: output.content.slice(0, 200), meta: {} });
  };
  const result = await createEngine({ registry, workspaceRoot: workspace }).run({ pipeline: recursive, inputs: [{ text: 'go' }] });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  // Outer run calls pipe_loop (nested level 1), whose agent calls pipe_loop again: refused in-band.
  assert.equal(seen.length, 2);
  const refused = seen.find((output) => output.isError)!;
  assert.match(JSON.parse(refused.content).message, /would call itself \(pipe:loop -> pipe:loop\)/);
});

test('without a workspace a pipe: binding fails the run before any node works', async () => {
  agentBehaviour.process = async () => assert.fail('no node may run');
  await assert.rejects(
    createEngine({ registry, pipelines: createPipelineLibrary(join(workspace, 'pipelines')) }).run({ pipeline: toolPipeline(['pipe:nothing']), inputs: [{ text: 'q' }] }),
    (error: Error & { code?: string; details?: { problems: Array<{ code: string; path: string }> } }) => {
      assert.equal(error.code, 'PIPELINE_INVALID');
      assert.deepEqual(error.details?.problems.map((problem) => [problem.code, problem.path]), [['BINDING_UNKNOWN_TARGET', '/nodes/1/uses/tools/0']]);
      return true;
    },
  );
  const result = await createEngine({ registry }).run({ pipeline: toolPipeline(['pipe:shout']), inputs: [{ text: 'q' }] });
  assert.equal(result.status, 'failed');
  assert.equal(result.error?.code, 'BINDING_UNKNOWN_TARGET');
});
