import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { assertInBandError, linesPipeline, startHarness, structured, writeWorkspaceFile, type Harness } from '../unit/mcp/harness.js';

let harness: Harness;
let listChanged = 0;
before(async () => {
  harness = await startHarness();
  harness.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (listChanged += 1));
});
after(async () => harness.close());

const named = (name: string, extra: Record<string, unknown> = {}) => ({ ...linesPipeline(), name, ...extra });
const toolNames = async (client = harness.client) => (await client.listTools()).tools.map((tool) => tool.name);

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('save_pipeline validates, saves pipelines/<name>.pipe.json and reports replaced on the second save', async () => {
  const first = structured(await harness.call('save_pipeline', { pipeline: named('shout') }));
  assert.deepEqual({ ...first, warnings: undefined }, { name: 'shout', path: join('pipelines', 'shout.pipe.json'), replaced: false, expose: false, warnings: undefined });
  const saved = JSON.parse(await readFile(join(harness.workspaceRoot, 'pipelines', 'shout.pipe.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(saved.name, 'shout');
  const second = structured(await harness.call('save_pipeline', { name: 'shout-2', pipeline: named('shout') }));
  assert.equal(second.replaced, false);
  assert.equal((JSON.parse(await readFile(join(harness.workspaceRoot, 'pipelines', 'shout-2.pipe.json'), 'utf8')) as { name: string }).name, 'shout-2', 'the document takes the given name');
  assert.equal(structured(await harness.call('save_pipeline', { pipeline: named('shout') })).replaced, true);
});

test('save_pipeline refuses an invalid pipeline with every problem and writes nothing; a bad name is PIPELINE_NAME_INVALID', async () => {
  const broken = named('broken', { nodes: [{ id: 'in', type: 'source.lines' }, { id: 'up', type: 'transform.uper', inputs: [{ lane: 'text', from: 'ghost' }] }] });
  const content = assertInBandError(await harness.call('save_pipeline', { pipeline: broken }), 'PIPELINE_INVALID');
  const codes = (content.problems as Array<{ code: string }>).map((problem) => problem.code);
  assert.ok(codes.includes('UNKNOWN_NODE_TYPE') && codes.includes('UNKNOWN_NODE_REFERENCE'), codes.join(','));
  await assert.rejects(readFile(join(harness.workspaceRoot, 'pipelines', 'broken.pipe.json')));
  assert.equal(assertInBandError(await harness.call('save_pipeline', { name: '../escape', pipeline: named('x') }), 'PIPELINE_NAME_INVALID').path, '/name');
});

test('list_pipelines lists name, description, expose, node types, input lane and outputs; an unreadable file is listed with its error', async () => {
  await harness.call('save_pipeline', { pipeline: named('listed', { description: 'Uppercases lines' }) });
  await writeWorkspaceFile(harness, 'pipelines/garbled.pipe.json', '{ not json');
  const { pipelines } = structured(await harness.call('list_pipelines')) as { pipelines: Array<Record<string, unknown>> };
  assert.deepEqual(pipelines.find((entry) => entry.name === 'listed'), {
    name: 'listed',
    description: 'Uppercases lines',
    expose: false,
    nodes: ['source.lines', 'transform.upper'],
    inputLane: ['text'],
    input: 'text',
    outputs: [{ name: 'out', lane: 'text', from: 'up' }],
  });
  const garbled = pipelines.find((entry) => entry.name === 'garbled');
  assert.match(String(garbled?.error), /JSON/);
});

test('get_pipeline returns the document and a Mermaid flowchart with node types, lane-labelled edges and dashed uses bindings', async () => {
  const pipeline = {
    ...named('drawn'),
    nodes: [
      { id: 'in', type: 'source.lines' },
      { id: 'up', type: 'transform.upper', inputs: [{ lane: 'text', from: 'in' }], uses: { tools: ['helper', 'pipe:shout'] } },
      { id: 'helper', type: 'transform.upper' },
    ],
  };
  await writeWorkspaceFile(harness, 'pipelines/drawn.pipe.json', JSON.stringify(pipeline));
  const content = structured(await harness.call('get_pipeline', { name: 'drawn' }));
  assert.deepEqual(content.pipeline, pipeline);
  assert.equal(content.path, join('pipelines', 'drawn.pipe.json'));
  assert.equal(
    content.mermaid,
    [
      'flowchart LR',
      '  n0["in<br/><small>source.lines</small>"]',
      '  n1["up<br/><small>transform.upper</small>"]',
      '  n2["helper<br/><small>transform.upper</small>"]',
      '  n0 -->|text| n1',
      '  n1 -.->|tools| n2',
      '  p0[["pipe:shout"]]',
      '  n1 -.->|tools| p0',
      '  o0(["out"])',
      '  n1 -->|text| o0',
    ].join('\n'),
  );
});

test('get_pipeline and delete_pipeline of an unknown name are PIPELINE_NOT_FOUND naming the nearest', async () => {
  await harness.call('save_pipeline', { pipeline: named('nearby') });
  assert.match(String(assertInBandError(await harness.call('get_pipeline', { name: 'nearbi' }), 'PIPELINE_NOT_FOUND').hint), /nearby/);
  assertInBandError(await harness.call('delete_pipeline', { name: 'nearbi' }), 'PIPELINE_NOT_FOUND');
});

test('delete_pipeline removes the file; run_pipeline {name} runs a saved pipeline until then', async () => {
  await harness.call('save_pipeline', { pipeline: named('doomed') });
  const run = structured(await harness.call('run_pipeline', { name: 'doomed', text: 'a' }));
  assert.deepEqual(run.outputs, { out: [{ text: 'A', meta: { source: 'text' } }] });
  assert.deepEqual(structured(await harness.call('delete_pipeline', { name: 'doomed' })), { name: 'doomed', deleted: true });
  await assert.rejects(readFile(join(harness.workspaceRoot, 'pipelines', 'doomed.pipe.json')));
  assertInBandError(await harness.call('run_pipeline', { name: 'doomed', text: 'a' }), 'PIPELINE_NOT_FOUND');
});

test('an exposed pipeline becomes tool pipe_<name> with a {text} input, list_changed is sent, and deleting it removes the tool', async () => {
  const before = listChanged;
  const saved = structured(await harness.call('save_pipeline', { pipeline: named('loud-lines', { expose: true, description: 'Uppercases every line' }) }));
  assert.equal(saved.tool, 'pipe_loud_lines');
  await until(() => listChanged > before, 'notifications/tools/list_changed');
  const tool = (await harness.client.listTools()).tools.find((entry) => entry.name === 'pipe_loud_lines');
  assert.ok(tool, 'the exposed tool is listed');
  assert.deepEqual(tool.inputSchema.required, ['text']);
  assert.deepEqual(Object.keys(tool.inputSchema.properties ?? {}), ['text']);
  assert.match(String(tool.description), /Uppercases every line/);
  const result = (await harness.client.callTool({ name: 'pipe_loud_lines', arguments: { text: 'x\ny' } })) as CallToolResult;
  assert.deepEqual((structured(result).outputs as { out: Array<{ text: string }> }).out.map((item) => item.text), ['X', 'Y']);

  const beforeDelete = listChanged;
  assert.equal(structured(await harness.call('delete_pipeline', { name: 'loud-lines' })).removedTool, 'pipe_loud_lines');
  await until(() => listChanged > beforeDelete, 'list_changed after delete');
  assert.ok(!(await toolNames()).includes('pipe_loud_lines'));
});

test('a pipeline whose source is source.file is exposed with a {path} input confined to the workspace', async () => {
  const pipeline = {
    version: 1,
    name: 'file-in',
    expose: true,
    nodes: [{ id: 'in', type: 'source.file' }],
    outputs: [{ lane: 'file', from: 'in', as: 'file' }],
  };
  await harness.call('save_pipeline', { pipeline });
  const tool = (await harness.client.listTools()).tools.find((entry) => entry.name === 'pipe_file_in');
  assert.deepEqual(tool?.inputSchema.required, ['path']);
  const refused = (await harness.client.callTool({ name: 'pipe_file_in', arguments: { path: '../../etc/passwd' } })) as CallToolResult;
  assert.equal(assertInBandError(refused, 'PATH_OUTSIDE_WORKSPACE').path, '/path');
});

test('another session on the same workspace gets list_changed and the new tool when an exposed pipeline is saved', async () => {
  const server = createMcpServer(harness.deps);
  const client = new Client({ name: 'second-session', version: '0.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  let changed = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
  try {
    assert.ok(!(await toolNames(client)).includes('pipe_shared'));
    await harness.call('save_pipeline', { pipeline: named('shared', { expose: true }) });
    await until(() => changed > 0, 'list_changed in the other session');
    assert.ok((await toolNames(client)).includes('pipe_shared'));
  } finally {
    await client.close();
    await server.close();
  }
});
