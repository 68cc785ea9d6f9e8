import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { PipelaneError } from '../node-kit/errors.js';

/**
 * A local Chroma server process started from the chromadb package's own CLI
 * (`chroma run --path <dir> --host 127.0.0.1 --port <p>`), on loopback only. The process is
 * killed when this process exits, even when nobody calls `stop()`.
 */
export interface ChromaServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The data folder (absolute). */
  readonly path: string;
  readonly pid: number | undefined;
  /** True once the process has exited (stopped, killed or crashed). */
  readonly exited: boolean;
  /** Resolves when the process has exited (after `stop()` or a crash). */
  readonly exitedPromise: Promise<void>;
  /** The last lines the server wrote to stderr (and stdout), for error messages. */
  outputTail(): string;
  /** Stops the server (SIGTERM, then SIGKILL after `graceMs`); calling it twice is harmless. */
  stop(graceMs?: number): Promise<void>;
  /** Kills the process at once (SIGKILL), as a crash would; resolves when it has exited. */
  kill(): Promise<void>;
}

export interface StartChromaServerOptions {
  /** Data folder; created when missing. */
  path: string;
  /** Default: a free port chosen by the operating system. */
  port?: number;
  /** Loopback by default; the server has no authentication. */
  host?: string;
  /** How long to wait for the heartbeat (default 20 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Keep this process alive while the server runs (a foreground command); by default it does not. */
  holdProcess?: boolean;
  /** Locates `chromadb/package.json`'s folder (default: Node's resolution from this module). */
  resolvePackageDirectory?: () => string;
}

const require = createRequire(import.meta.url);
const tailLimit = 4000;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** The chromadb package folder, found from its main entry (its `exports` hide package.json). */
export function chromaPackageDirectory(): string {
  let directory = path.dirname(require.resolve('chromadb'));
  for (let depth = 0; depth < 6; depth += 1) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'chromadb') return directory;
    directory = path.dirname(directory);
  }
  throw new Error('package.json of chromadb not found above its main entry');
}

/** The file behind `node_modules/.bin/chroma` (the package's `bin.chroma`). */
export function chromaCliPath(resolvePackageDirectory: () => string = chromaPackageDirectory): string {
  let directory: string;
  try {
    directory = resolvePackageDirectory();
  } catch (error) {
    throw new PipelaneError('CHROMA_START_FAILED', 'The chromadb package is not installed, so no local Chroma server can be started.', {
      hint: 'Install it (npm i -E chromadb@3.5.0) or point the store at a running server with `url`.',
      cause: error,
    });
  }
  const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.chroma;
  if (bin === undefined) {
    throw new PipelaneError('CHROMA_START_FAILED', `The chromadb package at ${directory} has no "chroma" command.`, {
      hint: 'Reinstall chromadb@3.5.0, which ships the `chroma` CLI.',
    });
  }
  return path.join(directory, bin);
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something listens on host:port (other bind errors are left for Chroma to report). */
async function portTaken(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/** Starts a Chroma server and resolves once its heartbeat answers. */
export async function startChromaServer(options: StartChromaServerOptions): Promise<ChromaServer> {
  const host = options.host ?? '127.0.0.1';
  const dataPath = path.resolve(options.path);
  const cli = chromaCliPath(options.resolvePackageDirectory);
  mkdirSync(dataPath, { recursive: true });
  // A port picked by the OS can be taken between the check and the bind: try a few.
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  if (options.port !== undefined && (await portTaken(host, options.port))) {
    // Chroma binds with SO_REUSEPORT: a second server on a taken port would share it silently.
    throw new PipelaneError('CHROMA_START_FAILED', `Port ${options.port} on ${host} is already in use, so no Chroma server was started there.`, {
      hint: 'Pass another --port, or leave it out to let the system pick a free one.',
      details: { path: dataPath, port: options.port, outputTail: '' },
    });
  }
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = options.port ?? (await freePort(host));
    try {
      return await launch(cli, dataPath, host, port, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PipelaneError) || !/not available|in use/i.test(String(error.details?.outputTail ?? ''))) break;
    }
  }
  throw lastError;
}

