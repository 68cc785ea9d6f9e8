import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runProgress } from '../../src/mcp/run-progress.js';
import { linesPipeline, startHarness, structured, type Harness } from '../unit/mcp/harness.js';

let harness: Harness;
before(async () => (harness = await startHarness()));
after(async () => harness.close());

/** lines -> upper -> sleep (ms per item), collected from the sleeper. */
const sleepy = (ms: number) => linesPipeline([{ id: 'nap', type: 'transform.sleep', config: { ms }, inputs: [{ lane: 'text', from: 'up' }] }], 'nap');

test('run_pipeline reports progress at least every 5 s during one slow item, increasing, and nothing after the result', async () => {
  const started = Date.now();
  const seen: Array<{ at: number; progress: number; message?: string }> = [];
  const result = (await harness.client.callTool(
    { name: 'run_pipeline', arguments: { pipeline: sleepy(11_000), text: 'one' } },
    undefined,
    { timeout: 60_000, onprogress: (notification) => seen.push({ at: Date.now(), ...notification }) },
  )) as CallToolResult;
  const answered = Date.now();
  assert.equal(structured(result).status, 'succeeded');
  const countAtResult = seen.length;
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.equal(seen.length, countAtResult, 'no notification after the result');

  const times = [started, ...seen.map((entry) => entry.at), answered];
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  assert.ok(Math.max(...gaps) <= 5000, `gaps between notifications: ${gaps.join(', ')} ms`);
  assert.ok(seen.length >= 4, `${seen.length} notifications in 11 s`);
  for (let index = 1; index < seen.length; index++) assert.ok(seen[index]!.progress > seen[index - 1]!.progress, `not increasing at ${index}`);
  assert.ok(seen.every((entry) => typeof entry.message === 'string' && entry.message.length > 0));
  assert.ok(seen.some((entry) => /working: \d+ item\(s\) done after \d+ s/.test(entry.message ?? '')), 'heartbeats say how far the run is');
});

test('heartbeats between items stay below the next item count, so item progress still increases', async () => {
  const sent: number[] = [];
  const progress = runProgress(
    { _meta: { progressToken: 't' }, sendNotification: async (notification) => void sent.push((notification.params as { progress: number }).progress) },
    'run-1',
    { heartbeatMs: 5 },
  );
  const heartbeats = async (count: number) => {
    const target = sent.length + count;
    while (sent.length < target) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  await heartbeats(3); // the start (0) and two heartbeats
  progress.report({ runId: 'run-1', nodeId: 'a', kind: 'item-done', itemsDone: 1, totalDone: 1 });
  await heartbeats(3);
  progress.report({ runId: 'run-1', nodeId: 'a', kind: 'item-done', itemsDone: 2, totalDone: 2 });
  await progress.finish();
  const count = sent.length;
  progress.report({ runId: 'run-1', nodeId: 'a', kind: 'item-done', itemsDone: 3, totalDone: 3 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(sent.length, count, 'nothing after finish');
  for (let index = 1; index < sent.length; index++) assert.ok(sent[index]! > sent[index - 1]!, sent.join(','));
  assert.deepEqual(sent.slice(0, 3), [0, 1 - 1 / 2, 1 - 1 / 3]);
  assert.ok(sent.includes(1) && sent.includes(2), sent.join(','));
  assert.ok(sent.filter((value) => value > 1 && value < 2).length >= 2, sent.join(","));
});
