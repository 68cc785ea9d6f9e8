import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { isPipelaneError } from '../../node-kit/index.js';

/** JSON-RPC code the MCP specification gives "resource not found". */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A resources/read failure. Resources have no in-band error result, so the typed error travels as a
 * JSON-RPC error: the message says what is missing and what exists, `data` carries {code, hint}.
 */
export function resourceNotFound(message: string, hint: string): McpError {
  return new McpError(RESOURCE_NOT_FOUND, `${message} ${hint}`, { code: 'RESOURCE_NOT_FOUND', hint });
}

export function resourceError(error: unknown): unknown {
  if (!isPipelaneError(error)) return error;
  const notFound = /NOT_FOUND$/.test(error.code);
  return new McpError(notFound ? RESOURCE_NOT_FOUND : -32602, `${error.message} ${error.hint}`, { code: error.code, hint: error.hint });
}

/** Runs a read callback, turning typed errors into JSON-RPC errors with the code in `data`. */
export async function reading<T>(read: () => Promise<T> | T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw resourceError(error);
  }
}
