import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadRegistry } from '../../src/cli/app.js';
import { createEngine } from '../../src/engine/index.js';
import { loadPipelineFile } from '../../src/pipeline/index.js';
import { shutdownModels } from '../../src/models/index.js';
import { openTraceStore } from '../../src/trace/index.js';

after(() => shutdownModels());

const animals = ['zebra', 'walrus', 'falcon', 'badger', 'otter', 'lemur', 'bison', 'heron', 'gecko', 'koala'];

const mailbox = (index: number) => `${animals[index % animals.length]}.${index < 10 ? 'north' : 'south'}@example.com`;

/** A small scanned-looking line: a unique animal, a unique number and a unique e-mail per run. */
async function renderPage(index: number): Promise<Buffer> {
  const animal = animals[index % animals.length]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="220"><rect width="100%" height="100%" fill="white"/>
    <text x="30" y="80" font-family="DejaVu Sans" font-size="34">Ticket ${1000 + index} belongs to the ${animal}.</text>
    <text x="30" y="150" font-family="DejaVu Sans" font-size="34">Write to ${mailbox(index)} today.</text></svg>`;
  return sharp(Buffer.from(svg)).grayscale().png().toBuffer();
}

test('20 concurrent OCR → PII → chunk runs through one engine: each output holds only its own input', { timeout: 240_000 }, async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'pipelane-concurrent-'));
  const files = await Promise.all(
    Array.from({ length: 20 }, async (_, index) => {
      const path = join(folder, `page-${index}.png`);
      await writeFile(path, await renderPage(index));
      return path;
    }),
  );
  const store = openTraceStore({ file: ':memory:' });
  const engine = createEngine({ registry: await loadRegistry(), traceStore: store });
  const pipeline = await loadPipelineFile(new URL('../../pipelines/scan-to-redacted-chunks.pipe.json', import.meta.url).pathname);
  const started = Date.now();
  const results = await Promise.all(files.map((path) => engine.run({ pipeline, inputs: [{ path }] })));
  t.diagnostic(`20 runs in ${Date.now() - started} ms`);

  results.forEach((result, index) => {
    assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
    const animal = animals[index % animals.length]!;
    const chunks = (result.outputs.chunks as Array<Array<{ text: string }>>).flat().map((chunk) => chunk.text).join('\n');
    assert.match(chunks, new RegExp(`Ticket ${1000 + index} belongs to the ${animal}`));
    assert.ok(chunks.includes('<EMAIL_ADDRESS>') && !chunks.includes('@example.com'), chunks);
    const foreign = animals.filter((other) => other !== animal && chunks.includes(other));
    assert.deepEqual(foreign, [], `run ${index} (${animal}) holds text of other runs`);
    const ticketNumbers = chunks.match(/Ticket \d+/g) ?? [];
    assert.deepEqual(ticketNumbers, [`Ticket ${1000 + index}`]);
    const entities = result.outputs.entities as Array<{ entities: Array<{ type: string; text?: string }> }>;
    assert.deepEqual(entities[0]!.entities.map((entity) => entity.text), [mailbox(index)]);
    // every span of the run belongs to it, and names only its own input
    const spans = store.querySpans({ runId: result.runId });
    assert.equal(spans.length, 4);
    for (const span of spans) {
      const foreignInSpan = animals.filter((other) => other !== animal && `${span.inputPreview}${span.outputPreview}`.includes(other));
      assert.deepEqual(foreignInSpan, [], `span ${span.nodeId} of run ${index} mentions ${foreignInSpan.join(', ')}`);
    }
  });
  store.close();
});
