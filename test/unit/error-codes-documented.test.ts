import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every error code the product can return has a section in docs/errors.md: codes are the stable
// interface agents branch on, so an undocumented code is a defect.
const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

test('every error code used in src/ and nodes/ is documented in docs/errors.md', () => {
  const documented = new Set(
    readFileSync(join(root, 'docs/errors.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('### '))
      .flatMap((line) => line.match(/[A-Z][A-Z0-9_]{2,}/g) ?? []),
  );
  const used = new Map<string, string>();
  const patterns = [/PipelaneError\(\s*'([A-Z][A-Z0-9_]+)'/g, /\bcode: '([A-Z][A-Z0-9_]+)'/g, /TraceStoreError\(\s*'([A-Z][A-Z0-9_]+)'/g];
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'nodes'))]) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) used.set(match[1]!, file.slice(root.length));
  }
  const missing = [...used].filter(([code]) => !documented.has(code)).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(missing, [], `add a "### CODE" section to docs/errors.md for: ${missing.join(', ')}`);
});
