import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPipelineLibrary, type PipelineLibrary } from '../pipeline/index.js';
import { resolveLimits, type McpLimits } from './limits.js';
import { createOutputStore, type OutputStore } from './output-budget.js';
import type { McpDeps } from './types.js';

/** What the pipeline, run and resource tools share within one MCP server: made from the deps once per server. */
export interface McpServices extends McpDeps {
  /** The workspace's saved pipelines: `<workspace>/pipelines/*.pipe.json`. */
  library: PipelineLibrary;
  outputs: OutputStore;
  limits: McpLimits;
}

export function createMcpServices(deps: McpDeps): McpServices {
  const location = deps.traceStore.location;
  const outputsDir =
    deps.outputsDir ?? (location === ':memory:' ? join(tmpdir(), `pipelane-outputs-${process.pid}`) : join(dirname(location), 'outputs'));
  return {
    ...deps,
    library: createPipelineLibrary(join(deps.workspaceRoot, 'pipelines')),
    outputs: createOutputStore(outputsDir),
    limits: resolveLimits(deps.limits),
  };
}
