import type { Command } from 'commander';
import { createApp } from '../app.js';

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve the Pipelane tools to an MCP client over stdio (logs go to stderr)')
    .action(async () => {
      const { serveStdio } = await import('../../mcp/stdio.js');
      await serveStdio(await createApp());
    });
}
