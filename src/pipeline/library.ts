import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { nearestNames, PipelaneError } from '../node-kit/index.js';

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const SUFFIX = '.pipe.json';

export interface SavedPipelineSummary {
  name: string;
  path: string;
  description?: string;
  /** Set when the file cannot be read as JSON; the pipeline is still listed so it can be fixed. */
  error?: string;
}

/**
 * The saved pipelines of a workspace: `<dir>/<name>.pipe.json`. Names are checked before any path is
 * built from them, so no name reaches outside the folder; writes are atomic (temp file + rename), so
 * a reader never sees half a pipeline. Validation is the caller's job.
 */
export interface PipelineLibrary {
  readonly dir: string;
  /** Names of the saved pipelines, sorted (synchronous: the validator needs it). */
  names(): string[];
  has(name: string): boolean;
  pathOf(name: string): string;
  list(): Promise<SavedPipelineSummary[]>;
  /** The document as JSON; PIPELINE_NOT_FOUND (nearest names in the hint) or PIPELINE_NOT_JSON. */
  get(name: string): Promise<unknown>;
  /** Writes the document atomically; returns its path. */
  save(name: string, pipeline: unknown): Promise<string>;
  /** PIPELINE_NOT_FOUND when absent. */
  delete(name: string): Promise<void>;
}

export function isPipelineName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

export function assertPipelineName(name: string): void {
  if (isPipelineName(name)) return;
  throw new PipelaneError('PIPELINE_NAME_INVALID', `"${name}" is not a pipeline name.`, {
    hint: 'Use a letter then letters, digits, _ or - (at most 64), e.g. "invoice-ocr".',
  });
}

export function createPipelineLibrary(dir: string): PipelineLibrary {
  const library: PipelineLibrary = {
    dir,
    names() {
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((file) => file.endsWith(SUFFIX))
        .map((file) => file.slice(0, -SUFFIX.length))
        .filter(isPipelineName)
        .sort();
    },
    has(name) {
      return isPipelineName(name) && existsSync(join(dir, name + SUFFIX));
    },
    pathOf(name) {
      assertPipelineName(name);
      return join(dir, name + SUFFIX);
    },
    async list() {
      return Promise.all(
        library.names().map(async (name): Promise<SavedPipelineSummary> => {
          const path = library.pathOf(name);
          try {
            const document = JSON.parse(await readFile(path, 'utf8')) as { description?: unknown };
            return { name, path, ...(typeof document?.description === 'string' ? { description: document.description } : {}) };
          } catch (error) {
            return { name, path, error: (error as Error).message };
          }
        }),
      );
    },
    async get(name) {
      const path = library.pathOf(name);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        throw notFound(name, library.names(), dir);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new PipelaneError('PIPELINE_NOT_JSON', `Saved pipeline "${name}" (${path}) is not valid JSON: ${(error as Error).message}`, {
          hint: 'Fix the JSON syntax of the file, or save the pipeline again.',
          cause: error,
        });
      }
    },
    async save(name, pipeline) {
      const path = library.pathOf(name);
      await mkdir(dir, { recursive: true });
      const temporary = join(dir, `.${name}.${randomUUID()}.tmp`);
      try {
        await writeFile(temporary, JSON.stringify(pipeline, null, 2) + '\n', 'utf8');
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return path;
    },
    async delete(name) {
      const path = library.pathOf(name);
      if (!existsSync(path)) throw notFound(name, library.names(), dir);
      await rm(path);
    },
  };
  return library;
}

function notFound(name: string, names: string[], dir: string): PipelaneError {
  const nearest = nearestNames(name, names);
  return new PipelaneError('PIPELINE_NOT_FOUND', `No saved pipeline "${name}" in ${dir}${names.length ? ` (saved: ${names.join(', ')})` : ''}.`, {
    hint: nearest[0] ? `Did you mean "${nearest[0]}"?` : 'Save the pipeline first (pipelines/<name>.pipe.json).',
  });
}
