import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServices } from '../services.js';
import { registerRunResources } from './runs.js';

/** Every resource template: run traces, paged run outputs. */
export function registerResources(server: McpServer, deps: McpServices): void {
  registerRunResources(server, deps);
}
