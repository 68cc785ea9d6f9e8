// postinstall: Node 22 for the MCP conformance suite, installed from test/tools/node22's own
// lockfile into node_modules/.cache/pipelane-node22. It cannot be a root devDependency: its `node`
// bin would land in node_modules/.bin, which npm scripts and npx put first on PATH, so `npm test`
// and `npx pipelane` would run Node 22 against native addons (better-sqlite3) built for the Node
// that ran the install.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const manifest = path.join(root, 'test', 'tools', 'node22');
const node22Folder = path.join(root, 'node_modules', '.cache', 'pipelane-node22');
const env = process.env;
const omitted = (env.npm_config_omit ?? '').split(/[\s,]+/).includes('dev') || env.NODE_ENV === 'production';
// npm runs postinstall for `npm install --package-lock-only` too, and a nested `npm ci` inheriting
// that setting empties its node_modules and installs nothing.
const installsNothing = env.npm_config_package_lock_only === 'true' || env.npm_config_dry_run === 'true';
if (!existsSync(path.join(manifest, 'package.json')) || omitted || installsNothing || env.npm_execpath === undefined) process.exit(0);

mkdirSync(node22Folder, { recursive: true });
for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(manifest, file), path.join(node22Folder, file));
const result = spawnSync(process.execPath, [env.npm_execpath, 'ci', '--prefix', node22Folder, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write(`pipelane: installing Node 22 for the conformance test into ${node22Folder} failed (exit ${result.status ?? result.signal}); run: npm run postinstall\n`);
  process.exit(result.status ?? 1);
}
