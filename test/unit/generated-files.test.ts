import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

// The node and agent lists (nodes/index.ts, agents/index.ts) and the reference docs are generated
// from the definitions; a stale copy would mislead agents reading docs/ and leave a new node or
// agent framework out of the registry.
for (const script of ['scripts/gen-index.ts', 'scripts/gen-docs.ts']) {
  test(`${script} output is committed and fresh (else run \`npm run gen\`)`, () => {
    assert.doesNotThrow(() => execFileSync(process.execPath, ['--import', 'tsx', script, '--check'], { stdio: 'pipe' }));
  });
}
