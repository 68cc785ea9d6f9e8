import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { currentRun } from '../../src/engine/index.js';
import { environmentSecrets } from '../../src/mcp/tool-result.js';
import { fakeNode } from '../../src/node-kit/index.js';
import { assertInBandError, fakeNodes, linesPipeline, startHarness, structured, writeWorkspaceFile, type Harness } from '../unit/mcp/harness.js';

/** A node that leaks: it emits a credential from the environment and a secret its run registered. */
const leaky = fakeNode({
  type: 'transform.leak',
  inputs: ['text'],
  outputs: ['text'],
  process: async (item, ctx) => {
    currentRun()?.addSecret('runtime-secret-0123456789');
    const { meta } = item as { meta: Record<string, unknown> };
    await ctx.emit('text', { text: `key=${process.env.PIPELANE_TEST_API_KEY} token=runtime-secret-0123456789`, meta });
  },
});

let harness: Harness;
before(async () => {
  harness = await startHarness({ nodes: [...fakeNodes, leaky], limits: { textChars: 1000, pipelineBytes: 4000, fileBytes: 2000 } });
  await writeFile(join(harness.outsideRoot, 'secret.txt'), 'top secret');
  await symlink(join(harness.outsideRoot, 'secret.txt'), join(harness.workspaceRoot, 'innocent.txt'));
  await mkdir(join(harness.workspaceRoot, 'pipelines'));
  await writeFile(join(harness.outsideRoot, 'elsewhere.pipe.json'), JSON.stringify({ ...linesPipeline(), name: 'elsewhere', expose: true }));
  await symlink(join(harness.outsideRoot, 'elsewhere.pipe.json'), join(harness.workspaceRoot, 'pipelines', 'elsewhere.pipe.json'));
});
after(async () => harness.close());

function refused(result: CallToolResult, pointer: string): void {
  const content = assertInBandError(result, 'PATH_OUTSIDE_WORKSPACE');
  assert.equal(content.path, pointer);
  assert.ok(!JSON.stringify(result).includes('top secret'));
}

test('every path argument refuses ../../etc/passwd and a symlink pointing out with PATH_OUTSIDE_WORKSPACE', async () => {
  await harness.call('save_pipeline', { pipeline: { version: 1, name: 'by-file', expose: true, nodes: [{ id: 'in', type: 'source.file' }], outputs: [{ lane: 'file', from: 'in', as: 'file' }] } });
  for (const bad of ['../../etc/passwd', 'innocent.txt']) {
    refused(await harness.call('run_pipeline', { pipeline: linesPipeline(), input: bad }), '/input');
    refused(await harness.call('validate_pipeline', { path: bad }), '/path');
    refused(await harness.call('run_pipeline', { path: bad, text: 'x' }), '/path');
    refused(await harness.call('pipe_by_file', { path: bad }), '/path');
  }
});

test('a saved pipeline whose file is a symlink out of the workspace is refused by name', async () => {
  refused(await harness.call('get_pipeline', { name: 'elsewhere' }), '/name');
  refused(await harness.call('run_pipeline', { name: 'elsewhere', text: 'x' }), '/name');
  assert.ok(!(await harness.client.listTools()).tools.some((tool) => tool.name === 'pipe_elsewhere'), 'not exposed either');
  await assert.rejects(harness.client.readResource({ uri: 'pipelane://pipelines/elsewhere' }), /outside the workspace/);
});

test('text, pipeline documents and files over the size limits are refused with a typed error before any run', async () => {
  const runsBefore = harness.traceStore.queryRuns({}).length;
  const text = assertInBandError(await harness.call('run_pipeline', { pipeline: linesPipeline(), text: 'x'.repeat(1001) }), 'ARGUMENT_TOO_LARGE');
  assert.equal(text.path, '/text');
  assert.match(String(text.message), /1,001 characters, over the limit of 1,000/);
  const huge = { ...linesPipeline(), description: 'd'.repeat(5000) };
  assert.equal(assertInBandError(await harness.call('validate_pipeline', { pipeline: huge }), 'ARGUMENT_TOO_LARGE').path, '/pipeline');
  assert.equal(assertInBandError(await harness.call('save_pipeline', { pipeline: huge }), 'ARGUMENT_TOO_LARGE').path, '/pipeline');
  await writeWorkspaceFile(harness, 'huge.pipe.json', JSON.stringify(huge));
  assert.equal(assertInBandError(await harness.call('validate_pipeline', { path: 'huge.pipe.json' }), 'ARGUMENT_TOO_LARGE').path, '/path');
  await writeWorkspaceFile(harness, 'big.txt', 'y'.repeat(2001));
  assert.equal(assertInBandError(await harness.call('run_pipeline', { pipeline: linesPipeline(), input: 'big.txt' }), 'INPUT_TOO_LARGE').path, '/input');
  assert.equal(harness.traceStore.queryRuns({}).length, runsBefore, 'no run was started');
});

test('credentials from the environment and secrets a run registered are masked in every tool result', async () => {
  process.env.PIPELANE_TEST_API_KEY = 'sk-test-abcdefghijklmnop';
  try {
    assert.ok(environmentSecrets().includes('sk-test-abcdefghijklmnop'));
    const pipeline = linesPipeline([{ id: 'leak', type: 'transform.leak', inputs: [{ lane: 'text', from: 'up' }] }], 'leak');
    const result = await harness.call('run_pipeline', { pipeline, text: 'x' });
    assert.equal(structured(result).status, 'succeeded');
    const text = JSON.stringify(result);
    assert.ok(!text.includes('sk-test-abcdefghijklmnop') && !text.includes('runtime-secret-0123456789'), text);
    assert.match(text, /key=\*\*\* token=\*\*\*/);
    // Another tool echoing the value (an unknown node type named after it) is masked as well.
    const described = await harness.call('describe_node', { type: 'sk-test-abcdefghijklmnop' });
    assert.ok(!JSON.stringify(described).includes('sk-test-abcdefghijklmnop'));
  } finally {
    delete process.env.PIPELANE_TEST_API_KEY;
  }
});
