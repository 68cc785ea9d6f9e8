import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { binPath } from '../e2e/stdio-server.js';

export interface HttpCli {
  /** The URL the server printed on stderr. */
  url: string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code (null when a signal killed it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The real server, `node bin/pipelane.js mcp --http 127.0.0.1:0 ...`, started in `workspace`;
 * resolves once it printed its URL on stderr. The port is chosen by the system.
 */
export async function startHttpCli(workspace: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<HttpCli> {
  const child = spawn(process.execPath, [binPath, 'mcp', '--http', '127.0.0.1:0', ...extraArgs], {
    cwd: workspace,
    env: { ...process.env, PIPELANE_WORKSPACE: workspace, PIPELANE_HOME: join(workspace, '.pipelane'), PIPELANE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL on stderr within 60 s:\n${log}`)), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const found = /Pipelane MCP server on (http:\/\/\S+\/mcp)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before printing its URL:\n${log}`));
    });
  });
  return {
    url,
    stderr: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
