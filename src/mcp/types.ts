import type { Logger } from 'pino';
import type { Engine } from '../engine/index.js';
import type { Registry } from '../node-kit/index.js';
import type { TraceStore } from '../trace/index.js';

/** What the MCP tools work with; the composition root's `App` has this shape. */
export interface McpDeps {
  registry: Registry;
  engine: Engine;
  traceStore: TraceStore;
  /** Files that tools read are confined to this folder. */
  workspaceRoot: string;
  logger: Logger;
}
