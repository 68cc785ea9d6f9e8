/**
 * Child process for the multi-process store test (not a test file itself).
 * Usage: node --import tsx concurrent-writer.ts <file> <prefix> <count>
 * Prints "ready", waits for "go" on stdin, opens the store, writes <count> spans of run <prefix>-run,
 * ends the run, prints "done <count>".
 */
import { createInterface } from 'node:readline';
import { dirname, basename } from 'node:path';
import { openTraceStore } from '../../../src/trace/index.js';

const [file = '', prefix = 'child', countText = '0'] = process.argv.slice(2);
const count = Number(countText);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const store = openTraceStore({ dir: dirname(file), file: basename(file) });
  const runId = `${prefix}-run`;
  store.startRun({ runId, pipeline: 'concurrency', status: 'running', startedAt: new Date().toISOString() });
  for (let index = 0; index < count; index += 1) {
    const now = new Date().toISOString();
    store.recordSpan({
      spanId: `${prefix}-${index}`, runId, nodeId: prefix, nodeType: 'test.writer', kind: 'node', status: 'ok',
      startedAt: now, endedAt: now, durationMs: index, itemsIn: 1, itemsOut: 1,
    });
    if (index % 50 === 0) store.endRun(runId, { warnings: [`at ${index}`] });
  }
  store.endRun(runId, { status: 'succeeded', endedAt: new Date().toISOString() });
  store.close();
  process.stdout.write(`done ${count}\n`);
  break;
}
lines.close();
