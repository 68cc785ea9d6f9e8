import { createRequire } from 'node:module';
import os from 'node:os';
import { z } from 'zod';
import { defineNode, isPipelaneError, nearestNames, PipelaneError } from '../../../src/node-kit/index.js';
import { orientationPool, tesseractPool, type OcrWorker, type OrientationWorker, type PoolReference } from '../../../src/models/index.js';
import { pageSegmentationModes, pageSegmentationNames } from './page-segmentation.js';
import { preparePages } from './prepare-image.js';
import { orientationCheckBelowConfidence, readPage, type PageReading } from './read-page.js';

/** The codes tesseract has trained data for (tesseract.js's own list: a small file, no engine). */
const tesseractLanguages: ReadonlySet<string> = new Set(Object.values(createRequire(import.meta.url)('tesseract.js/src/constants/languages.js') as Record<string, string>));

const languageCode = z.string().refine((code) => tesseractLanguages.has(code), {
  error: (issue) => {
    const nearest = nearestNames(String(issue.input), tesseractLanguages);
    return `"${String(issue.input)}" is not a tesseract language code${nearest.length > 0 ? ` (nearest: ${nearest.join(', ')})` : ''}; codes look like eng, fra, deu, chi_sim`;
  },
});

const config = z.object({
  languages: z
    .array(languageCode)
    .min(1)
    .default(['eng'])
    .describe('Tesseract language codes, the main one first (eng, fra, deu, chi_sim); each needs the npm package @tesseract.js-data/<code>'),
  pageSegmentation: z
    .enum(pageSegmentationNames)
    .default('auto')
    .describe(
      'Layout analysis: auto (columns and blocks, psm 3), single-block (psm 6), single-column (psm 4), sparse (scattered text, psm 11), auto-osd (auto plus orientation detection, psm 1, needs @tesseract.js-data/osd)',
    ),
  autoRotate: z
    .boolean()
    .default(true)
    .describe(
      `Turn sideways and upside-down pages upright: a page read with mean confidence below ${orientationCheckBelowConfidence} gets orientation detection (Tesseract OSD, needs @tesseract.js-data/osd) and is read again turned; the turn is in meta.rotation and word boxes are on the turned page`,
    ),
  minConfidence: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe('Warn when a page’s mean word confidence (0–100) is below this; the text is still emitted'),
  timeoutMs: z.number().int().positive().default(120_000).describe('Time limit per image, waiting for a worker included (default 120 s)'),
});

type Config = z.output<typeof config>;

const poolKey = 'ocr.tesseract.pool';
const osdPoolKey = 'ocr.tesseract.osdPool';

