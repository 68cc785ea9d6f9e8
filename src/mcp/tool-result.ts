import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isAbortError, isPipelaneError } from '../node-kit/index.js';
import { isTraceStoreError, redactSecrets } from '../trace/index.js';
import { problemSchema } from './result-schemas.js';

/**
 * The fields of an in-band error. Every output schema carries them (optional) because the SDK
 * client validates `structuredContent` against the output schema even when `isError` is true.
 */
export const errorShape = {
  code: z.string().optional().describe('Only when isError: stable UPPER_SNAKE error code'),
  message: z.string().optional().describe('Only when isError: what went wrong, in the caller\'s terms'),
  hint: z.string().optional().describe('One sentence of what to do next'),
  path: z.string().optional().describe('Only when isError: JSON Pointer to the bad argument or pipeline part'),
  problems: z.array(problemSchema).optional().describe('Only when isError for an invalid pipeline: every problem found'),
};

/**
 * An object-rooted output schema: the success fields (optional, because an error result carries
 * only the error fields) plus the error fields.
 */
export function toolOutputSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape).partial().extend(errorShape);
}

export type ErrorPayload = {
  code: string;
  message: string;
  hint: string;
  path?: string;
  problems?: unknown[];
};

/** A success result: structured content and the same content as JSON text. */
export function toolSuccess(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }], structuredContent: structured };
}

/** An in-band error result (`isError: true`); `extra` adds fields such as a failed run's id. */
export function toolFailure(error: ErrorPayload, extra: Record<string, unknown> = {}): CallToolResult {
  const structured = { ...extra, ...error };
  return { content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }], structuredContent: structured, isError: true };
}

/** Turns anything thrown into the in-band error fields; unexpected errors say they are bugs. */
export function errorPayload(error: unknown): ErrorPayload {
  if (isPipelaneError(error)) {
    const problems = error.details?.problems;
    return {
      code: error.code,
      message: error.message,
      hint: error.hint,
      ...(error.path ? { path: error.path } : {}),
      ...(Array.isArray(problems) ? { problems } : {}),
    };
  }
  if (isTraceStoreError(error)) return { code: error.code, message: error.message, hint: error.hint };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL_ERROR', message, hint: 'This looks like a bug in Pipelane; the server log (stderr) has the stack trace.' };
}

interface HandlerExtra {
  signal: AbortSignal;
}

/** Names of environment variables whose values are credentials (API keys, tokens, passwords). */
const SECRET_VARIABLE = /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)($|_)/i;

/**
 * Values no tool result may contain: every environment variable that names a credential (the API
 * keys providers read, PIPELANE_MCP_TOKEN, ...). Runs add their own `${ENV}` values on top.
 */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && typeof value === 'string' && value.length >= 8)
    .map(([, value]) => value!);
}

/** A copy of a tool result with every secret value in its text and structured content masked as `***`. */
export function redactResult(result: CallToolResult, secrets: readonly string[]): CallToolResult {
  if (secrets.length === 0) return result;
  return redactValue(result, secrets);
}

/** A copy of `value` with every string masked. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const visit = (entry: unknown): unknown => {
    if (typeof entry === 'string') return redactSecrets(entry, secrets);
    if (Array.isArray(entry)) return entry.map(visit);
    if (entry && typeof entry === 'object') return Object.fromEntries(Object.entries(entry).map(([key, item]) => [key, visit(item)]));
    return entry;
  };
  return visit(value) as T;
}

/**
 * Wraps a tool handler so that anything it throws becomes an in-band error and the server keeps
 * serving, and so that no result carries a credential from the environment. A cancelled request
 * re-throws: the SDK drops the answer to a cancelled request.
 */
export function inBand<Args, Extra extends HandlerExtra>(
  tool: string,
  logger: { error(object: unknown, message: string): void },
  handler: (args: Args, extra: Extra) => Promise<CallToolResult> | CallToolResult,
): (args: Args, extra: Extra) => Promise<CallToolResult> {
  return async (args, extra) => {
    let result: CallToolResult;
    try {
      result = await handler(args, extra);
    } catch (error) {
      if (extra.signal.aborted && isAbortError(error)) throw error;
      if (!isPipelaneError(error) && !isTraceStoreError(error)) logger.error({ err: error, tool }, 'tool failed unexpectedly');
      result = toolFailure(errorPayload(error));
    }
    return redactResult(result, environmentSecrets());
  };
}
