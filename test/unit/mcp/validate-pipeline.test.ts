import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInBandError, linesPipeline, startHarness, structured, type Harness } from './harness.js';

let harness: Harness;
before(async () => (harness = await startHarness()));
after(async () => harness.close());

type Problem = { code: string; severity: string; path: string; hint: string; fix?: { patch: unknown[] } };

test('validate_pipeline accepts a valid pipeline given inline', async () => {
  const content = structured(await harness.call('validate_pipeline', { pipeline: linesPipeline() }));
  assert.equal(content.valid, true);
  assert.deepEqual(content.problems, []);
});

test('validate_pipeline returns all three mistakes of a pipeline in one answer', async () => {
  const pipeline = linesPipeline([
    { id: 'typo', type: 'transform.uper', inputs: [{ lane: 'text', from: 'up' }] },
    { id: 'orphan', type: 'chunk.fake', inputs: [{ lane: 'text', from: 'nowhere' }] },
    { id: 'wrong', type: 'ocr.fake', inputs: [{ lane: 'image', from: 'up' }] },
  ]);
  const result = await harness.call('validate_pipeline', { pipeline });
  assert.equal(result.isError, undefined, 'an invalid pipeline is a normal answer');
  const content = structured(result);
  assert.equal(content.valid, false);
  const problems = (content.problems as Problem[]).filter((problem) => problem.severity === 'error');
  assert.deepEqual(problems.map((problem) => problem.code), ['UNKNOWN_NODE_TYPE', 'UNKNOWN_NODE_REFERENCE', 'LANE_NOT_PRODUCED']);
  const found = new Map(problems.map((problem) => [problem.code, problem]));
  assert.equal(found.get('UNKNOWN_NODE_TYPE')?.path, '/nodes/2/type');
  assert.match(found.get('UNKNOWN_NODE_TYPE')!.hint, /transform\.upper/);
  assert.equal(found.get('UNKNOWN_NODE_REFERENCE')?.path, '/nodes/3/inputs/0/from');
  assert.equal(found.get('LANE_NOT_PRODUCED')?.path, '/nodes/4/inputs/0/lane');
  assert.ok(found.get('UNKNOWN_NODE_TYPE')!.fix!.patch.length > 0, 'the unknown type comes with a fix');
});

test('validate_pipeline reads a pipeline file by path and by name inside the workspace', async () => {
  await mkdir(join(harness.workspaceRoot, 'pipelines'), { recursive: true });
  await writeFile(join(harness.workspaceRoot, 'pipelines', 'lines.pipe.json'), JSON.stringify(linesPipeline()));
  assert.equal(structured(await harness.call('validate_pipeline', { path: 'pipelines/lines.pipe.json' })).valid, true);
  assert.equal(structured(await harness.call('validate_pipeline', { name: 'lines' })).valid, true);
});

test('validate_pipeline without a pipeline, or with two, is an in-band ARGUMENTS_INVALID', async () => {
  assertInBandError(await harness.call('validate_pipeline', {}), 'ARGUMENTS_INVALID');
  assertInBandError(await harness.call('validate_pipeline', { pipeline: linesPipeline(), path: 'x.pipe.json' }), 'ARGUMENTS_INVALID');
});

test('validate_pipeline with a missing file is PIPELINE_NOT_FOUND and a non-JSON file PIPELINE_NOT_JSON', async () => {
  assertInBandError(await harness.call('validate_pipeline', { path: 'missing.pipe.json' }), 'PIPELINE_NOT_FOUND');
  await writeFile(join(harness.workspaceRoot, 'broken.pipe.json'), '{"version": 1,');
  assertInBandError(await harness.call('validate_pipeline', { path: 'broken.pipe.json' }), 'PIPELINE_NOT_JSON');
});

test('validate_pipeline refuses pipeline paths outside the workspace: ../, absolute, symlink', async () => {
  const outside = join(harness.outsideRoot, 'secret.pipe.json');
  await writeFile(outside, JSON.stringify(linesPipeline()));
  await symlink(outside, join(harness.workspaceRoot, 'link.pipe.json'));
  for (const path of ['../outside/secret.pipe.json', outside, 'link.pipe.json']) {
    const content = assertInBandError(await harness.call('validate_pipeline', { path }), 'PATH_OUTSIDE_WORKSPACE');
    assert.match(String(content.hint), /PIPELANE_WORKSPACE/);
    assert.ok(String(content.hint).includes(harness.workspaceRoot));
    assert.equal(content.path, '/path');
  }
});
