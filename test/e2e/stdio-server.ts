import { copyFile, mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const binPath = join(repoRoot, 'bin', 'pipelane.js');

/** A temporary workspace folder with the given repository files copied in (same relative paths). */
export async function makeWorkspace(files: Array<{ from: string; to: string }>): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'pipelane-e2e-')));
  for (const { from, to } of files) {
    await mkdir(join(root, to, '..'), { recursive: true });
    await copyFile(join(repoRoot, from), join(root, to));
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** The real server (`node bin/pipelane.js mcp`) over stdio, started in `workspace`. */
export async function connectStdio(workspace: string): Promise<{ client: Client; stderr: () => string; close(): Promise<void> }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, 'mcp'],
    cwd: workspace,
    env: { PIPELANE_WORKSPACE: workspace, PIPELANE_HOME: join(workspace, '.pipelane'), PIPELANE_LOG_LEVEL: 'info' },
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const client = new Client({ name: 'pipelane-e2e', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => log, close: () => client.close() };
}
