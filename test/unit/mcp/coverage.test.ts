import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { requirements } from './requirements.js';
import { startHarness, type Harness } from './harness.js';

let harness: Harness;
let toolNames: string[];
before(async () => {
  harness = await startHarness();
  toolNames = (await harness.client.listTools()).tools.map((tool) => tool.name);
});
after(async () => harness.close());

/** Names of the `test('...')` calls in a test file (string literals in any quote style). */
async function testNamesIn(file: string): Promise<Set<string>> {
  const source = await readFile(new URL(file, import.meta.url), 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/\btest\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)) {
    names.add(match[2]!.replace(/\\(.)/g, '$1'));
  }
  return names;
}

test('every registered tool has requirements with a happy path and an error case listed', () => {
  const missing = toolNames.filter((name) => (requirements[name]?.flatMap((entry) => entry.tests).length ?? 0) < 2);
  assert.deepEqual(missing, [], `tools without tests in test/unit/mcp/requirements.ts: ${missing.join(', ')}`);
  const stale = Object.keys(requirements).filter((name) => name !== '*' && !toolNames.includes(name));
  assert.deepEqual(stale, [], 'requirements name tools the server does not register');
});

test('every test named in the requirements table exists in its file', async () => {
  const absent: string[] = [];
  for (const entries of Object.values(requirements)) {
    for (const { file, tests } of entries) {
      const names = await testNamesIn(file);
      for (const name of tests) if (!names.has(name)) absent.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(absent, []);
});