export default defineNode({
  type: 'ocr.tesseract',
  title: 'Tesseract OCR',
  description:
    'Recognises printed text in images with Tesseract (offline, several languages at once, multi-column layouts, sideways or upside-down pages turned upright) and emits it with page, rotation, mean confidence and per-word boxes and confidences.',
  inputs: ['image'],
  outputs: ['text'],
  config,
  concurrency: Math.max(1, os.availableParallelism()),
  examples: [
    { title: 'English scans', config: { languages: ['eng'] } },
    { title: 'English and French documents', config: { languages: ['eng', 'fra'] } },
    { title: 'A receipt or form, warn on poor scans', config: { pageSegmentation: 'sparse', minConfidence: 60 } },
  ],
  open(ctx) {
    const ocr = openPool(ctx.config);
    ctx.state[poolKey] = ocr;
    if (!ctx.config.autoRotate) return;
    try {
      ctx.state[osdPoolKey] = openOrientationPool();
    } catch (error) {
      ocr.release();
      delete ctx.state[poolKey];
      throw error;
    }
  },
  async process(item, ctx) {
    const reference = ctx.state[poolKey] as PoolReference<OcrWorker>;
    const osd = ctx.state[osdPoolKey] as PoolReference<OrientationWorker> | undefined;
    const source = typeof item.meta.source === 'string' ? item.meta.source : 'image';
    const deadline = AbortSignal.timeout(ctx.config.timeoutMs);
    const signal = AbortSignal.any([ctx.signal, deadline]);
    const { pages, skippedPages } = await preparePages(item, source);
    if (skippedPages > 0) ctx.warn(`"${source}" has ${pages.length + skippedPages} pages; only the first ${pages.length} were read.`);
    const mode = pageSegmentationModes[ctx.config.pageSegmentation];
    let queueWaitMs = 0;
    let retries = 0;
    let words = 0;
    const confidences: number[] = [];
    const readings: PageReading[] = [];
    for (const page of pages) {
      let reading: PageReading;
      try {
        reading = await readPage(page.png, { ocr: reference, ...(osd === undefined ? {} : { osd }), mode, signal });
      } catch (error) {
        throw recognitionError(error, source, ctx.signal, deadline, ctx.config.timeoutMs);
      }
      const { result } = reading;
      readings.push(reading);
      queueWaitMs += reading.queueWaitMs;
      retries += reading.retries;
      const where = page.page === undefined ? `"${source}"` : `"${source}" page ${page.page}`;
      if (result.words.length === 0) ctx.warn(`No text found in ${where}.`);
      else if (ctx.config.minConfidence !== undefined && result.confidence < ctx.config.minConfidence) {
        ctx.warn(`OCR confidence ${result.confidence} in ${where} is below minConfidence ${ctx.config.minConfidence}; check the scan quality and the languages.`);
      }
      words += result.words.length;
      confidences.push(result.confidence);
      await ctx.emit('text', {
        text: result.text.trimEnd(),
        meta: {
          source,
          ...(page.page === undefined ? {} : { page: page.page }),
          ...(item.meta.timestampMs === undefined ? {} : { timestampMs: item.meta.timestampMs }),
          confidence: result.confidence,
          rotation: reading.rotation,
          words: result.words,
        },
      });
    }
    // One value for a one-page image, one per page for a multi-page TIFF.
    const perPage = <T>(values: T[]): T | T[] => (values.length === 1 ? values[0]! : values);
    const checked = readings.some((reading) => reading.orientation !== undefined);
    ctx.setAttributes({
      'ocr.rotation': perPage(readings.map((reading) => reading.rotation)),
      ...(checked ? { 'ocr.orientationConfidence': perPage(readings.map((reading) => reading.orientation?.confidence ?? null)) } : {}),
      'ocr.confidence': confidences.length === 0 ? 0 : Math.round(confidences.reduce((sum, value) => sum + value, 0) / confidences.length),
      'ocr.words': words,
      'ocr.pages': pages.length,
      'model.key': reference.key,
      'model.workers': reference.pool.stats().workers,
      'model.queueWaitMs': Math.round(queueWaitMs),
      'model.batchSize': 1, // one page per worker call: tesseract has no batch mode
      ...(retries > 0 ? { 'model.retries': retries } : {}),
    });
  },
  close(ctx) {
    (ctx.state[poolKey] as PoolReference<OcrWorker> | undefined)?.release();
    (ctx.state[osdPoolKey] as PoolReference<OrientationWorker> | undefined)?.release();
    delete ctx.state[poolKey];
    delete ctx.state[osdPoolKey];
  },
});

function openPool(current: Config): PoolReference<OcrWorker> {
  try {
    return tesseractPool(current.languages, { osd: current.pageSegmentation === 'auto-osd' });
  } catch (error) {
    if (!isPipelaneError(error) || error.code !== 'OCR_LANGUAGE_UNAVAILABLE') throw error;
    const language = error.details?.['language'];
    const index = current.languages.findIndex((code) => code === language);
    const path = language === 'osd' ? '/config/pageSegmentation' : `/config/languages${index < 0 ? '' : `/${index}`}`;
    throw new PipelaneError(error.code, error.message, { hint: error.hint, path, cause: error });
  }
}

function openOrientationPool(): PoolReference<OrientationWorker> {
  try {
    return orientationPool();
  } catch (error) {
    if (!isPipelaneError(error) || error.code !== 'OCR_LANGUAGE_UNAVAILABLE') throw error;
    throw new PipelaneError(error.code, `autoRotate needs orientation data: ${error.message}`, {
      hint: 'Install it (npm i @tesseract.js-data/osd) or set autoRotate to false.',
      path: '/config/autoRotate',
      cause: error,
    });
  }
}

/** Cancels stay cancels; a timeout and a failed worker become typed, retryable errors. */
function recognitionError(error: unknown, source: string, runSignal: AbortSignal, deadline: AbortSignal, timeoutMs: number): unknown {
  if (runSignal.aborted || isPipelaneError(error)) return error;
  if (deadline.aborted) {
    return new PipelaneError('OCR_TIMEOUT', `OCR of "${source}" took longer than ${timeoutMs / 1000} s.`, {
      hint: 'Raise timeoutMs, give a smaller image, or run fewer pipelines at once (every OCR worker may be busy).',
      path: '/config/timeoutMs',
      retryable: true,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PipelaneError('OCR_FAILED', `Tesseract failed on "${source}": ${message}`, {
    hint: 'The OCR worker was replaced; retry the item. If it fails again, the image may be too large or unusual.',
    retryable: true,
    cause: error,
  });
}
