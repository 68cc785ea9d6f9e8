import type { Logger } from 'pino';
import type { Engine } from '../engine/index.js';
import type { Registry } from '../node-kit/index.js';
import type { TraceStore } from '../trace/index.js';
import type { McpLimits } from './limits.js';

/** What the MCP tools work with; the composition root's `App` has this shape. */
export interface McpDeps {
  registry: Registry;
  engine: Engine;
  traceStore: TraceStore;
  /** Files that tools read are confined to this folder. */
  workspaceRoot: string;
  logger: Logger;
  /**
   * Where full outputs of results cut by the output budget are kept (default: `outputs/` next to the
   * trace store file; a temporary folder for an in-memory store).
   */
  outputsDir?: string;
  /** Overrides of the size limits and output budget (default: environment, then built-in values). */
  limits?: Partial<McpLimits>;
}
