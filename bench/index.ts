/**
 * The benchmark suite: `npm run bench` runs every benchmark, each in a fresh Node process (so no
 * pool, heap or JIT state leaks from one into the next), and prints for each our figure, the peer's
 * figure measured in the same run, and the ratio.
 *
 *   npm run bench                          all six
 *   npm run bench -- --only engine,mcp     some (engine, ocr, embed, concurrent, validation, mcp)
 *   npm run bench -- --quick               small sizes: a smoke run, not figures to record
 *   npm run bench -- --write               also replace the table in docs/benchmarks.md
 *
 * bench/vector.ts (stores at 100k vectors, several minutes with a Chroma server) runs on its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { concurrentRuns } from './concurrent-runs.js';
import { embedBatching } from './embed-batching.js';
import { engineOverhead } from './engine-overhead.js';
import { mcpStartup } from './mcp-startup.js';
import { ocrThroughput } from './ocr-throughput.js';
import { machine, markdownTable, textTable, type Benchmark, type BenchRow, type MachineInfo } from './report.js';
import { validation } from './validation.js';

const benchmarks: Record<string, Benchmark> = {
  engine: engineOverhead,
  ocr: ocrThroughput,
  embed: embedBatching,
  concurrent: concurrentRuns,
  validation,
  mcp: mcpStartup,
};

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const value = (name: string) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
};
const quick = flag('quick');

async function child(name: string, out: string): Promise<void> {
  const rows = await benchmarks[name]!({ quick });
  writeFileSync(out, JSON.stringify(rows));
}

function runInChild(name: string, folder: string): BenchRow[] {
  const out = path.join(folder, `${name}.json`);
  const started = Date.now();
  process.stderr.write(`bench ${name} …\n`);
  const result = spawnSync(
    process.execPath,
    ['--max-old-space-size=6144', '--import', 'tsx', new URL(import.meta.url).pathname, '--child', name, '--out', out, ...(quick ? ['--quick'] : [])],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: new URL('..', import.meta.url).pathname },
  );
  if (result.status !== 0) throw new Error(`benchmark ${name} failed (exit ${result.status ?? result.signal})`);
  process.stderr.write(`bench ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return JSON.parse(readFileSync(out, 'utf8')) as BenchRow[];
}

function report(rows: BenchRow[], before: MachineInfo, after: MachineInfo, date: string): string {
  const lines = [
    `Run on ${date} with \`npm run bench\`${quick ? ' --quick (smoke sizes: not figures to keep)' : ''}.`,
    `Machine: ${before.cores} cores (${before.cpu}), ${before.memoryGiB} GiB, Node ${before.node}, ${before.platform}.`,
    `Load average (1, 5, 15 min) at the start ${before.loadAverage.join(', ')}, at the end ${after.loadAverage.join(', ')}: ` +
      'other work shared the machine, which inflates absolute times; ours and the peer ran in the same process, minutes apart, so the ratios are what to compare.',
    '',
    markdownTable(rows),
    '',
    ...rows.flatMap((result) => [`- **${result.title}.** ${result.notes.join(' ')}`]),
  ];
  return lines.join('\n');
}

function writeDocs(section: string): void {
  const file = new URL('../docs/benchmarks.md', import.meta.url).pathname;
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/benchmarks.md has no ${start} … ${end} block to replace`);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${section}\n${text.slice(to)}`);
  process.stderr.write('docs/benchmarks.md updated\n');
}

async function main(): Promise<void> {
  const childName = value('child');
  if (childName !== undefined) return child(childName, value('out')!);
  const only = value('only')?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(name in benchmarks)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  const names = Object.keys(benchmarks).filter((name) => only === undefined || only.includes(name));
  const folder = mkdtempSync(path.join(os.tmpdir(), 'pipelane-bench-'));
  const before = machine();
  const rows: BenchRow[] = [];
  try {
    for (const name of names) rows.push(...runInChild(name, folder));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const after = machine();
  const date = new Date().toISOString().slice(0, 10);
  process.stdout.write(`${textTable(rows)}\n\n`);
  for (const result of rows) process.stdout.write(`${result.title}\n${result.notes.map((note) => `  ${note}`).join('\n')}\n`);
  process.stdout.write(`\nload average ${before.loadAverage.join(' ')} → ${after.loadAverage.join(' ')} on ${before.cores} cores\n`);
  if (flag('write')) writeDocs(report(rows, before, after, date));
  if (rows.some((result) => !result.target.met)) process.exitCode = 1;
}

await main();
