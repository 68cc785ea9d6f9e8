import { realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PipelaneError } from '../node-kit/index.js';

export interface ConfineOptions {
  /** Code for a path that does not exist (default INPUT_NOT_FOUND). */
  missingCode?: string;
  /** The tool argument the path came from, reported as the error's JSON Pointer (e.g. "input"). */
  argument?: string;
  /** Reject folders (default true). */
  fileOnly?: boolean;
}

/**
 * Resolves a user-given path (relative to `root`, or absolute) to the real path of an existing
 * file inside `root`. Rejects `..` escapes, absolute paths elsewhere and symlinks whose target
 * lies outside the root, so a tool can never be talked into reading `/etc/passwd` or `~/.ssh`.
 */
export async function confinePath(root: string, userPath: string, options: ConfineOptions = {}): Promise<string> {
  const pointer = options.argument ? `/${options.argument}` : undefined;
  const lexicalRoot = resolve(root);
  const realRoot = await realpath(lexicalRoot).catch(() => lexicalRoot);
  const candidate = resolve(lexicalRoot, userPath);
  if (!isInside(lexicalRoot, candidate) && !isInside(realRoot, candidate)) throw outside(userPath, root, pointer);

  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PipelaneError(options.missingCode ?? 'INPUT_NOT_FOUND', `No file at "${userPath}" in the workspace ${root}.`, {
        hint: 'Check the spelling; relative paths are resolved against the workspace root.',
        ...(pointer ? { path: pointer } : {}),
        cause: error,
      });
    }
    throw new PipelaneError('PATH_UNREADABLE', `Cannot resolve "${userPath}" (${code ?? (error as Error).message}).`, {
      hint: 'Give a plain file path inside the workspace root.',
      ...(pointer ? { path: pointer } : {}),
      cause: error,
    });
  }
  if (!isInside(realRoot, real)) throw outside(userPath, root, pointer, real);
  if (options.fileOnly ?? true) {
    const info = await stat(real);
    if (!info.isFile()) {
      throw new PipelaneError('INPUT_NOT_A_FILE', `"${userPath}" is a ${info.isDirectory() ? 'folder' : 'special file'}, not a file.`, {
        hint: 'Give the path of one file.',
        ...(pointer ? { path: pointer } : {}),
      });
    }
  }
  return real;
}

/** Whether an existing file's real path (symlinks followed) lies inside the root; false when it cannot be resolved. */
export function isInsideWorkspace(root: string, path: string): boolean {
  try {
    return isInside(realpathSync(resolve(root)), realpathSync(resolve(root, path)));
  } catch {
    return false;
  }
}

function isInside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (rest !== '..' && !rest.startsWith('..' + sep) && !isAbsolute(rest));
}

function outside(userPath: string, root: string, pointer: string | undefined, target?: string): PipelaneError {
  const via = target ? ` (it is a link to ${target})` : '';
  return new PipelaneError('PATH_OUTSIDE_WORKSPACE', `"${userPath}" is outside the workspace root ${root}${via}.`, {
    hint: `Give a path inside ${root}, or restart the server with PIPELANE_WORKSPACE set to a folder that contains the file.`,
    ...(pointer ? { path: pointer } : {}),
  });
}
