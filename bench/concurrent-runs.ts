/**
 * 60 concurrent OCR → PII → chunk runs (pipelines/scan-to-redacted-chunks.pipe.json, the engine the
 * CLI builds, traces written to a SQLite file): pages per second, against the rate of the OCR pool
 * alone on the same 60 pages (the ceiling: the pool fed directly, every worker busy), measured just
 * before and just after the runs and averaged, so drifting machine load hits both. Crosstalk check:
 * each page carries its own ticket number, animal and e-mail address; each run's chunks must hold
 * its own and nobody else's, with the address redacted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRegistry } from '../src/cli/app.js';
import { createEngine } from '../src/engine/index.js';
import { shutdownModels } from '../src/models/index.js';
import { loadPipelineFile } from '../src/pipeline/index.js';
import { openTraceStore } from '../src/trace/index.js';
import { poolRate } from './ocr-throughput.js';
import { animals, phototestWithLines } from './pages.js';
import { median, row, type Benchmark } from './report.js';

const ticket = (index: number) => 1000 + index;
const mailbox = (index: number) => `${animals[index % animals.length]}.${ticket(index)}@example.com`;

function crosstalk(index: number, chunks: string): string | undefined {
  const own = `Ticket ${ticket(index)} belongs to the ${animals[index % animals.length]}`;
  if (!chunks.includes(own)) return `run ${index} lacks its own line "${own}"`;
  const tickets = chunks.match(/Ticket \d+/g) ?? [];
  if (tickets.some((found) => found !== `Ticket ${ticket(index)}`)) return `run ${index} holds ${tickets.join(', ')}`;
  const foreign = animals.filter((animal) => animal !== animals[index % animals.length] && chunks.includes(animal));
  if (foreign.length > 0) return `run ${index} holds ${foreign.join(', ')}`;
  if (chunks.includes('@example.com') || !chunks.includes('<EMAIL_ADDRESS>')) return `run ${index}: the e-mail address was not redacted`;
  return undefined;
}

export const concurrentRuns: Benchmark = async ({ quick }) => {
  const count = quick ? 12 : 60;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bench-concurrent-'));
  try {
    const pages = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        phototestWithLines([`Ticket ${ticket(index)} belongs to the ${animals[index % animals.length]}.`, `Mail ${mailbox(index)} today.`]),
      ),
    );
    const files = pages.map((png, index) => {
      const file = path.join(folder, `scan-${index}.png`);
      writeFileSync(file, png);
      return file;
    });

    const before = await poolRate(pages);

    const store = openTraceStore({ dir: path.join(folder, 'traces') });
    const engine = createEngine({ registry: await loadRegistry(), traceStore: store });
    const pipeline = await loadPipelineFile(new URL('../pipelines/scan-to-redacted-chunks.pipe.json', import.meta.url).pathname);
    await engine.run({ pipeline, inputs: [{ path: files[0]! }] }); // PII patterns and chunker warm
    const started = performance.now();
    const results = await Promise.all(files.map((file) => engine.run({ pipeline, inputs: [{ path: file }] })));
    const seconds = (performance.now() - started) / 1000;
    const failures = results.filter((result) => result.status !== 'succeeded').map((result) => JSON.stringify(result.error));
    const problems = results
      .map((result, index) => crosstalk(index, ((result.outputs.chunks ?? []) as Array<Array<{ text: string }>>).flat().map((chunk) => chunk.text).join('\n')))
      .filter((problem): problem is string => problem !== undefined);
    const waits = results.flatMap((result) => result.spans.filter((span) => span.nodeId === 'ocr').map((span) => Number(span.attributes?.['model.queueWaitMs'] ?? 0)));
    store.close();
    const after = await poolRate(pages);
    const pool = { pagesPerSecond: (before.pagesPerSecond + after.pagesPerSecond) / 2, workers: Math.max(before.workers, after.workers) };

    const rate = count / seconds;
    return [
      row({
        id: 'concurrent-runs',
        title: `4. ${count} concurrent OCR → PII → chunk runs`,
        ours: { value: rate, unit: 'pages/s', label: `${count} pipeline runs` },
        peer: { value: pool.pagesPerSecond, unit: 'pages/s', label: `the OCR pool alone (${pool.workers} workers)` },
        target: { text: '≥ 0.90×, zero crosstalk', met: rate / pool.pagesPerSecond >= 0.9 && problems.length === 0 && failures.length === 0 },
        notes: [
          `Crosstalk: ${problems.length === 0 ? `none in ${count} runs (own ticket, animal and redacted address only)` : problems.slice(0, 3).join('; ')}.`,
          ...(failures.length === 0 ? [] : [`${failures.length} runs failed: ${failures[0]}`]),
          `${count} runs in ${seconds.toFixed(1)} s; OCR queue wait per page: median ${median(waits).toFixed(0)} ms, max ${Math.max(...waits).toFixed(0)} ms. Pool alone before and after the runs: ${before.pagesPerSecond.toFixed(2)} and ${after.pagesPerSecond.toFixed(2)} pages/s.`,
        ],
      }),
    ];
  } finally {
    await shutdownModels();
    rmSync(folder, { recursive: true, force: true });
  }
};

