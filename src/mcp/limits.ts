import { stat } from 'node:fs/promises';
import { PipelaneError } from '../node-kit/index.js';

/**
 * Size limits on what MCP tools accept and return. A tool refuses an argument over its limit with a
 * typed error before any work, so one oversized call cannot exhaust the server's memory; results over
 * the output budget come back as a preview plus resource links (output-budget.ts).
 */
export interface McpLimits {
  /** Characters of a `text` argument (default 1,000,000; PIPELANE_MCP_MAX_TEXT). */
  textChars: number;
  /** Bytes of a pipeline document, inline or in a file (default 512 kB; PIPELANE_MCP_MAX_PIPELINE_BYTES). */
  pipelineBytes: number;
  /** Bytes of an input file (default 100 MB; PIPELANE_MCP_MAX_FILE_BYTES). */
  fileBytes: number;
  /** Characters of a tool result's text before outputs are cut to a preview (default 20,000; PIPELANE_MCP_OUTPUT_BUDGET). */
  outputBudget: number;
}

export const DEFAULT_LIMITS: McpLimits = {
  textChars: 1_000_000,
  pipelineBytes: 512 * 1024,
  fileBytes: 100 * 1024 * 1024,
  outputBudget: 20_000,
};

const ENVIRONMENT: Record<keyof McpLimits, string> = {
  textChars: 'PIPELANE_MCP_MAX_TEXT',
  pipelineBytes: 'PIPELANE_MCP_MAX_PIPELINE_BYTES',
  fileBytes: 'PIPELANE_MCP_MAX_FILE_BYTES',
  outputBudget: 'PIPELANE_MCP_OUTPUT_BUDGET',
};

/** The limits: explicit values first, then the environment, then the defaults. A malformed variable is a start-up error. */
export function resolveLimits(given: Partial<McpLimits> = {}, env: NodeJS.ProcessEnv = process.env): McpLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof McpLimits>) {
    const explicit = given[key];
    if (explicit !== undefined) {
      limits[key] = explicit;
      continue;
    }
    const raw = env[ENVIRONMENT[key]];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new PipelaneError('ARGUMENTS_INVALID', `${ENVIRONMENT[key]}="${raw}" is not a positive whole number.`, {
        hint: `Set ${ENVIRONMENT[key]} to a number such as ${DEFAULT_LIMITS[key]}, or unset it for the default.`,
      });
    }
    limits[key] = value;
  }
  return limits;
}

function tooLarge(what: string, size: number, limit: number, unit: string, pointer: string, variable: string, advice: string): PipelaneError {
  return new PipelaneError('ARGUMENT_TOO_LARGE', `${what} is ${size.toLocaleString('en')} ${unit}, over the limit of ${limit.toLocaleString('en')} ${unit}.`, {
    hint: `${advice}, or raise ${variable} when starting the server.`,
    path: pointer,
    details: { size, limit },
  });
}

const PIPELINE_ADVICE = 'Move large literal values (prompts, templates) out of the config into files or prompts/';

export function checkText(text: string, limits: McpLimits, pointer = '/text'): void {
  if (text.length > limits.textChars) throw tooLarge('Text', text.length, limits.textChars, 'characters', pointer, ENVIRONMENT.textChars, 'Put the text in a file inside the workspace and pass its path, or split it over several runs');
}

/** An inline pipeline document: measured as the JSON the client sent. */
export function checkPipelineDocument(document: unknown, limits: McpLimits, pointer = '/pipeline'): void {
  const size = Buffer.byteLength(JSON.stringify(document) ?? '', 'utf8');
  if (size > limits.pipelineBytes) throw tooLarge('Pipeline document', size, limits.pipelineBytes, 'bytes', pointer, ENVIRONMENT.pipelineBytes, PIPELINE_ADVICE);
}

/** A file the tool is about to read (already confined to the workspace). */
export async function checkFile(path: string, limits: McpLimits, kind: 'pipeline' | 'input', pointer: string): Promise<void> {
  const { size } = await stat(path);
  const limit = kind === 'pipeline' ? limits.pipelineBytes : limits.fileBytes;
  if (size <= limit) return;
  if (kind === 'pipeline') throw tooLarge('Pipeline file', size, limit, 'bytes', pointer, ENVIRONMENT.pipelineBytes, PIPELINE_ADVICE);
  throw new PipelaneError('INPUT_TOO_LARGE', `Input file is ${size.toLocaleString('en')} bytes, over the limit of ${limit.toLocaleString('en')} bytes for MCP runs.`, {
    hint: `Give a smaller file, or raise ${ENVIRONMENT.fileBytes} when starting the server.`,
    path: pointer,
    details: { size, limit },
  });
}
