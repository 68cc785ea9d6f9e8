import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { assertInBandError, linesPipeline, slowStarted, startHarness, structured, writeWorkspaceFile, type Harness } from './harness.js';

let harness: Harness;
before(async () => (harness = await startHarness()));
after(async () => harness.close());

test('run_pipeline runs text input and returns outputs, run id and trace location', async () => {
  const result = await harness.call('run_pipeline', { pipeline: linesPipeline(), text: 'a\nb' });
  assert.equal(result.isError, undefined, JSON.stringify(result));
  const content = structured(result);
  assert.equal(content.status, 'succeeded');
  assert.deepEqual((content.outputs as { out: Array<{ text: string }> }).out.map((item) => item.text), ['A', 'B']);
  assert.equal(content.traceLocation, ':memory:');
  assert.equal(harness.traceStore.getRun(String(content.runId))?.status, 'succeeded');
});

test('run_pipeline reads an input file inside the workspace', async () => {
  await writeWorkspaceFile(harness, 'note.txt', 'hello\nworld');
  const content = structured(await harness.call('run_pipeline', { pipeline: linesPipeline(), input: 'note.txt' }));
  assert.deepEqual((content.outputs as { out: Array<{ text: string }> }).out.map((item) => item.text), ['HELLO', 'WORLD']);
  assert.equal(harness.traceStore.getRun(String(content.runId))?.input, 'note.txt');
});

test('run_pipeline confines input paths: ../, absolute outside and symlink escapes are PATH_OUTSIDE_WORKSPACE', async () => {
  const outside = join(harness.outsideRoot, 'secret.txt');
  await writeFile(outside, 'top secret');
  await symlink(outside, join(harness.workspaceRoot, 'innocent.txt'));
  for (const input of ['../outside/secret.txt', outside, 'innocent.txt', '/etc/passwd']) {
    const content = assertInBandError(await harness.call('run_pipeline', { pipeline: linesPipeline(), input }), 'PATH_OUTSIDE_WORKSPACE');
    assert.equal(content.path, '/input');
    assert.ok(!JSON.stringify(content).includes('top secret'));
  }
});

test('run_pipeline with a missing input file is INPUT_NOT_FOUND, with no input INPUT_REQUIRED', async () => {
  assertInBandError(await harness.call('run_pipeline', { pipeline: linesPipeline(), input: 'nope.txt' }), 'INPUT_NOT_FOUND');
  assertInBandError(await harness.call('run_pipeline', { pipeline: linesPipeline() }), 'INPUT_REQUIRED');
});

test('run_pipeline with both input and text is ARGUMENTS_INVALID, not a run on one of them', async () => {
  await writeWorkspaceFile(harness, 'both.txt', 'file');
  const content = assertInBandError(await harness.call('run_pipeline', { pipeline: linesPipeline(), input: 'both.txt', text: 'text' }), 'ARGUMENTS_INVALID');
  assert.match(String(content.hint), /not both/);
});

test('run_pipeline refuses an invalid pipeline with every problem, in-band', async () => {
  const pipeline = linesPipeline([{ id: 'typo', type: 'transform.uper', inputs: [{ lane: 'text', from: 'ghost' }] }]);
  const content = assertInBandError(await harness.call('run_pipeline', { pipeline, text: 'x' }), 'PIPELINE_INVALID');
  const codes = (content.problems as Array<{ code: string }>).map((problem) => problem.code);
  assert.ok(codes.includes('UNKNOWN_NODE_TYPE') && codes.includes('UNKNOWN_NODE_REFERENCE'), codes.join(','));
});

test('a failing run is in-band with the node error, its run id and status; the next run succeeds', async () => {
  const pipeline = linesPipeline([{ id: 'bad', type: 'transform.fail', inputs: [{ lane: 'text', from: 'up' }] }], 'up');
  const content = assertInBandError(await harness.call('run_pipeline', { pipeline, text: 'x' }), 'FAKE_BROKEN');
  assert.equal(content.status, 'failed');
  assert.equal(content.path, '/nodes/2');
  assert.equal(content.hint, 'Give it other text.');
  assert.equal(harness.traceStore.getRun(String(content.runId))?.status, 'failed');
  const next = await harness.call('run_pipeline', { pipeline: linesPipeline(), text: 'ok' });
  assert.equal(structured(next).status, 'succeeded');
});

test('run_pipeline never echoes the value of an ${ENV} placeholder', async () => {
  process.env.PIPELANE_TEST_SECRET = 'sk-very-secret-value-123';
  try {
    const pipeline = linesPipeline([{ id: 'echo', type: 'transform.echo-config', config: { apiKey: '${PIPELANE_TEST_SECRET}' }, inputs: [{ lane: 'text', from: 'up' }] }], 'echo');
    const result = await harness.call('run_pipeline', { pipeline, text: 'x' });
    assert.equal(structured(result).status, 'succeeded');
    assert.ok(!JSON.stringify(result).includes('sk-very-secret-value-123'), JSON.stringify(result));
  } finally {
    delete process.env.PIPELANE_TEST_SECRET;
  }
});

test('run_pipeline sends monotonically increasing progress notifications when given a progress token', async () => {
  const progress: Array<{ progress: number; message?: string }> = [];
  const result = (await harness.client.callTool(
    { name: 'run_pipeline', arguments: { pipeline: linesPipeline(), text: 'a\nb\nc\nd' } },
    undefined,
    { onprogress: (notification) => progress.push(notification) },
  )) as CallToolResult;
  assert.equal(structured(result).status, 'succeeded');
  assert.ok(progress.length >= 5, `only ${progress.length} notifications`);
  for (let index = 1; index < progress.length; index++) assert.ok(progress[index]!.progress > progress[index - 1]!.progress);
  assert.equal(progress[0]!.message, `run ${String(structured(result).runId)} started`);
});

test('a client cancel aborts a slow run, which ends cancelled in the trace store', async () => {
  const pipeline = linesPipeline([{ id: 'slow', type: 'transform.slow', inputs: [{ lane: 'text', from: 'up' }] }], 'up');
  const controller = new AbortController();
  let runId: string | undefined;
  const call = harness.client.callTool({ name: 'run_pipeline', arguments: { pipeline, text: 'x' } }, undefined, {
    signal: controller.signal,
    onprogress: (notification) => (runId ??= /run (\S+) started/.exec(notification.message ?? '')?.[1]),
  });
  await slowStarted.promise;
  controller.abort('test cancel');
  await assert.rejects(call);
  assert.ok(runId, 'the first progress message names the run');
  const deadline = Date.now() + 5000;
  while (harness.traceStore.getRun(runId)?.status === 'running' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const run = harness.traceStore.getRun(runId);
  assert.equal(run?.status, 'cancelled');
  assert.ok((run?.durationMs ?? Infinity) < 5000);
  assert.equal(structured(await harness.call('run_pipeline', { pipeline: linesPipeline(), text: 'after' })).status, 'succeeded');
});

test('run_pipeline with a whole-run timeout fails in-band with RUN_TIMEOUT', async () => {
  const pipeline = linesPipeline([{ id: 'slow', type: 'transform.slow', inputs: [{ lane: 'text', from: 'up' }] }], 'up');
  const content = assertInBandError(await harness.call('run_pipeline', { pipeline, text: 'x', timeoutMs: 100 }), 'RUN_TIMEOUT');
  assert.equal(content.status, 'failed');
});
