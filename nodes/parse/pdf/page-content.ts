import { untilAborted } from '../../../src/node-kit/index.js';
import type { loadPdfjs, PdfPage } from './open-document.js';
import { pageText, type ReadingOrder, type TextRun } from './reading-order.js';

type Pdfjs = Awaited<ReturnType<typeof loadPdfjs>>;

/**
 * Ligatures (ﬁ) and Arabic or Hebrew presentation forms (ﻟﻌﺮﺑﻴﺔ) as fonts map them, folded to the
 * letters a reader would type, so that search, PII detection and embeddings see ordinary words.
 */
const presentationForms = /[\uFB00-\uFB4F\uFB50-\uFDFF\uFE70-\uFEFE]+/gu;

export function foldPresentationForms(text: string): string {
  return text.replace(presentationForms, (forms) => forms.normalize('NFKC'));
}

/** The page's text layer in reading order, and how many letters and digits it has. */
export async function extractText(pdfjs: Pdfjs, page: PdfPage, order: ReadingOrder): Promise<{ text: string; characters: number }> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const runs: TextRun[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.length === 0) continue;
    // Into display space: the page's /Rotate and crop box applied, y growing downward.
    const [a, b, c, d, x, y] = pdfjs.Util.transform(viewport.transform, item.transform) as number[];
    const size = Math.hypot(c!, d!);
    const rotated = item.dir === 'ttb' || Math.abs(b!) > 0.1 * Math.abs(a!) || a! < 0;
    runs.push({ text: item.str, x: x!, y: y!, width: item.width, size, rotated });
  }
  const text = foldPresentationForms(pageText(runs, order));
  return { text, characters: text.match(/[\p{L}\p{N}]/gu)?.length ?? 0 };
}

/** Operators that paint pictures, and all that paint anything (shapes, text, pictures). */
function paintingOperators(ops: Pdfjs['OPS']): { images: Set<number>; anything: Set<number> } {
  const images = new Set<number>([
    ops.paintImageMaskXObject,
    ops.paintImageMaskXObjectGroup,
    ops.paintImageXObject,
    ops.paintInlineImageXObject,
    ops.paintInlineImageXObjectGroup,
    ops.paintImageXObjectRepeat,
    ops.paintImageMaskXObjectRepeat,
    ops.paintSolidColorImageMask,
  ]);
  const shapesAndText = [
    ops.stroke,
    ops.closeStroke,
    ops.fill,
    ops.eoFill,
    ops.fillStroke,
    ops.eoFillStroke,
    ops.closeFillStroke,
    ops.closeEOFillStroke,
    ops.constructPath,
    ops.rawFillPath,
    ops.shadingFill,
    ops.showText,
    ops.showSpacedText,
    ops.nextLineShowText,
    ops.nextLineSetSpacingShowText,
  ];
  return { images, anything: new Set([...images, ...shapesAndText]) };
}

/** Whether the page paints anything at all (a blank page needs no OCR), and whether it paints pictures. */
export async function pageMarks(pdfjs: Pdfjs, page: PdfPage): Promise<{ anything: boolean; images: boolean }> {
  const { images, anything } = paintingOperators(pdfjs.OPS);
  const { fnArray } = await page.getOperatorList();
  return { anything: fnArray.some((operation) => anything.has(operation)), images: fnArray.some((operation) => images.has(operation)) };
}

/** Pixels above this are rendered at a lower scale (a poster-sized page at 200 DPI). */
export const maxRenderPixels = 40_000_000;

export interface RenderedPage {
  png: Buffer;
  width: number;
  height: number;
  /** The scale used: lower than asked for when the page would exceed maxRenderPixels. */
  scale: number;
}

/** Renders the page on white to a PNG; a cancel stops the rendering. */
export async function renderPage(page: PdfPage, requestedScale: number, signal: AbortSignal): Promise<RenderedPage> {
  const unit = page.getViewport({ scale: 1 });
  const scale = Math.min(requestedScale, Math.sqrt(maxRenderPixels / Math.max(1, unit.width * unit.height)));
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  // loaded on first use: keeps `pipelane mcp` start-up under 1 s
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(width, height);
  const task = page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: canvas.getContext('2d') as unknown as CanvasRenderingContext2D,
    viewport,
    background: 'white',
  });
  try {
    await untilAborted(task.promise, signal);
    const png = await canvas.encode('png');
    return { png, width, height, scale };
  } catch (error) {
    task.cancel();
    throw error;
  } finally {
    // Free the pixel buffer now rather than at the next garbage collection.
    canvas.width = 0;
    canvas.height = 0;
  }
}
