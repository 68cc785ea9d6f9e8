import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { confinePath } from '../../../src/mcp/workspace.js';
import { isPipelaneError } from '../../../src/node-kit/index.js';

let base: string;
let root: string;
before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'pipelane-confine-')));
  root = join(base, 'root');
  await mkdir(join(root, 'sub'), { recursive: true });
  await mkdir(join(base, 'outside'));
  await writeFile(join(root, 'sub', 'in.txt'), 'inside');
  await writeFile(join(root, '..notes.txt'), 'a file whose name starts with two dots');
  await writeFile(join(base, 'outside', 'secret.txt'), 'secret');
  await symlink(join(base, 'outside', 'secret.txt'), join(root, 'escape.txt'));
  await symlink(join(base, 'outside'), join(root, 'escape-dir'));
  await symlink(join(root, 'sub', 'in.txt'), join(root, 'alias.txt'));
});
after(async () => rm(base, { recursive: true, force: true }));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isPipelaneError(error), String(error));
    return error.code;
  }
  return 'RESOLVED';
}

test('confinePath resolves relative and absolute paths inside the root to their real path', async () => {
  assert.equal(await confinePath(root, 'sub/in.txt'), join(root, 'sub', 'in.txt'));
  assert.equal(await confinePath(root, join(root, 'sub', 'in.txt')), join(root, 'sub', 'in.txt'));
  assert.equal(await confinePath(root, 'sub/../sub/in.txt'), join(root, 'sub', 'in.txt'));
  assert.equal(await confinePath(root, 'alias.txt'), join(root, 'sub', 'in.txt'), 'a link that stays inside is fine');
  assert.equal(await confinePath(root, '..notes.txt'), join(root, '..notes.txt'), 'a name starting with .. is not an escape');
});

test('confinePath rejects ../ escapes, absolute paths outside and symlinks that leave the root', async () => {
  for (const path of ['../outside/secret.txt', 'sub/../../outside/secret.txt', join(base, 'outside', 'secret.txt'), '/etc/passwd', 'escape.txt', 'escape-dir/secret.txt']) {
    assert.equal(await codeOf(confinePath(root, path)), 'PATH_OUTSIDE_WORKSPACE', path);
  }
});

test('the PATH_OUTSIDE_WORKSPACE hint names the root and PIPELANE_WORKSPACE; the pointer names the argument', async () => {
  try {
    await confinePath(root, '../outside/secret.txt', { argument: 'input' });
    assert.fail('should have thrown');
  } catch (error) {
    assert.ok(isPipelaneError(error));
    assert.ok(error.hint.includes(root) && error.hint.includes('PIPELANE_WORKSPACE'), error.hint);
    assert.equal(error.path, '/input');
  }
});

test('confinePath reports a missing file as INPUT_NOT_FOUND (or the code asked for) and a folder as INPUT_NOT_A_FILE', async () => {
  assert.equal(await codeOf(confinePath(root, 'missing.png')), 'INPUT_NOT_FOUND');
  assert.equal(await codeOf(confinePath(root, 'missing.pipe.json', { missingCode: 'PIPELINE_NOT_FOUND' })), 'PIPELINE_NOT_FOUND');
  assert.equal(await codeOf(confinePath(root, 'sub')), 'INPUT_NOT_A_FILE');
});
