import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_LIMITS, resolveLimits } from '../../src/mcp/limits.js';
import { cutValue, paginate } from '../../src/mcp/output-budget.js';
import { linesPipeline, startHarness, structured, type Harness } from '../unit/mcp/harness.js';

const BUDGET = 3000;
let harness: Harness;
before(async () => (harness = await startHarness({ limits: { outputBudget: BUDGET } })));
after(async () => harness.close());

const lines = Array.from({ length: 400 }, (_, index) => `line ${index} ${'x'.repeat(index % 50)}`);

async function readPage(uri: string): Promise<Record<string, any>> {
  const { contents } = await harness.client.readResource({ uri });
  assert.equal(contents.length, 1);
  assert.equal(contents[0]!.mimeType, 'application/json');
  const text = String((contents[0] as { text: string }).text);
  assert.ok(text.length <= BUDGET, `page of ${text.length} characters`);
  return JSON.parse(text) as Record<string, any>;
}

test('a result over the output budget returns a preview and a resource_link that resources/read serves fully in pages', async () => {
  const result = (await harness.call('run_pipeline', { pipeline: linesPipeline(), text: lines.join('\n') })) as CallToolResult;
  const content = structured(result);
  assert.equal(content.status, 'succeeded');
  const text = result.content.find((part) => part.type === 'text') as { text: string };
  assert.ok(text.text.length <= BUDGET, `result text of ${text.text.length} characters`);

  const preview = (content.outputs as { out: Array<{ text: string }> }).out;
  assert.ok(preview.length > 0 && preview.length < lines.length);
  assert.deepEqual(preview.map((item) => item.text), lines.slice(0, preview.length).map((line) => line.toUpperCase()));
  const [truncated] = content.truncated as Array<Record<string, unknown>>;
  const uri = `pipelane://runs/${String(content.runId)}/outputs/out`;
  assert.deepEqual({ ...truncated, pages: undefined }, { output: 'out', uri, items: lines.length, shown: preview.length, pages: undefined });

  const links = result.content.filter((part): part is ResourceLink => part.type === 'resource_link');
  assert.deepEqual(links.map((link) => [link.uri, link.mimeType]), [[uri, 'application/json']]);

  const items: Array<{ text: string }> = [];
  let next: string | undefined = uri;
  let pages = 0;
  while (next) {
    const page = await readPage(next);
    pages += 1;
    assert.equal(page.page, pages);
    assert.equal(page.firstItem, items.length);
    items.push(...(page.items as Array<{ text: string }>));
    next = page.next as string | undefined;
  }
  assert.equal(pages, truncated!.pages);
  assert.ok(pages > 1);
  assert.deepEqual(items.map((item) => item.text), lines.map((line) => line.toUpperCase()));
});

test('a small result is whole, with no links; a page out of range and an unknown output are resource errors', async () => {
  const small = (await harness.call('run_pipeline', { pipeline: linesPipeline(), text: 'a\nb' })) as CallToolResult;
  assert.equal(structured(small).truncated, undefined);
  assert.deepEqual(small.content.map((part) => part.type), ['text']);

  const big = structured(await harness.call('run_pipeline', { pipeline: linesPipeline(), text: lines.join('\n') }));
  const { uri, pages } = (big.truncated as Array<{ uri: string; pages: number }>)[0]!;
  await assert.rejects(harness.client.readResource({ uri: `${uri}?page=${pages + 1}` }), /has \d+ page\(s\)/);
  await assert.rejects(harness.client.readResource({ uri: `pipelane://runs/${String(big.runId)}/outputs/nope` }), /No stored output "nope"/);
  await assert.rejects(harness.client.readResource({ uri: `pipelane://runs/${String(small.structuredContent?.runId)}/outputs/out` }), /cut by the output budget/);
});

test('the output budget defaults to 20,000 characters and PIPELANE_MCP_OUTPUT_BUDGET sets it', () => {
  assert.equal(DEFAULT_LIMITS.outputBudget, 20_000);
  assert.equal(resolveLimits({}, {}).outputBudget, 20_000);
  assert.equal(resolveLimits({}, { PIPELANE_MCP_OUTPUT_BUDGET: '5000' }).outputBudget, 5000);
  assert.throws(() => resolveLimits({}, { PIPELANE_MCP_OUTPUT_BUDGET: 'lots' }), /PIPELANE_MCP_OUTPUT_BUDGET/);
});

test('pages hold whole items within the page size, an oversized item alone; previews cut long strings and arrays', () => {
  const items = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(200), 'd'];
  assert.deepEqual(paginate(items, 500).map((page) => page.length), [2, 1, 1]);
  assert.deepEqual(paginate([], 500), [[]]);
  assert.equal(cutValue('x'.repeat(10), 4), 'xxxx… [cut: 6 more characters]');
  assert.deepEqual(cutValue({ list: Array.from({ length: 12 }, (_, index) => index) }, 10), { list: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, '… [cut: 2 more entries]'] });
});
