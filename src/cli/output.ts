import { isPipelaneError, type Problem } from '../node-kit/index.js';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;

/** Mistakes in how the command was called or in the pipeline: exit 2, not a failed run. */
const usageCodes = new Set(['USAGE', 'UNKNOWN_LANE', 'UNKNOWN_NODE_TYPE', 'RUN_NOT_FOUND', 'WORKSPACE_NOT_FOUND', 'ARGUMENTS_INVALID']);

/** Prints a typed error the way every command does (code, message, hint) and returns the exit code. */
export function reportError(error: unknown, json = false): number {
  if (isPipelaneError(error)) {
    const problems = (error.details?.problems as Problem[] | undefined) ?? undefined;
    if (json) {
      process.stdout.write(JSON.stringify({ error: { ...error.toJSON(), ...(problems ? { problems } : {}) } }, null, 2) + '\n');
    } else {
      process.stderr.write(`error ${error.code}: ${error.message}\n  hint: ${error.hint}\n`);
      if (problems) process.stderr.write(formatProblems(problems) + '\n');
    }
    return usageCodes.has(error.code) || error.code.startsWith('PIPELINE_') ? EXIT_USAGE : EXIT_RUN_FAILED;
  }
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_RUN_FAILED;
}

export function formatProblems(problems: Problem[]): string {
  return problems
    .map((problem) => {
      const lines = [`  ${problem.severity === 'error' ? '✗' : '!'} ${problem.code} at ${problem.path || '/'}: ${problem.message}`, `    hint: ${problem.hint}`];
      if (problem.fix) lines.push(`    fix: ${problem.fix.summary} ${JSON.stringify(problem.fix.patch)}`);
      return lines.join('\n');
    })
    .join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