async function launch(cli: string, dataPath: string, host: string, port: number, options: StartChromaServerOptions): Promise<ChromaServer> {
  const url = `http://${host}:${port}`;
  const child = spawn(process.execPath, [cli, 'run', '--path', dataPath, '--host', host, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a signal aimed at the server's group (or a terminal's Ctrl-C) must not
    // also hit this process — the CLI test saw `pipelane chroma start` die by signal on stop.
    detached: true,
    // Chroma's CLI checks for updates on `update` only; keep it from phoning home anyway.
    env: { ...process.env, CHROMA_TELEMETRY_IMPL: 'none', ANONYMIZED_TELEMETRY: 'False' },
  });
  trackForExit(child);
  // By default the server does not keep this process alive: the exit hook kills it.
  const streams = [child.stdout, child.stderr] as unknown as Array<{ ref?: () => void; unref?: () => void } | null>;
  const hold = (held: boolean) => {
    if (held) child.ref();
    else child.unref();
    for (const stream of streams) (held ? stream?.ref : stream?.unref)?.call(stream);
  };
  hold(options.holdProcess === true);
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-tailLimit);
  };
  child.stderr?.on('data', append);
  child.stdout?.on('data', append);
  let exited = false;
  let exitDescription = '';
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitDescription = signal ? `signal ${signal}` : `exit code ${code}`;
      live.delete(child);
      resolve();
    });
    child.once('error', (error) => {
      exited = true;
      exitDescription = error.message;
      live.delete(child);
      resolve();
    });
  });
  const outputTail = () => stripAnsi(tail).split('\n').filter((line) => line.trim() !== '').slice(-20).join('\n');
  const server: ChromaServer = {
    url,
    port,
    path: dataPath,
    pid: child.pid,
    get exited() {
      return exited;
    },
    exitedPromise,
    outputTail,
    async stop(graceMs = 5_000) {
      if (exited) return;
      hold(true); // wait for the exit even when nothing else keeps the event loop going
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
    async kill() {
      if (exited) return;
      hold(true);
      child.kill('SIGKILL');
      await exitedPromise;
    },
  };

  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  const fail = async (reason: string): Promise<never> => {
    await server.stop(1_000);
    const lastLines = outputTail();
    throw new PipelaneError(
      'CHROMA_START_FAILED',
      `The local Chroma server (data ${dataPath}, port ${port}) did not start: ${reason}.${lastLines ? `\n${lastLines}` : ''}`,
      {
        hint: /GLIBC_/.test(lastLines)
          ? 'The chromadb binding needs a newer glibc: pin chromadb-js-bindings-linux-x64-gnu to 1.0.5 (package.json overrides).'
          : 'Check that the data folder is writable and not used by another Chroma server, or pass a free --port.',
        retryable: false,
        details: { path: dataPath, port, outputTail: lastLines },
      },
    );
  };
  while (true) {
    if (options.signal?.aborted) {
      await server.stop(1_000);
      throw options.signal.reason ?? new DOMException('aborted', 'AbortError');
    }
    if (exited) return fail(`the process ended (${exitDescription})`);
    if (await heartbeat(url)) return server;
    if (Date.now() > deadline) return fail(`no heartbeat at ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True when `GET <url>/api/v2/heartbeat` answers 200. */
export async function heartbeat(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false; // not up yet: the caller polls until its deadline
  }
}

function trackForExit(child: ChildProcess): void {
  live.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers run synchronously: a kill is all that fits, and all that is needed.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

// ── servers shared by every run of this process (store.chroma with `embedded`) ──

const embedded = new Map<string, Promise<ChromaServer>>();

/**
 * The process-wide server for a data folder: started on first use, shared by every run, restarted
 * when it has died. `stopEmbeddedChromaServers()` (or process exit) stops them.
 */
export async function embeddedChromaServer(dataPath: string, options: Omit<StartChromaServerOptions, 'path' | 'port'> = {}): Promise<ChromaServer> {
  const key = path.resolve(dataPath);
  const existing = embedded.get(key);
  if (existing !== undefined) {
    const server = await existing.catch(() => undefined);
    if (server !== undefined && !server.exited) return server;
    if (embedded.get(key) === existing) embedded.delete(key);
    return embeddedChromaServer(dataPath, options);
  }
  const starting = startChromaServer({ ...options, path: key, signal: undefined });
  embedded.set(key, starting);
  starting.catch(() => {
    if (embedded.get(key) === starting) embedded.delete(key);
  });
  return starting;
}

/** Stops every server `embeddedChromaServer` started (the app calls it at shutdown, tests in `after()`). */
export async function stopEmbeddedChromaServers(): Promise<void> {
  const starting = [...embedded.values()];
  embedded.clear();
  await Promise.allSettled(starting.map(async (promise) => (await promise).stop()));
}
