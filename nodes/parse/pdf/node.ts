import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineNode, isAbortError, isPipelaneError, PipelaneError, untilAborted, type FileItem, type NodeContext } from '../../../src/node-kit/index.js';
import { openDocument, type OpenedDocument, type PdfPage } from './open-document.js';
import { extractText, pageMarks, renderPage } from './page-content.js';
import { describePages, pageSelectionSchema, selectPages } from './page-selection.js';

const config = z.object({
  pages: pageSelectionSchema.optional(),
  renderScanned: z
    .boolean()
    .default(true)
    .describe('Render pages without a text layer (scans) to PNG on the image lane, so that ocr.tesseract can read them; only done when something reads the image lane'),
  minTextChars: z
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('Letters and digits a page needs to count as having a text layer; a page with fewer is rendered for OCR instead (default 20, so a stamped page number does not hide a scan)'),
  renderScale: z
    .number()
    .min(0.25)
    .max(10)
    .default(2.78)
    .describe('Zoom for rendering scanned pages: 1 = 72 DPI, 2.78 ≈ 200 DPI (default, good for OCR), 4.17 ≈ 300 DPI; pages over 40 megapixels are rendered smaller'),
  readingOrder: z
    .enum(['layout', 'content'])
    .default('layout')
    .describe('layout: order text blocks by position (columns left to right, right to left for Arabic or Hebrew pages); content: keep the order in which the PDF draws them'),
  password: z
    .string()
    .optional()
    .describe('Password of an encrypted PDF; give an environment placeholder such as "${PDF_PASSWORD}" so that the password is never stored in the pipeline'),
});

type Config = z.output<typeof config>;
type Context = NodeContext<'file', 'text' | 'image', Config>;

const pdfHeader = '%PDF-';

export default defineNode({
  type: 'parse.pdf',
  title: 'PDF parser',
  description:
    'Extracts the text layer of a PDF page by page in reading order (columns, right-to-left scripts), one text item per page with its page number; ' +
    'pages without a text layer (scans) are rendered to PNG on the image lane for ocr.tesseract. Blank pages emit nothing; a document without any text gives an "empty document" warning. ' +
    'Encrypted PDFs open with a password from an environment variable.',
  inputs: ['file'],
  outputs: ['text', 'image'],
  config,
  // One item is a whole document, and emitting waits while OCR downstream catches up.
  timeoutMs: 600_000,
  examples: [
    { title: 'Text of every page; scans go to OCR', config: {} },
    { title: 'First three pages of an encrypted PDF', config: { pages: '1-3', password: '${PDF_PASSWORD}' } },
    { title: 'Scans at 300 DPI; a page needs 50 letters to count as text', config: { renderScale: 4.17, minTextChars: 50 } },
    { title: 'Text layer only, in the order the PDF draws it', config: { renderScanned: false, readingOrder: 'content' } },
  ],
  async process(item, ctx) {
    const source = typeof item.meta.source === 'string' ? item.meta.source : item.name;
    const bytes = await readBytes(item, source, ctx.signal);
    const opened = await openDocument(bytes, { source, password: ctx.config.password, signal: ctx.signal });
    try {
      await readPages(opened, source, ctx);
    } finally {
      await opened.destroy();
    }
  },
});

async function readBytes(item: FileItem, source: string, signal: AbortSignal): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (item.bytes !== undefined) bytes = item.bytes;
  else {
    try {
      bytes = await readFile(item.path!, { signal });
    } catch (error) {
      if (isAbortError(error) || signal.aborted) throw error;
      throw new PipelaneError('PDF_UNREADABLE', `Cannot read "${source}" from ${item.path}: ${(error as Error).message}.`, {
        hint: 'Check that the file still exists and that pipelane may read it.',
        cause: error,
      });
    }
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes(pdfHeader) && item.mime !== 'application/pdf') {
    throw new PipelaneError('PDF_UNREADABLE', `Cannot read "${source}" as a PDF: it is ${item.mime}, and it has no %PDF- header.`, {
      hint: item.mime.startsWith('image/')
        ? 'Images need no PDF parser: connect the source\'s image lane to ocr.tesseract.'
        : 'Give a PDF file; other document types need their own parser node.',
    });
  }
  return bytes;
}

interface Tally {
  text: number[];
  rendered: number[];
  /** Look scanned but were not rendered (nothing reads the image lane, or renderScanned is off). */
  unread: number[];
  blank: number[];
  failed: Array<{ page: number; message: string }>;
  characters: number;
}

