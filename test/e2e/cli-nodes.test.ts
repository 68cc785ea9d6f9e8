import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { binPath, repoRoot } from './stdio-server.js';

const cli = (...args: string[]) => spawnSync(process.execPath, [binPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });

test('pipelane nodes filters by lane and category; an unknown category is a usage error naming the real ones', () => {
  const byLane = cli('nodes', '--lane', 'image');
  assert.equal(byLane.status, 0, byLane.stderr);
  assert.match(byLane.stdout, /^ocr\.tesseract\s/m);
  const unknown = cli('nodes', '--category', 'bogus');
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stdout, '');
  assert.match(unknown.stderr, /USAGE: Unknown node category "bogus"/);
  assert.match(unknown.stderr, /hint: Use one of: .*\bocr\b.*\bpii\b/);
  const none = cli('nodes', '--category', 'ocr', '--lane', 'audio');
  assert.equal(none.status, 0);
  assert.match(none.stderr, /No node of category ocr reads or emits audio/);
});
