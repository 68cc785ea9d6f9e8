import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { createEngine, type Engine } from '../engine/index.js';
import { PipelaneError, createRegistry, type AnyNodeDefinition, type Registry } from '../node-kit/index.js';
import { openTraceStore, type TraceStore } from '../trace/index.js';

/**
 * The composition root: the only code that loads the generated node list. Everything below it
 * (engine, validator, MCP tools) receives the registry as an argument.
 */
export interface App {
  registry: Registry;
  engine: Engine;
  traceStore: TraceStore;
  logger: Logger;
  /** Files that tools may read are confined to this folder. */
  workspaceRoot: string;
  close(): Promise<void>;
}

export async function loadRegistry(): Promise<Registry> {
  // Loaded by path so that no file in src/ imports a node at compile time.
  const { nodeModules } = (await import(new URL('../../nodes/index.js', import.meta.url).href)) as {
    nodeModules: Array<{ folder: string; definition: AnyNodeDefinition }>;
  };
  return createRegistry(
    nodeModules.map((entry) => entry.definition),
    nodeModules.map((entry) => entry.folder),
  );
}

export function resolveWorkspaceRoot(given?: string): string {
  return resolve(given ?? process.env.PIPELANE_WORKSPACE ?? process.cwd());
}

/** Where traces live: PIPELANE_HOME, else `.pipelane/` in the workspace. */
export function resolveTraceDir(workspaceRoot: string, given?: string): string {
  return given ?? process.env.PIPELANE_HOME ?? resolve(workspaceRoot, '.pipelane');
}

export async function createApp(options: { logLevel?: string; workspaceRoot?: string; traceDir?: string } = {}): Promise<App> {
  // Logs go to stderr: stdout belongs to results and to the MCP stdio protocol.
  const logger = pino({ level: options.logLevel ?? process.env.PIPELANE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const workspaceRoot = resolveWorkspaceRoot(options.workspaceRoot);
  if (!existsSync(workspaceRoot) || !statSync(workspaceRoot).isDirectory()) {
    throw new PipelaneError('WORKSPACE_NOT_FOUND', `The workspace root ${workspaceRoot} is not a folder.`, {
      hint: 'Set PIPELANE_WORKSPACE to an existing folder (or unset it to use the current folder).',
    });
  }
  const registry = await loadRegistry();
  const traceStore = openTraceStore({ dir: resolveTraceDir(workspaceRoot, options.traceDir) });
  const tracePreviews = !/^(0|false|off|no)$/i.test(process.env.PIPELANE_TRACE_PREVIEWS ?? '');
  const engine = createEngine({ registry, traceStore, logger, tracePreviews, workspaceRoot });
  return {
    registry,
    engine,
    traceStore,
    logger,
    workspaceRoot,
    async close() {
      const { shutdownModels } = await import('../models/index.js');
      const { stopEmbeddedChromaServers } = await import('../models/chroma-server.js');
      await Promise.all([shutdownModels(), stopEmbeddedChromaServers()]);
      traceStore.close();
    },
  };
}
