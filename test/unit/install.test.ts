import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../e2e/stdio-server.js';

// npm scripts and npx put node_modules/.bin first on PATH: a package with a `node` bin there makes
// `npm test` and `npx pipelane` run that Node, against native addons built for the installing one.
test('no installed package shadows `node` in node_modules/.bin', () => {
  const shadowing = ['node', 'nodejs'].filter((name) => existsSync(join(repoRoot, 'node_modules', '.bin', name)));
  assert.deepEqual(shadowing, [], 'Node 22 for the conformance suite belongs in node_modules/.cache/pipelane-node22 (scripts/install-test-node.mjs)');
});

test('the CLI opens its trace store on the Node that runs npm', () => {
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'pipelane.js'), 'traces', '--limit', '1', '--json'], {
    cwd: repoRoot,
    env: { ...process.env, PIPELANE_HOME: join(repoRoot, 'node_modules', '.cache', 'pipelane-install-test') },
    encoding: 'utf8',
  });
  assert.doesNotThrow(() => JSON.parse(out), out);
  // Under `npm test`, npm_node_execpath is the Node running npm: the tests must run on that one.
  const npmNode = process.env.npm_node_execpath ?? process.execPath;
  assert.equal(execFileSync(npmNode, ['-p', 'process.version'], { encoding: 'utf8' }).trim(), process.version, 'the tests run on another Node than npm');
});
