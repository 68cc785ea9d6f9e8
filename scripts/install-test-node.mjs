// postinstall: Node 22 for the MCP conformance suite, installed from test/tools/node22's own
// lockfile. It cannot be a root devDependency: its `node` bin would land in node_modules/.bin,
// which npm scripts and npx put first on PATH, so `npm test` and `npx pipelane` would run Node 22
// against native addons (better-sqlite3) built for the Node that ran the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const folder = path.join(import.meta.dirname, '..', 'test', 'tools', 'node22');
const omitted = (process.env.npm_config_omit ?? '').split(/[\s,]+/).includes('dev') || process.env.NODE_ENV === 'production';
if (!existsSync(path.join(folder, 'package.json')) || omitted || process.env.npm_execpath === undefined) process.exit(0);

const result = spawnSync(process.execPath, [process.env.npm_execpath, 'ci', '--prefix', folder, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write(`pipelane: installing Node 22 for the conformance test into ${folder} failed (exit ${result.status ?? result.signal}); run: npm ci --prefix test/tools/node22\n`);
  process.exit(result.status ?? 1);
}
