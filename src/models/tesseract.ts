import { existsSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import type Tesseract from 'tesseract.js';
import { PipelaneError } from '../node-kit/errors.js';
import { getPool, modelKey, type PoolReference } from './hub.js';
import { hubSettings, type HubSettings } from './settings.js';
import { WorkerPool } from './worker-pool.js';

/** One recognised word, in pixel coordinates of the image given to `recognize`. */
export interface OcrWord {
  text: string;
  /** 0–100 */
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface OcrResult {
  text: string;
  /** Tesseract's mean word confidence, 0–100. */
  confidence: number;
  words: OcrWord[];
}

/** Tesseract page segmentation modes (`tessedit_pageseg_mode`) this module supports. */
export type PageSegmentationMode = '1' | '3' | '4' | '6' | '11';

/** A pooled tesseract.js worker, created fully offline; tesseract.js types stay inside this file. */
export interface OcrWorker {
  recognize(image: Uint8Array, mode: PageSegmentationMode): Promise<OcrResult>;
}

/** What tesseract's orientation and script detection (OSD) says about a page. */
export interface PageOrientation {
  /** Clockwise turn, in degrees, that makes the page upright. */
  degrees: 0 | 90 | 180 | 270;
  /**
   * How far the best orientation beats the next one: about 3 on a few lines of text, 10–30 on a
   * full page, under 2 when it is guessing. Tesseract's own cut-off for psm 1 is 7.
   */
  confidence: number;
  /** The script OSD saw, e.g. "Latin". */
  script: string;
}

/** A pooled OSD worker (legacy engine + osd data). */
export interface OrientationWorker {
  /** Undefined when the page has too little text to tell (a blank page, a single word). */
  detectOrientation(image: Uint8Array): Promise<PageOrientation | undefined>;
}

export interface TesseractPoolOptions {
  /** Orientation and script detection data (`@tesseract.js-data/osd`), needed for page segmentation mode 1. */
  osd?: boolean;
  /**
   * Apply when this call creates the pool (an existing pool for the same languages is shared as is).
   * Defaults: PIPELANE_OCR_MAX_WORKERS (CPU cores), PIPELANE_OCR_MIN_WORKERS (0), PIPELANE_OCR_IDLE_MS (60 s).
   */
  max?: number;
  min?: number;
  idleTimeoutMs?: number;
  /** Unused this long, the pool is unloaded (default PIPELANE_MODEL_TTL_MS). */
  ttlMs?: number;
  /**
   * Resolves `@tesseract.js-data/<code>/package.json` to a file path (default: Node's resolution
   * from this module), for language data kept outside node_modules.
   */
  resolvePackage?: (specifier: string) => string;
}

const require = createRequire(import.meta.url);
const languageCodePattern = /^[a-z][a-z0-9_]*$/;
const creationTimeoutMs = 60_000;

/** Where `<lang>.traineddata.gz` lives: the LSTM-only "best_int" data when the package has it. */
export function resolveLanguageData(language: string, resolvePackage: (specifier: string) => string = require.resolve): string {
  const hint = `Install the language data: npm i @tesseract.js-data/${language}`;
  if (!languageCodePattern.test(language)) {
    throw new PipelaneError('OCR_LANGUAGE_UNAVAILABLE', `"${language}" is not a tesseract language code (e.g. eng, fra, chi_sim).`, {
      hint: 'Use tesseract language codes such as eng, deu, fra, chi_sim.',
      details: { language },
    });
  }
  let packageDirectory: string;
  try {
    packageDirectory = path.dirname(resolvePackage(`@tesseract.js-data/${language}/package.json`));
  } catch (error) {
    throw new PipelaneError('OCR_LANGUAGE_UNAVAILABLE', `OCR language data for "${language}" is not installed (@tesseract.js-data/${language} not found).`, {
      hint,
      cause: error,
      details: { language },
    });
  }
  for (const folder of ['4.0.0_best_int', '4.0.0']) {
    const file = path.join(packageDirectory, folder, `${language}.traineddata.gz`);
    if (existsSync(file)) return file;
  }
  throw new PipelaneError('OCR_LANGUAGE_UNAVAILABLE', `@tesseract.js-data/${language} has no ${language}.traineddata.gz in ${packageDirectory}.`, {
    hint: `Reinstall it: npm i @tesseract.js-data/${language}`,
    details: { language },
  });
}

/**
 * tesseract.js reads every language from `${langPath}/${code}.traineddata.gz`, one folder for all.
 * One language uses its package folder; several get a private temp folder of symlinks to each file.
 */
export function languageDirectory(files: readonly string[]): { directory: string; dispose(): void } {
  const folders = new Set(files.map((file) => path.dirname(file)));
  if (folders.size === 1) return { directory: [...folders][0]!, dispose: () => {} };
  const directory = mkdtempSync(path.join(os.tmpdir(), 'pipelane-tessdata-'));
  temporaryDirectories.add(directory);
  for (const file of files) {
    const link = path.join(directory, path.basename(file));
    try {
      symlinkSync(file, link);
    } catch {
      copyFileSync(file, link); // file systems without symlinks
    }
  }
  return {
    directory,
    dispose() {
      temporaryDirectories.delete(directory);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

const temporaryDirectories = new Set<string>();
process.once('exit', () => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

/**
 * The shared pool of tesseract.js workers for `languages` (joined `eng+fra`, first one primary).
 * Checks the language data now, so a missing language fails at `open()`, not on the first item.
 */
export function tesseractPool(languages: readonly string[], options: TesseractPoolOptions = {}): PoolReference<OcrWorker> {
  if (languages.length === 0) {
    throw new PipelaneError('OCR_LANGUAGE_UNAVAILABLE', 'No OCR language given.', { hint: 'Give at least one language, e.g. ["eng"].' });
  }
  const files = languages.map((language) => resolveLanguageData(language, options.resolvePackage));
  const osdFile = options.osd ? resolveLanguageData('osd', options.resolvePackage) : undefined;
  // The same codes from other data files are another model.
  const data = options.resolvePackage === undefined ? undefined : [...files, osdFile ?? ''].join(',');
  const key = modelKey({ kind: 'tesseract', model: languages.join('+'), options: { engine: 'lstm', osd: options.osd === true ? true : undefined, data } });
  const settings = hubSettings();
  return getPool<OcrWorker>(
    key,
    () => {
      const { directory, dispose } = languageDirectory(files);
      return new WorkerPool<TesseractWorker>({
        ...poolSizing(key, options, settings),
        create: (signal) =>
          TesseractWorker.create({ languages: languages.join('+'), engine: 'lstm', langPath: directory, ...(osdFile === undefined ? {} : { osdFile }) }, signal),
        terminate: (worker) => worker.terminate(),
        exited: (worker) => worker.exited,
        onClose: dispose,
      });
    },
    options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs },
  );
}

export type OrientationPoolOptions = Omit<TesseractPoolOptions, 'osd'>;

/**
 * The shared pool of orientation-detection workers. OSD needs tesseract's legacy engine and the
 * legacy `osd` model, so these are separate workers (key `tesseract:osd:engine=legacy`), made only
 * when a page is actually checked. Checks the osd data now, so its absence fails at `open()`.
 */
export function orientationPool(options: OrientationPoolOptions = {}): PoolReference<OrientationWorker> {
  const osdFile = resolveLanguageData('osd', options.resolvePackage);
  const key = modelKey({ kind: 'tesseract', model: 'osd', options: { engine: 'legacy', data: options.resolvePackage === undefined ? undefined : osdFile } });
  const settings = hubSettings();
  return getPool<OrientationWorker>(
    key,
    () =>
      new WorkerPool<TesseractWorker>({
        ...poolSizing(key, options, settings),
        create: (signal) => TesseractWorker.create({ languages: 'osd', engine: 'legacy', langPath: path.dirname(osdFile) }, signal),
        terminate: (worker) => worker.terminate(),
        exited: (worker) => worker.exited,
      }),
    options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs },
  );
}

function poolSizing(name: string, options: OrientationPoolOptions, settings: HubSettings) {
  const max = options.max ?? settings.ocrMaxWorkers;
  return { name, max, min: Math.min(max, options.min ?? settings.ocrMinWorkers), idleTimeoutMs: options.idleTimeoutMs ?? settings.ocrIdleMs };
}

/**
 * The worker thread behind a pooled OCR worker, for tests and diagnostics that must see a thread die
 * (`tesseractThreadOf(worker)?.terminate()` is how a test crashes one).
 */
export function tesseractThreadOf(worker: OcrWorker | OrientationWorker): ThreadWorker | undefined {
  return worker instanceof TesseractWorker ? worker.thread : undefined;
}

interface WorkerSpec {
  /** `eng`, `eng+fra`, or `osd`. */
  languages: string;
  /** `lstm`: LSTM recognition (the best_int data). `legacy`: the legacy engine, for OSD. */
  engine: 'lstm' | 'legacy';
  langPath: string;
  /** osd.traineddata.gz to load next to the LSTM data, for page segmentation mode 1. */
  osdFile?: string;
}

/** Both worker kinds; each pool hands it out under the one interface it is for. */
class TesseractWorker implements OcrWorker, OrientationWorker {
  readonly #inner: Tesseract.Worker;
  readonly #thread: ThreadWorker | undefined;
  readonly #died: Promise<never>;
  #terminated = false;

  /** Settles (rejects) when the thread crashes or exits without being asked to. */
  get exited(): Promise<never> {
    return this.#died;
  }

  get thread(): ThreadWorker | undefined {
    return this.#thread;
  }

  private constructor(inner: Tesseract.Worker) {
    this.#inner = inner;
    // tesseract.js keeps its worker thread as `.worker` (not in its types). Watching it lets a task
    // fail fast when the thread dies instead of waiting forever for an answer that never comes.
    this.#thread = (inner as unknown as { worker?: ThreadWorker }).worker;
    this.#died = new Promise<never>((_, reject) => {
      this.#thread?.once('error', (error) => reject(new Error(`tesseract worker thread crashed: ${error.message}`, { cause: error })));
      this.#thread?.once('exit', (code) => {
        if (!this.#terminated) reject(new Error(`tesseract worker thread exited (code ${code})`));
      });
    });
    this.#died.catch(() => {});
    // An idle worker must not keep the process alive; it is referenced only while it works.
    this.#thread?.unref();
  }

  static async create(spec: WorkerSpec, signal: AbortSignal): Promise<TesseractWorker> {
    const { languages, engine, langPath, osdFile } = spec;
    // Loaded on first use, so importing a node definition stays cheap.
    const { default: tesseract } = await import('tesseract.js');
    let failedWhileCreating: ((reason: unknown) => void) | undefined;
    const failure = new Promise<never>((_, reject) => (failedWhileCreating = reject));
    const legacy = engine === 'legacy';
    const creation = tesseract.createWorker(languages, legacy ? tesseract.OEM.TESSERACT_ONLY : tesseract.OEM.LSTM_ONLY, {
      langPath, // an explicit folder: without it tesseract.js fetches from a CDN
      gzip: true,
      cacheMethod: 'none',
      legacyCore: legacy || osdFile !== undefined, // orientation detection lives in the legacy engine
      legacyLang: legacy,
      // Without an errorHandler tesseract.js throws job failures from its message handler (an
      // uncaught exception); with one, the job's promise rejects and we handle it there.
      errorHandler: (error: unknown) => failedWhileCreating?.(new Error(`tesseract worker failed to start: ${String(error)}`)),
    });
    const timeout = AbortSignal.timeout(creationTimeoutMs);
    let inner: Tesseract.Worker;
    try {
      inner = await raceAbort(Promise.race([creation, failure]), [signal, timeout]);
    } catch (error) {
      // A worker that still turns up after we gave up is terminated, not leaked.
      creation.then((late) => late.terminate(), () => {});
      if (timeout.aborted && !signal.aborted) {
        throw new PipelaneError('MODEL_LOAD_TIMEOUT', `A tesseract worker (${languages}) did not start within ${creationTimeoutMs / 1000} s.`, {
          hint: 'The machine may be short of memory (a worker needs about 200 MB); retry with fewer concurrent runs.',
          retryable: true,
        });
      }
      throw error;
    } finally {
      failedWhileCreating = undefined;
    }
    // Set up before the wrapper unrefs the thread: an unreferenced thread cannot keep the process
    // alive while we wait for its answer.
    // Tesseract prints warnings ("Estimating resolution as 304") with tprintf, which the worker
    // thread forwards to our stdout: that would corrupt an MCP stdio stream. Send them nowhere.
    try {
      await inner.setParameters({ debug_file: '/dev/null' });
      if (osdFile !== undefined) await inner.FS('writeFile', ['osd.traineddata', gunzipSync(readFileSync(osdFile))]);
    } catch (error) {
      await inner.terminate();
      throw error instanceof Error ? error : new Error(`tesseract worker set-up failed: ${String(error)}`);
    }
    return new TesseractWorker(inner);
  }

  async recognize(image: Uint8Array, mode: PageSegmentationMode): Promise<OcrResult> {
    // Parameters given to recognize() apply to this call only (tesseract.js restores them after).
    const parameters = { tessedit_pageseg_mode: mode } as Partial<Tesseract.RecognizeOptions>;
    const { data } = await this.#job(() => this.#inner.recognize(asBuffer(image), parameters, { text: true, blocks: true }));
    return toOcrResult(data);
  }

  async detectOrientation(image: Uint8Array): Promise<PageOrientation | undefined> {
    const { data } = await this.#job(() => this.#inner.detect(asBuffer(image)));
    const degrees = data.orientation_degrees;
    if (degrees !== 0 && degrees !== 90 && degrees !== 180 && degrees !== 270) return undefined;
    return { degrees, confidence: round2(data.orientation_confidence ?? 0), script: data.script ?? 'unknown' };
  }

  /** Runs one job on the thread: referenced while it works, failing fast if the thread dies. */
  async #job<T>(start: () => Promise<T>): Promise<T> {
    this.#thread?.ref();
    try {
      return await Promise.race([start(), this.#died]);
    } catch (error) {
      // tesseract.js rejects with plain strings; give callers an Error with a stack.
      throw error instanceof Error ? error : new Error(`tesseract: ${String(error)}`);
    } finally {
      this.#thread?.unref();
    }
  }

  async terminate(): Promise<void> {
    this.#terminated = true;
    await this.#inner.terminate();
  }
}

function asBuffer(image: Uint8Array): Buffer {
  return Buffer.from(image.buffer, image.byteOffset, image.byteLength);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function toOcrResult(page: Tesseract.Page): OcrResult {
  const words: OcrWord[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        for (const word of line.words) {
          const { x0, y0, x1, y1 } = word.bbox;
          words.push({ text: word.text, confidence: word.confidence, bbox: { x0, y0, x1, y1 } });
        }
      }
    }
  }
  return { text: page.text, confidence: page.confidence, words };
}

/** Settles with `promise`, or rejects with the reason of the first signal to abort. */
function raceAbort<T>(promise: Promise<T>, signals: readonly AbortSignal[]): Promise<T> {
  const aborted = signals.find((signal) => signal.aborted);
  if (aborted) return Promise.reject(aborted.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (event: Event) => {
      cleanUp();
      reject((event.target as AbortSignal).reason);
    };
    const cleanUp = () => signals.forEach((signal) => signal.removeEventListener('abort', onAbort));
    signals.forEach((signal) => signal.addEventListener('abort', onAbort, { once: true }));
    promise.then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}