async function readPages({ document, pdfjs }: OpenedDocument, source: string, ctx: Context): Promise<void> {
  const total = document.numPages;
  if (total === 0) {
    ctx.warn(`empty document: "${source}" has no pages.`);
    ctx.setAttributes({ 'pdf.pages': 0 });
    return;
  }
  const { pages, missing } = selectPages(ctx.config.pages, total);
  if (missing) ctx.warn(`"${source}" has ${total} page${total === 1 ? '' : 's'}; the selected pages ${missing} do not exist.`);
  const render = ctx.config.renderScanned && ctx.subscribedLanes.has('image');
  const tally: Tally = { text: [], rendered: [], unread: [], blank: [], failed: [], characters: 0 };
  for (const number of pages) {
    ctx.signal.throwIfAborted();
    let page: PdfPage | undefined;
    try {
      page = await untilAborted(document.getPage(number), ctx.signal);
      const { text, characters } = await untilAborted(extractText(pdfjs, page, ctx.config.readingOrder), ctx.signal);
      tally.characters += characters;
      const meta = { source, page: number, pages: total };
      if (characters >= ctx.config.minTextChars) {
        tally.text.push(number);
        await ctx.emit('text', { text, meta });
        continue;
      }
      const marks = await untilAborted(pageMarks(pdfjs, page), ctx.signal);
      if (render && marks.anything) {
        const image = await renderPage(page, ctx.config.renderScale, ctx.signal);
        tally.rendered.push(number);
        await ctx.emit('image', { bytes: image.png, mime: 'image/png', width: image.width, height: image.height, meta: { ...meta, dpi: Math.round(72 * image.scale) } });
        continue;
      }
      if (characters > 0) {
        tally.text.push(number);
        await ctx.emit('text', { text, meta });
      } else if (!marks.anything) tally.blank.push(number);
      // A page drawing only shapes is a diagram; one with a picture and (almost) no text, a scan.
      if (characters === 0 ? marks.anything : marks.images) tally.unread.push(number);
    } catch (error) {
      if (ctx.signal.aborted || isAbortError(error) || isPipelaneError(error)) throw error;
      tally.failed.push({ page: number, message: error instanceof Error ? error.message : String(error) });
    } finally {
      page?.cleanup();
    }
  }
  report(tally, pages.length, total, source, ctx);
}

function report(tally: Tally, selected: number, total: number, source: string, ctx: Context): void {
  ctx.setAttributes({
    'pdf.pages': total,
    'pdf.pagesRead': selected,
    'pdf.textPages': tally.text.length,
    'pdf.renderedPages': tally.rendered.length,
    'pdf.blankPages': tally.blank.length,
    'pdf.characters': tally.characters,
  });
  if (tally.failed.length > 0 && tally.failed.length === selected) {
    throw new PipelaneError('PDF_UNREADABLE', `Cannot read any page of "${source}": page ${tally.failed[0]!.page}: ${tally.failed[0]!.message}.`, {
      hint: 'The PDF is damaged: re-export or re-download it.',
    });
  }
  for (const { page, message } of tally.failed) ctx.warn(`Page ${page} of "${source}" could not be read and was skipped: ${message}.`);
  if (tally.text.length === 0 && tally.rendered.length === 0) {
    const scanned = tally.unread.length < selected ? `pages ${describePages(tally.unread)} look scanned` : selected === 1 ? 'the page looks scanned' : `all ${selected} pages look scanned`;
    const unread = tally.unread.length === 0 ? '' : `; ${scanned}: ${ocrHint(ctx)}`;
    ctx.warn(`empty document: no text in "${source}" (${selected} of ${total} page${total === 1 ? '' : 's'} read)${unread}.`);
    return;
  }
  if (tally.unread.length > 0) {
    ctx.warn(`Pages of "${source}" that look scanned (little or no text layer) were not sent to OCR: ${describePages(tally.unread)}; ${ocrHint(ctx)}.`);
  }
}

function ocrHint(ctx: Context): string {
  const connect = ctx.subscribedLanes.has('image') ? '' : "connect parse.pdf's image lane to ocr.tesseract";
  if (!ctx.config.renderScanned) return `set renderScanned to true${connect ? ` and ${connect}` : ''} to OCR scanned pages`;
  return `${connect} to OCR scanned pages`;
}
