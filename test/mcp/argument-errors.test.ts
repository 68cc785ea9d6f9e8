import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, structured, type Harness } from '../unit/mcp/harness.js';

// Arguments the SDK's schema check refuses come back typed like every other error, not as bare text.
let harness: Harness;
before(async () => (harness = await startHarness()));
after(async () => harness.close());

test('arguments that do not match a tool schema are ARGUMENTS_INVALID with a hint and the path of the bad one', async () => {
  const cases: Array<[string, Record<string, unknown>, RegExp, string | undefined]> = [
    ['list_nodes', { lane: 'foo' }, /Invalid arguments for list_nodes: .*lane/, '/lane'],
    ['run_pipeline', { input: 42 }, /Invalid arguments for run_pipeline: .*input/, '/input'],
    ['validate_pipeline', { pipeline: 'a string' }, /Invalid arguments for validate_pipeline/, '/pipeline'],
    ['plan_path', { from: 'image', to: 'nowhere' }, /Invalid arguments for plan_path/, '/to'],
  ];
  for (const [tool, args, message, path] of cases) {
    const result = await harness.call(tool, args);
    assert.equal(result.isError, true, tool);
    const error = structured(result);
    assert.equal(error.code, 'ARGUMENTS_INVALID', `${tool}: ${JSON.stringify(result.content)}`);
    assert.match(String(error.message), message);
    assert.doesNotMatch(String(error.message), /MCP error/);
    assert.match(String(error.hint), /input schema/);
    assert.equal(error.path, path, tool);
  }
  // The server keeps serving: a good call right after.
  assert.notEqual((await harness.call('list_nodes', {})).isError, true);
});
