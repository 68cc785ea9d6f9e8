import os from 'node:os';

/** One measured figure. */
export interface Figure {
  value: number;
  /** `µs/hop`, `pages/s`, `ms`. */
  unit: string;
  /** What was measured, e.g. "Pipelane engine, 100,000 items". */
  label: string;
}

/** One benchmark line: ours, the peer's in the same run, and ours ÷ peer. */
export interface BenchRow {
  id: string;
  title: string;
  ours: Figure;
  peer: Figure;
  /** ours.value ÷ peer.value (same unit). */
  ratio: number;
  /** The acceptance target and whether this run met it. */
  target: { text: string; met: boolean };
  /** Checks that make the figures comparable (equal text, no crosstalk), and caveats. */
  notes: string[];
}

export interface BenchOptions {
  /** Smaller sizes for a smoke run (the figures are then not the ones to record). */
  quick: boolean;
}

export type Benchmark = (options: BenchOptions) => Promise<BenchRow[]>;

export function row(fields: Omit<BenchRow, 'ratio'> & { ratio?: number }): BenchRow {
  return { ...fields, ratio: fields.ratio ?? fields.ours.value / fields.peer.value };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Three significant figures, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(2) : ratio.toFixed(3)}×`;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: number[];
}

export function machine(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((load) => Math.round(load * 10) / 10),
  };
}

/** The results as a markdown table (what docs/benchmarks.md keeps). */
export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| benchmark | ours | peer (same run) | ours ÷ peer | target | met |',
    '|---|---:|---:|---:|---|:-:|',
    ...rows.map(
      (result) =>
        `| ${result.title} | ${formatNumber(result.ours.value)} ${result.ours.unit} | ${result.peer.label}: ${formatNumber(result.peer.value)} ${result.peer.unit} | **${formatRatio(result.ratio)}** | ${result.target.text} | ${result.target.met ? 'yes' : '**no**'} |`,
    ),
  ];
  return lines.join('\n');
}

/** The results as aligned plain text for the terminal. */
export function textTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((result) => [
    result.title,
    `${formatNumber(result.ours.value)} ${result.ours.unit}`,
    `${result.peer.label}: ${formatNumber(result.peer.value)} ${result.peer.unit}`,
    formatRatio(result.ratio),
    `${result.target.text} ${result.target.met ? 'ok' : 'MISSED'}`,
  ]);
  const header = ['benchmark', 'ours', 'peer (same run)', 'ours ÷ peer', 'target'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const format = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...cells.map(format)].join('\n');
}
