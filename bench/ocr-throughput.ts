/**
 * OCR throughput on 8 pages: the hub's tesseract pool (one worker per core, pages in parallel)
 * against a naive loop over one tesseract.js worker created the usual way, both warm, both reading
 * with automatic page segmentation and asking for the same output (text, plus the word boxes and
 * confidences ocr.tesseract emits). The text of every page must come out identical. Rounds
 * alternate between the two and medians are compared, so drifting machine load hits both. The
 * peer asking for text only is shown too, and the native `tesseract` CLI when it is on the PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveLanguageData, shutdownModels, tesseractPool } from '../src/models/index.js';
import { animals, phototestWithLines } from './pages.js';
import { median, row, type Benchmark } from './report.js';

export function ocrPages(count: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      phototestWithLines([`Page ${index + 1} belongs to the ${animals[index % animals.length]}.`, `Reference ${4100 + index * 7} was checked.`]),
    ),
  );
}

/** The pool's pages per second on `pages`, warm (every worker made and used once before timing). */
export async function poolRate(pages: readonly Buffer[]): Promise<{ pagesPerSecond: number; texts: string[]; workers: number }> {
  const reference = tesseractPool(['eng']);
  try {
    const workers = reference.pool.max;
    if (reference.pool.stats().workers < workers) {
      await Promise.all(Array.from({ length: workers }, () => reference.pool.use((worker) => worker.recognize(pages[0]!, '3'))));
    }
    const started = performance.now();
    const results = await Promise.all(pages.map((png) => reference.pool.use((worker) => worker.recognize(png, '3'))));
    const seconds = (performance.now() - started) / 1000;
    return { pagesPerSecond: pages.length / seconds, texts: results.map((result) => result.text), workers: reference.pool.stats().peakWorkers };
  } finally {
    reference.release();
  }
}

type TesseractWorker = Awaited<ReturnType<(typeof import('tesseract.js'))['createWorker']>>;

/** The peer: tesseract.js as its README shows it, one worker, warm. */
async function naiveWorker(): Promise<TesseractWorker> {
  const { default: tesseract } = await import('tesseract.js');
  const worker = await tesseract.createWorker('eng', tesseract.OEM.LSTM_ONLY, {
    langPath: path.dirname(resolveLanguageData('eng')), // offline: the npm language data
    gzip: true,
    cacheMethod: 'none',
  });
  await worker.setParameters({ tessedit_pageseg_mode: tesseract.PSM.AUTO, debug_file: '/dev/null' } as Parameters<typeof worker.setParameters>[0]);
  return worker;
}

/** A loop over the pages on the one worker; `blocks` asks for word boxes as ocr.tesseract does. */
async function naiveRate(worker: TesseractWorker, pages: readonly Buffer[], blocks: boolean): Promise<{ pagesPerSecond: number; texts: string[] }> {
  await worker.recognize(pages[0]!, {}, { text: true, blocks });
  const texts: string[] = [];
  const started = performance.now();
  for (const png of pages) texts.push((await worker.recognize(png, {}, { text: true, blocks })).data.text);
  return { pagesPerSecond: pages.length / ((performance.now() - started) / 1000), texts };
}

/** The native CLI, one process per page, when installed. */
function cliRate(pages: readonly Buffer[]): { pagesPerSecond: number; texts: string[] } | undefined {
  if (spawnSync('tesseract', ['--version']).error !== undefined) return undefined;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bench-tesseract-'));
  try {
    const files = pages.map((png, index) => {
      const file = path.join(folder, `page-${index}.png`);
      writeFileSync(file, png);
      return file;
    });
    const started = performance.now();
    const texts = files.map((file) => execFileSync('tesseract', [file, '-', '--psm', '3', '-l', 'eng'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { pagesPerSecond: pages.length / ((performance.now() - started) / 1000), texts };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const normalise = (text: string) => text.replace(/\s+$/u, '');

export const ocrThroughput: Benchmark = async ({ quick }) => {
  const pages = await ocrPages(quick ? 4 : 8);
  const rounds = quick ? 1 : 3;
  const worker = await naiveWorker();
  try {
    const poolRates: number[] = [];
    const naiveRates: number[] = [];
    let pool: Awaited<ReturnType<typeof poolRate>> | undefined;
    let naive: Awaited<ReturnType<typeof naiveRate>> | undefined;
    for (let round = 0; round < rounds; round++) {
      naive = await naiveRate(worker, pages, true);
      naiveRates.push(naive.pagesPerSecond);
      pool = await poolRate(pages);
      poolRates.push(pool.pagesPerSecond);
    }
    const textOnly = await naiveRate(worker, pages, false);
    const identical = pool!.texts.filter((text, index) => normalise(text) === normalise(naive!.texts[index]!) && normalise(text) === normalise(textOnly.texts[index]!)).length;
    const cli = cliRate(pages);
    const ours = median(poolRates);
    const peer = median(naiveRates);
    return [
      row({
        id: 'ocr-throughput',
        title: `2. OCR throughput, ${pages.length} pages`,
        ours: { value: ours, unit: 'pages/s', label: `hub pool, ${pool!.workers} workers` },
        peer: { value: peer, unit: 'pages/s', label: 'tesseract.js, one worker in a loop' },
        target: { text: '≥ 1.8× with identical text', met: ours / peer >= 1.8 && identical === pages.length },
        notes: [
          `Identical text on ${identical}/${pages.length} pages (phototest.tif with two distinct lines drawn below, 640×566, psm 3, LSTM, best_int eng). Median of ${rounds} alternating rounds.`,
          `Both ask for text and word boxes (what ocr.tesseract emits); the peer asking for text only reads ${textOnly.pagesPerSecond.toFixed(2)} pages/s (ours ÷ that: ${(ours / textOnly.pagesPerSecond).toFixed(2)}×).`,
          cli === undefined
            ? 'The native `tesseract` CLI is not installed on this machine (not on the PATH), so it was not measured.'
            : `Native tesseract CLI: ${cli.pagesPerSecond.toFixed(2)} pages/s, one process per page.`,
        ],
      }),
    ];
  } finally {
    await worker.terminate();
    await shutdownModels();
  }
};
