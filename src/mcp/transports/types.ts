import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from 'pino';

/**
 * What a transport needs from the composition root: a logger and a way to release the app's
 * resources (models, trace store) once serving ends. Transports never see tools, the registry or
 * the engine: they get MCP servers from a factory.
 */
export interface ServedApp {
  logger: Logger;
  /** Releases models and the trace store. */
  close(): Promise<void>;
}

/**
 * Makes a fresh MCP server with every tool registered (`() => createMcpServer(app)`). Stdio calls it
 * once; HTTP calls it once per client session, so sessions never share request ids or notifications.
 */
export type McpServerFactory = () => McpServer;
