import { z } from 'zod';

/**
 * Errors are values a user (or a coding agent) can act on: a stable code, a message that names the
 * caller's ids, one sentence of what to do, and a JSON Pointer to the bad part.
 */
export const jsonPatchOperationSchema = z.object({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.string().describe('JSON Pointer into the pipeline document'),
  value: z.unknown().optional(),
});

export const fixSchema = z.object({
  summary: z.string().describe('What the patch does'),
  patch: z.array(jsonPatchOperationSchema).describe('JSON Patch (RFC 6902) to apply to the pipeline document'),
});

export const problemSchema = z.object({
  code: z.string().describe('Stable UPPER_SNAKE code, e.g. UNKNOWN_NODE_TYPE (docs/errors.md)'),
  severity: z.enum(['error', 'warning']),
  path: z.string().describe('JSON Pointer into the pipeline document'),
  message: z.string(),
  hint: z.string().describe('One sentence of what to do'),
  fix: fixSchema.optional().describe('A concrete patch that fixes the problem, when one exists'),
});

export type JsonPatchOperation = z.output<typeof jsonPatchOperationSchema>;
export type Fix = z.output<typeof fixSchema>;
export type Problem = z.output<typeof problemSchema>;
export type Severity = Problem['severity'];

const marker = Symbol.for('pipelane.error');

export interface PipelaneErrorOptions {
  hint: string;
  path?: string;
  retryable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** A run-time failure carrying one problem; `isPipelaneError` survives duplicate package copies. */
export class PipelaneError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly hint: string;
  readonly path: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: PipelaneErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PipelaneError';
    this.code = code;
    this.hint = options.hint;
    this.path = options.path ?? '';
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  toProblem(): Problem {
    return { code: this.code, severity: 'error', path: this.path, message: this.message, hint: this.hint };
  }

  toJSON(): { code: string; message: string; hint: string; path: string } {
    return { code: this.code, message: this.message, hint: this.hint, path: this.path };
  }
}

export function isPipelaneError(error: unknown): error is PipelaneError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/** Wraps anything thrown into a PipelaneError without losing an existing code. */
export function toPipelaneError(error: unknown, fallbackCode: string, hint: string, path = ''): PipelaneError {
  if (isPipelaneError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PipelaneError(fallbackCode, message, { hint, path, cause: error });
}
