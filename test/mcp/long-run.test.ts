import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { linesPipeline, startHarness, structured, type Harness } from '../unit/mcp/harness.js';

// The one real-time long test of the suite: a run of 90 s (a node sleeping, so it costs no CPU)
// behind the SDK client's 60 s request timeout, which only progress notifications keep from firing.
let harness: Harness;
before(async () => (harness = await startHarness()));
after(async () => harness.close());

test('a 90-second run behind a 60-second client timeout that resets on progress completes', { timeout: 150_000 }, async () => {
  const pipeline = linesPipeline([{ id: 'nap', type: 'transform.sleep', config: { ms: 90_000 }, inputs: [{ lane: 'text', from: 'up' }] }], 'nap');
  const started = Date.now();
  let notifications = 0;
  const result = (await harness.client.callTool({ name: 'run_pipeline', arguments: { pipeline, text: 'long' } }, undefined, {
    timeout: 60_000,
    resetTimeoutOnProgress: true,
    onprogress: () => void (notifications += 1),
  })) as CallToolResult;
  const elapsed = Date.now() - started;
  assert.equal(structured(result).status, 'succeeded', JSON.stringify(result));
  assert.deepEqual((structured(result).outputs as { out: Array<{ text: string }> }).out.map((item) => item.text), ['LONG']);
  assert.ok(elapsed >= 90_000, `took ${elapsed} ms`);
  assert.ok(notifications >= 18, `${notifications} notifications in ${elapsed} ms`);
});
