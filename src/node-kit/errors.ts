/**
 * Errors are values a user (or a coding agent) can act on: a stable code, a message that names the
 * caller's ids, one sentence of what to do, and a JSON Pointer to the bad part.
 */
export type Severity = 'error' | 'warning';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export interface Fix {
  summary: string;
  patch: JsonPatchOperation[];
}

export interface Problem {
  code: string;
  severity: Severity;
  path: string;
  message: string;
  hint: string;
  fix?: Fix;
}

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
