import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { binPath, makeWorkspace, repoRoot } from './stdio-server.js';

const run = promisify(execFile);
const inspector = join(repoRoot, 'node_modules', '.bin', 'mcp-inspector');

let workspace: { root: string; remove(): Promise<void> };
before(async () => (workspace = await makeWorkspace([])));
after(async () => workspace?.remove());

test('the MCP Inspector CLI lists the tools of `node bin/pipelane.js mcp`', async () => {
  const { stdout } = await run(inspector, ['--cli', process.execPath, binPath, 'mcp', '--method', 'tools/list'], {
    cwd: workspace.root,
    env: { ...process.env, PIPELANE_WORKSPACE: workspace.root, PIPELANE_HOME: join(workspace.root, '.pipelane') },
    timeout: 60_000,
  });
  const listed = JSON.parse(stdout) as { tools: Array<{ name: string; inputSchema: { type: string }; outputSchema?: { type: string } }> };
  const names = listed.tools.map((tool) => tool.name).sort();
  // The pipeline tools; agent tools (run_agent, ...) are listed too and tested elsewhere.
  const expected = ['delete_pipeline', 'describe_node', 'get_pipeline', 'get_run', 'list_lanes', 'list_nodes', 'list_pipelines', 'plan_path', 'query_traces', 'run_pipeline', 'save_pipeline', 'validate_pipeline'];
  assert.deepEqual(names.filter((name) => expected.includes(name)), expected);
  assert.ok(listed.tools.every((tool) => tool.inputSchema.type === 'object' && tool.outputSchema?.type === 'object'));
});
