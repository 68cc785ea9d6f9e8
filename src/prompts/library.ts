import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PipelaneError, isPipelaneError } from '../node-kit/errors.js';
import { nearestNames } from '../node-kit/nearest.js';
import { packageRoot } from '../package-info.js';
import { FrontMatterError, splitFrontMatter } from './front-matter.js';
import { renderTemplate, templateSyntaxError } from './render.js';

/**
 * Prompts are files `prompts/<name>.md`: front matter (`description`, `arguments`) and a mustache
 * body. They are read from disk on each call (a handful of small files), so an edited prompt is
 * seen at once by a long-running MCP server and nothing is cached between runs.
 */

export const PROMPT_REFERENCE_PREFIX = 'prompt:';
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const argumentSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an argument name is letters, digits and _'),
  description: z.string().min(1),
  required: z.boolean().default(false),
});

const frontMatterSchema = z.strictObject({
  description: z.string().min(1),
  arguments: z
    .array(argumentSchema)
    .default([])
    .refine((list) => new Set(list.map((argument) => argument.name)).size === list.length, 'argument names must be unique'),
});

export type PromptArgument = z.output<typeof argumentSchema>;

export interface Prompt {
  name: string;
  description: string;
  arguments: PromptArgument[];
  /** The mustache body (no HTML escaping when rendered). */
  template: string;
}

/** The package's own `prompts/` (from src/ under tsx and from dist/ alike), or PIPELANE_PROMPTS_DIR. */
export function promptsDir(): string {
  const override = process.env.PIPELANE_PROMPTS_DIR;
  return override ? resolve(override) : join(packageRoot, 'prompts');
}

function ensureDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new PipelaneError('PROMPTS_DIR_NOT_FOUND', `The prompts folder ${dir} does not exist.`, {
      hint: 'Set PIPELANE_PROMPTS_DIR to a folder of <name>.md prompt files, or unset it to use the built-in prompts.',
    });
  }
}

export function listPromptNames(dir = promptsDir()): string[] {
  ensureDir(dir);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md') && namePattern.test(file.slice(0, -3)))
    .map((file) => file.slice(0, -3))
    .sort();
}

/** Every prompt of the folder, by name. A malformed file fails the whole load, naming the file and line. */
export function loadPrompts(dir = promptsDir()): Prompt[] {
  return listPromptNames(dir).map((name) => readPrompt(name, join(dir, `${name}.md`)));
}

export function getPrompt(name: string, dir = promptsDir()): Prompt {
  ensureDir(dir);
  const file = join(dir, `${name}.md`);
  // The name pattern also keeps `prompt:../x` from reading outside the folder.
  if (!namePattern.test(name) || !existsSync(file)) throw promptNotFound(name, dir);
  return readPrompt(name, file);
}

function promptNotFound(name: string, dir: string): PipelaneError {
  const available = listPromptNames(dir);
  const nearest = nearestNames(name, available);
  const suggestion = nearest.length > 0 ? ` Nearest: ${nearest.join(', ')}.` : '';
  return new PipelaneError('PROMPT_NOT_FOUND', `No prompt "${name}" in ${dir}.${suggestion}`, {
    hint:
      available.length > 0
        ? `Use one of: ${available.join(', ')} (files <name>.md in the prompts folder).`
        : 'The prompts folder is empty: add <name>.md with description/arguments front matter.',
    details: { name, nearest, available },
  });
}

function readPrompt(name: string, file: string): Prompt {
  try {
    const { data, body } = splitFrontMatter(readFileSync(file, 'utf8'));
    const parsed = frontMatterSchema.safeParse(data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(front matter)'}: ${issue.message}`);
      throw new PipelaneError('PROMPT_INVALID', `Prompt file ${file} has invalid front matter: ${issues.join('; ')}.`, {
        hint: 'Front matter needs `description:` and optionally `arguments:` as a list of {name, description, required}.',
      });
    }
    if (body === '') {
      throw new PipelaneError('PROMPT_INVALID', `Prompt file ${file} has no text after its front matter.`, {
        hint: 'Write the prompt text below the closing --- line.',
      });
    }
    const syntaxError = templateSyntaxError(body);
    if (syntaxError !== undefined) {
      throw new PipelaneError('PROMPT_INVALID', `Prompt file ${file} is not a valid mustache template: ${syntaxError}.`, {
        hint: 'Close every {{#section}} with {{/section}} and every {{tag}} with }}.',
      });
    }
    return { name, description: parsed.data.description, arguments: parsed.data.arguments, template: body };
  } catch (error) {
    if (!(error instanceof FrontMatterError)) throw error;
    throw new PipelaneError('PROMPT_INVALID', `Prompt file ${file}, front matter ${error.message}.`, {
      hint: 'Use plain `key: value` lines, and `arguments:` followed by `- name: x` items with `description:` and `required:`.',
      cause: error,
    });
  }
}

/**
 * The prompt rendered with `args`: every required argument must be given and no undeclared one may
 * be, so a typo fails here instead of rendering an empty hole.
 */
export function renderPrompt(name: string, args: Record<string, unknown> = {}, dir = promptsDir()): string {
  const prompt = getPrompt(name, dir);
  const declared = prompt.arguments.map((argument) => argument.name);
  const missing = prompt.arguments.filter((argument) => argument.required && (args[argument.name] ?? '') === '').map((argument) => argument.name);
  const unknown = Object.keys(args).filter((key) => !declared.includes(key));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [
      missing.length > 0 ? `missing required ${missing.join(', ')}` : '',
      ...unknown.map((key) => {
        const nearest = nearestNames(key, declared, 1);
        return `unknown "${key}"${nearest.length > 0 ? ` (did you mean ${nearest[0]}?)` : ''}`;
      }),
    ].filter(Boolean);
    throw new PipelaneError('PROMPT_ARGUMENTS_INVALID', `Prompt "${name}" arguments: ${parts.join('; ')}.`, {
      hint: declared.length > 0 ? `Prompt "${name}" takes: ${declared.join(', ')}.` : `Prompt "${name}" takes no arguments.`,
      details: { name, missing, unknown },
    });
  }
  return renderTemplate(prompt.template, args).text;
}

/** `prompt:<name>` names a prompt of the library (rendered without arguments); any other text is literal. */
export function resolveSystemPrompt(value: string, dir = promptsDir()): string {
  if (!value.startsWith(PROMPT_REFERENCE_PREFIX)) return value;
  return renderPrompt(value.slice(PROMPT_REFERENCE_PREFIX.length).trim(), {}, dir);
}

/**
 * A config field holding literal text or `prompt:<name>`. A reference to a missing prompt fails the
 * config (so `validate_pipeline` reports it, with the nearest names, before anything runs).
 */
export function promptTextSchema(description: string) {
  return z
    .string()
    .min(1)
    .superRefine((value, context) => {
      if (!value.startsWith(PROMPT_REFERENCE_PREFIX)) return;
      try {
        getPrompt(value.slice(PROMPT_REFERENCE_PREFIX.length).trim());
      } catch (error) {
        if (!isPipelaneError(error)) throw error;
        context.addIssue({ code: 'custom', message: `${error.message} ${error.hint}` });
      }
    })
    .describe(`${description} (literal text, or prompt:<name> for prompts/<name>.md)`);
}
