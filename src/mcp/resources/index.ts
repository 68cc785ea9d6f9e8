import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServices } from '../services.js';
import { registerNodeResources } from './nodes.js';
import { registerPipelineResources } from './pipelines.js';
import { registerRunResources } from './runs.js';

/** Every resource template: node reference pages, saved pipelines, run traces, paged run outputs. */
export function registerResources(server: McpServer, deps: McpServices): void {
  registerNodeResources(server, deps);
  registerPipelineResources(server, deps);
  registerRunResources(server, deps);
}
