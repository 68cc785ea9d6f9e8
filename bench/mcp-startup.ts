/**
 * `pipelane mcp` start-up: from spawning the compiled CLI (bin/pipelane.js → dist/) to the answer to
 * the first `tools/list`, over stdio with the MCP SDK's client, median of 5 cold starts. The peer
 * is a minimal MCP SDK server with one tool (bench/peers/minimal-mcp-server.mjs), timed the same way:
 * the floor that Node start-up and the SDK set.
 */
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { median, row, type Benchmark } from './report.js';

const root = new URL('..', import.meta.url).pathname;

async function timeToToolsList(args: string[], env: Record<string, string>): Promise<{ ms: number; tools: number }> {
  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args, cwd: root, env: { ...(process.env as Record<string, string>), ...env }, stderr: 'ignore' });
  const client = new Client({ name: 'pipelane-bench', version: '1.0.0' });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    return { ms: performance.now() - started, tools: tools.length };
  } finally {
    await client.close();
  }
}

/** Newest modification time of the TypeScript sources the CLI is built from. */
function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

export const mcpStartup: Benchmark = async ({ quick }) => {
  const runs = quick ? 2 : 5;
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'bench-mcp-'));
  const env = { PIPELANE_WORKSPACE: workspace, PIPELANE_HOME: path.join(workspace, '.pipelane'), PIPELANE_LOG_LEVEL: 'error' };
  try {
    const built = statSync(path.join(root, 'dist/src/cli/main.js')).mtimeMs;
    const stale = Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'nodes'))) > built;
    await timeToToolsList(['bin/pipelane.js', 'mcp'], env); // file system cache warm, as after install
    const ours: number[] = [];
    const peer: number[] = [];
    let toolCount = 0;
    for (let index = 0; index < runs; index++) {
      const result = await timeToToolsList(['bin/pipelane.js', 'mcp'], env);
      toolCount = result.tools;
      ours.push(result.ms);
      peer.push((await timeToToolsList(['bench/peers/minimal-mcp-server.mjs'], env)).ms);
    }
    const oursMs = median(ours);
    return [
      row({
        id: 'mcp-startup',
        title: '6. `pipelane mcp` start-up to first tools/list',
        ours: { value: oursMs, unit: 'ms', label: `pipelane mcp (${toolCount} tools)` },
        peer: { value: median(peer), unit: 'ms', label: 'minimal MCP SDK server, 1 tool' },
        target: { text: '< 1000 ms', met: oursMs < 1000 },
        notes: [
          `Median of ${runs} cold starts each (ours: ${ours.map((ms) => ms.toFixed(0)).join(', ')} ms).`,
          ...(stale ? ['dist/ is older than the sources: run `npm run build` first, or these figures are of the previous build.'] : []),
        ],
      }),
    ];
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
};
