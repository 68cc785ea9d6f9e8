import path from 'node:path';
import type { Command } from 'commander';
import { PipelaneError } from '../../node-kit/index.js';
import { resolveTraceDir, resolveWorkspaceRoot } from '../app.js';
import { EXIT_OK, EXIT_RUN_FAILED, reportError } from '../output.js';

interface ChromaStartOptions {
  path?: string;
  port?: string;
}

export function registerChromaCommand(program: Command): void {
  const chroma = program.command('chroma').description('A local Chroma server for store.chroma');
  chroma
    .command('start')
    .description('Run a Chroma server on 127.0.0.1 in the foreground; prints its URL, Ctrl-C stops it')
    .option('--path <dir>', 'data folder (default: .pipelane/chroma in the workspace)')
    .option('--port <n>', 'port to listen on', '8000')
    .action(async (options: ChromaStartOptions) => {
      process.exitCode = await startCommand(options);
    });
}

async function startCommand(options: ChromaStartOptions): Promise<number> {
  // Listen before anything starts: a Ctrl-C during start-up must still stop the server, never leave it running.
  const interrupted = new Promise<'signal'>((resolve) => {
    process.once('SIGINT', () => resolve('signal'));
    process.once('SIGTERM', () => resolve('signal'));
  });
  try {
    const port = Number(options.port ?? 8000);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new PipelaneError('USAGE', `--port must be a whole number from 1 to 65535, got "${options.port}".`, { hint: 'Example: --port 8000' });
    }
    const dataPath = path.resolve(options.path ?? path.join(resolveTraceDir(resolveWorkspaceRoot()), 'chroma'));
    const { startChromaServer } = await import('../../models/chroma-server.js');
    const server = await startChromaServer({ path: dataPath, port, holdProcess: true });
    process.stdout.write(`${server.url}\n`);
    process.stderr.write(`Chroma serving ${dataPath} at ${server.url} (Ctrl-C stops it)\n`);
    const stopped = await Promise.race([interrupted, server.exitedPromise.then(() => 'exited' as const)]);
    if (stopped === 'exited') {
      throw new PipelaneError('CHROMA_START_FAILED', `The Chroma server at ${server.url} stopped on its own.\n${server.outputTail()}`, {
        hint: 'Read the server output above; start it again once the cause is fixed.',
      });
    }
    await server.stop();
    return EXIT_OK;
  } catch (error) {
    const code = reportError(error);
    return code === EXIT_OK ? EXIT_RUN_FAILED : code;
  }
}
