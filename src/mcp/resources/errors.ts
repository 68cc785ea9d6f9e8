import { isPipelaneError } from '../../node-kit/index.js';

/** JSON-RPC code the MCP specification gives "resource not found". */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A resources/read failure. Resources have no in-band error result, so the typed error travels as a
 * JSON-RPC error: the message says what is missing and what exists, `data` carries {code, hint}.
 */
export function resourceNotFound(message: string, hint: string): JsonRpcError {
  return jsonRpcError(RESOURCE_NOT_FOUND, `${message} ${hint}`, { code: 'RESOURCE_NOT_FOUND', hint });
}

/**
 * An error the SDK sends as it is ({code, message, data}). Not an McpError: its message already
 * starts "MCP error -32002:", and the client's McpError adds that prefix a second time.
 */
export interface JsonRpcError extends Error {
  code: number;
  data: { code: string; hint: string };
}

function jsonRpcError(code: number, message: string, data: JsonRpcError['data']): JsonRpcError {
  return Object.assign(new Error(message), { code, data });
}

export function resourceError(error: unknown): unknown {
  if (!isPipelaneError(error)) return error;
  const notFound = /NOT_FOUND$/.test(error.code);
  return jsonRpcError(notFound ? RESOURCE_NOT_FOUND : -32602, `${error.message} ${error.hint}`, { code: error.code, hint: error.hint });
}

/** Runs a read callback, turning typed errors into JSON-RPC errors with the code in `data`. */
export async function reading<T>(read: () => Promise<T> | T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw resourceError(error);
  }
}
