import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PipelaneError, untilAborted } from '../../../src/node-kit/index.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

let loaded: Promise<Pdfjs> | undefined;

/**
 * pdf.js, loaded on first use (a node definition loads no library), with its worker code running
 * in this thread (pdf.js's "fake worker": Node has no web workers) and its messages silenced, so
 * nothing reaches stdout, which carries the MCP protocol.
 */
export function loadPdfjs(): Promise<Pdfjs> {
  loaded ??= (async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // Resolved here rather than relative to pdf.mjs, so a bundler or loader cannot misplace it.
    pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(path.join(packageFolder(), 'legacy/build/pdf.worker.mjs')).href;
    return pdfjs;
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

let folder: string | undefined;

/** The installed pdfjs-dist folder: fonts, character maps and decoders are read from it, never fetched. */
function packageFolder(): string {
  folder ??= path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return folder;
}

/** pdf.js reads these folders with fs when given plain paths ending in a separator. */
function dataFolder(name: string): string {
  return path.join(packageFolder(), name) + path.sep;
}

export interface OpenedDocument {
  document: PdfDocument;
  pdfjs: Pdfjs;
  /** Frees the document, its pages and its worker; safe to call twice. */
  destroy(): Promise<void>;
}

/**
 * Opens a PDF from bytes (a copy: pdf.js takes over the buffer it is given). Throws PDF_ENCRYPTED
 * when a password is needed or wrong, PDF_UNREADABLE when the bytes are not a PDF pdf.js can read,
 * and the signal's reason when the run is cancelled while it loads.
 */
export async function openDocument(bytes: Uint8Array, options: { source: string; password: string | undefined; signal: AbortSignal }): Promise<OpenedDocument> {
  const pdfjs = await loadPdfjs();
  options.signal.throwIfAborted();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    ...(options.password === undefined ? {} : { password: options.password }),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    standardFontDataUrl: dataFolder('standard_fonts'),
    cMapUrl: dataFolder('cmaps'),
    cMapPacked: true,
    wasmUrl: dataFolder('wasm'),
    iccUrl: dataFolder('iccs'),
    useSystemFonts: false,
    isEvalSupported: false,
    stopAtErrors: false,
  });
  const destroy = () => task.destroy();
  try {
    const document = await untilAborted(task.promise, options.signal);
    return { document, pdfjs, destroy };
  } catch (error) {
    await destroy().catch(() => {});
    if (options.signal.aborted) throw options.signal.reason;
    throw openError(error, options.source, options.password !== undefined);
  }
}

function openError(error: unknown, source: string, passwordGiven: boolean): PipelaneError {
  const name = (error as { name?: string } | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    const wrong = passwordGiven || (error as { code?: number }).code === 2;
    return new PipelaneError(
      'PDF_ENCRYPTED',
      wrong ? `"${source}" is encrypted and the configured password does not open it.` : `"${source}" is encrypted: it needs a password to open.`,
      {
        hint: wrong
          ? 'Set the environment variable that the password config names (e.g. "password": "${PDF_PASSWORD}") to the PDF\'s user or owner password.'
          : 'Set the node\'s password config from an environment variable, e.g. "password": "${PDF_PASSWORD}", never the password itself.',
        path: '/config/password',
        cause: error,
      },
    );
  }
  return new PipelaneError('PDF_UNREADABLE', `Cannot read "${source}" as a PDF: ${describe(message)}.`, {
    hint: 'Give a complete, undamaged PDF file (re-export or re-download it); other document types need their own parser node.',
    cause: error,
  });
}

function describe(message: string): string {
  const trimmed = message.trim().replace(/\.$/, '');
  if (/invalid pdf structure/i.test(trimmed)) return 'the bytes have no valid PDF structure (not a PDF, or damaged beyond repair)';
  return trimmed.length > 0 ? trimmed : 'pdf.js could not parse it';
}
