import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { laneNames } from '../../../src/lanes/index.js';
import { assertInBandError, startHarness, structured, type Harness } from './harness.js';

let harness: Harness;
before(async () => (harness = await startHarness()));
after(async () => harness.close());

test('list_lanes returns every lane with a description and an object payload schema', async () => {
  const result = await harness.call('list_lanes');
  assert.equal(result.isError, undefined);
  const lanes = structured(result).lanes as Array<{ name: string; description: string; payloadSchema: { type?: string } }>;
  assert.deepEqual(lanes.map((lane) => lane.name), laneNames);
  const text = lanes.find((lane) => lane.name === 'text')!;
  assert.equal(text.payloadSchema.type, 'object');
  assert.ok(text.description.length > 0);
  const copy = result.content[0];
  assert.ok(copy?.type === 'text' && JSON.parse(copy.text).lanes.length === laneNames.length, 'text copy holds the same JSON');
});

test('list_lanes ignores arguments it does not know instead of failing', async () => {
  const result = await harness.call('list_lanes', { unexpected: 1 });
  assert.equal(result.isError, undefined);
  assert.equal((structured(result).lanes as unknown[]).length, laneNames.length);
});

test('list_nodes filters by lane, category and query', async () => {
  const all = structured(await harness.call('list_nodes')).nodes as Array<{ type: string; source: boolean }>;
  assert.equal(all.length, 9);
  const byLane = structured(await harness.call('list_nodes', { lane: 'documents' })).nodes as Array<{ type: string }>;
  assert.deepEqual(byLane.map((node) => node.type), ['chunk.fake']);
  const byCategory = structured(await harness.call('list_nodes', { category: 'source' })).nodes as Array<{ type: string; source: boolean; inputs: string[] }>;
  assert.deepEqual(byCategory.map((node) => node.type), ['source.file', 'source.lines']);
  assert.ok(byCategory.every((node) => node.source && node.inputs.length === 0));
  const byQuery = structured(await harness.call('list_nodes', { query: 'UPPER' })).nodes as Array<{ type: string }>;
  assert.deepEqual(byQuery.map((node) => node.type), ['transform.upper']);
});

test('list_nodes with no match answers an empty list and names the categories', async () => {
  const content = structured(await harness.call('list_nodes', { category: 'vision' }));
  assert.deepEqual(content.nodes, []);
  assert.match(String(content.hint), /Categories: chunk, ocr, source, transform/);
});

test('list_nodes with an unknown lane is an in-band error, and the server keeps serving', async () => {
  const result = await harness.call('list_nodes', { lane: 'pictures' });
  assert.equal(result.isError, true);
  const error = structured(result);
  assert.equal(error.code, 'ARGUMENTS_INVALID');
  assert.match(String(error.message), /Invalid arguments for list_nodes: .*image/);
  assert.equal(error.path, '/lane');
  assert.equal((await harness.call('list_nodes', { lane: 'image' })).isError, undefined);
});

test('describe_node gives lanes, the config JSON Schema and examples', async () => {
  const content = structured(await harness.call('describe_node', { type: 'chunk.fake' }));
  assert.equal(content.type, 'chunk.fake');
  assert.equal(content.category, 'chunk');
  assert.deepEqual(content.inputs, ['text']);
  assert.deepEqual(content.outputs, ['documents']);
  assert.equal((content.configSchema as { type: string }).type, 'object');
  assert.deepEqual(content.examples, []);
  assert.equal(content.source, false);
});

test('describe_node with an unknown type is an in-band UNKNOWN_NODE_TYPE naming the nearest type', async () => {
  const content = assertInBandError(await harness.call('describe_node', { type: 'chunk.fak' }), 'UNKNOWN_NODE_TYPE');
  assert.match(String(content.hint), /chunk\.fake/);
  assert.equal(content.path, '/type');
});

test('plan_path finds image -> documents and returns a skeleton that validates', async () => {
  const content = structured(await harness.call('plan_path', { from: 'image', to: 'documents' }));
  const paths = content.paths as Array<{ nodes: string[]; pipeline: Record<string, unknown> }>;
  assert.deepEqual(paths[0]!.nodes, ['ocr.fake', 'chunk.fake']);
  assert.deepEqual(paths[0]!.pipeline, {
    version: 1,
    name: 'image-to-documents',
    nodes: [
      { id: 'in', type: 'source.file' },
      { id: 'ocr', type: 'ocr.fake', inputs: [{ lane: 'image', from: 'in' }] },
      { id: 'chunk', type: 'chunk.fake', inputs: [{ lane: 'text', from: 'ocr' }] },
    ],
    outputs: [{ lane: 'documents', from: 'chunk', as: 'documents' }],
  });
  const validation = structured(await harness.call('validate_pipeline', { pipeline: paths[0]!.pipeline }));
  assert.equal(validation.valid, true, JSON.stringify(validation.problems));
});

test('plan_path without a source for `from` returns only the chain and says what to add', async () => {
  const content = structured(await harness.call('plan_path', { from: 'documents', to: 'documents', maxLength: 2 }));
  const paths = content.paths as Array<{ nodes: string[]; pipeline: { nodes: unknown[] } }>;
  assert.deepEqual(paths[0]!.nodes, []);
  assert.match(String(content.hint), /No source node emits documents/);
});

test('plan_path with no chain answers an empty list with what reads and emits the lanes', async () => {
  const content = structured(await harness.call('plan_path', { from: 'documents', to: 'image' }));
  assert.deepEqual(content.paths, []);
  assert.match(String(content.hint), /No chain of at most 4 nodes turns documents into image/);
});

test('plan_path with a bad maxLength is an in-band error', async () => {
  const result = await harness.call('plan_path', { from: 'image', to: 'text', maxLength: 0 });
  assert.equal(result.isError, true);
  const text = result.content[0];
  assert.ok(text?.type === 'text' && /maxLength/.test(text.text));
});
