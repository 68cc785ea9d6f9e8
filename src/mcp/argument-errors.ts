import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolFailure } from './tool-result.js';

/** How the SDK words a tool call whose arguments do not match the input schema. */
const SCHEMA_MISMATCH = /^MCP error -32602: (?:Input validation error: )?Invalid arguments for tool ([^:]+): ([\s\S]*)$/;

/**
 * The SDK checks a tool's arguments against its input schema before the handler runs and answers a
 * mismatch with bare text ("MCP error -32602: Input validation error: …"). This gives that answer the
 * shape of every other Pipelane error, `{code: "ARGUMENTS_INVALID", message, hint, path}`, by wrapping
 * the one (private) SDK method that makes such answers; test/mcp/argument-errors.test.ts fails if an
 * SDK upgrade moves it.
 */
export function typeArgumentErrors(server: McpServer): void {
  const internals = server as unknown as { createToolError?: (message: string) => CallToolResult };
  const original = internals.createToolError?.bind(server);
  if (original === undefined) throw new Error('McpServer.createToolError is gone: update src/mcp/argument-errors.ts for this SDK version');
  internals.createToolError = (message: string) => {
    const match = SCHEMA_MISMATCH.exec(message);
    if (match === null) return original(message);
    const [, tool, detail] = match as unknown as [string, string, string];
    const first = detail.split('\n')[0] ?? '';
    const at = / at ([^\s]+)$/.exec(first)?.[1];
    return toolFailure({
      code: 'ARGUMENTS_INVALID',
      message: `Invalid arguments for ${tool}: ${detail.trim().replace(/\n/g, '; ')}`,
      hint: `Give the arguments ${tool}'s input schema asks for (tools/list shows it; describe_node and list_lanes list node types and lanes).`,
      ...(at === undefined ? {} : { path: `/${at.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean).join('/')}` }),
    });
  };
}
