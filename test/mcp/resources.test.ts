import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import chunkText from '../../nodes/chunk/text/node.js';
import { packageRoot } from '../../src/package-info.js';
import { fakeNodes, linesPipeline, startHarness, structured, type Harness } from '../unit/mcp/harness.js';

let harness: Harness;
before(async () => (harness = await startHarness({ nodes: [...fakeNodes, chunkText] })));
after(async () => harness.close());

const textOf = async (uri: string) => {
  const { contents } = await harness.client.readResource({ uri });
  return { text: String((contents[0] as { text: string }).text), mimeType: contents[0]!.mimeType, uri: contents[0]!.uri };
};

test('resources/templates/list offers node pages, saved pipelines, run traces and run outputs', async () => {
  const { resourceTemplates } = await harness.client.listResourceTemplates();
  assert.deepEqual(resourceTemplates.map((template) => [template.name, template.uriTemplate, template.mimeType]).sort(), [
    ['node', 'pipelane://nodes/{type}', 'text/markdown'],
    ['pipeline', 'pipelane://pipelines/{name}', 'application/json'],
    ['run', 'pipelane://runs/{runId}', 'application/json'],
    ['run-output', 'pipelane://runs/{runId}/outputs/{name}', 'application/json'],
  ]);
  const output = resourceTemplates.find((template) => template.name === 'run-output');
  assert.match(String(output?.description), /\?page=N/);
});

test('a node page is the generated docs/nodes/<type>.md; a node without one gets a page made from its definition', async () => {
  const page = await textOf('pipelane://nodes/chunk.text');
  assert.equal(page.mimeType, 'text/markdown');
  assert.equal(page.text, await readFile(join(packageRoot, 'docs', 'nodes', 'chunk.text.md'), 'utf8'));
  const fake = await textOf('pipelane://nodes/transform.upper');
  assert.match(fake.text, /^# `transform.upper`/);
  assert.match(fake.text, /- reads: `text`/);
});

test('an unknown node, pipeline or run is a resource-not-found error (-32002) naming what exists', async () => {
  const expectNotFound = async (uri: string, pattern: RegExp) => {
    const error = await harness.client.readResource({ uri }).then(() => undefined, (caught: unknown) => caught);
    assert.ok(error instanceof McpError, `${uri}: ${String(error)}`);
    assert.equal(error.code, -32002, `${uri}: ${error.message}`);
    assert.match(error.message, pattern);
    assert.equal(error.message.match(/MCP error/g)?.length, 1, `one "MCP error" prefix: ${error.message}`);
    assert.match(String((error.data as { code?: string } | undefined)?.code), /NOT_FOUND$/);
  };
  await expectNotFound('pipelane://nodes/chunk.txet', /Nearest: chunk\.text/);
  await expectNotFound('pipelane://pipelines/none-such', /No saved pipeline "none-such"/);
  await expectNotFound('pipelane://runs/no-such-run', /query_traces/);
});

test('resources/list lists node pages, saved pipelines and recent runs; reading them gives the pipeline JSON and the run with its spans', async () => {
  await harness.call('save_pipeline', { pipeline: { ...linesPipeline(), name: 'listed', description: 'Lines, loud' } });
  const run = structured(await harness.call('run_pipeline', { name: 'listed', text: 'a\nb' }));
  const { resources } = await harness.client.listResources();
  const uris = resources.map((resource) => resource.uri);
  for (const uri of ['pipelane://nodes/chunk.text', 'pipelane://nodes/transform.upper', 'pipelane://pipelines/listed', `pipelane://runs/${String(run.runId)}`]) {
    assert.ok(uris.includes(uri), `${uri} not listed`);
  }
  assert.equal(resources.find((resource) => resource.uri === 'pipelane://pipelines/listed')?.description, 'Lines, loud');

  const pipeline = JSON.parse((await textOf('pipelane://pipelines/listed')).text) as { name: string };
  assert.equal(pipeline.name, 'listed');
  const trace = JSON.parse((await textOf(`pipelane://runs/${String(run.runId)}`)).text) as { run: { status: string }; spans: Array<{ nodeId: string }> };
  assert.equal(trace.run.status, 'succeeded');
  assert.deepEqual([...new Set(trace.spans.map((span) => span.nodeId))].sort(), ['in', 'up']);
});
