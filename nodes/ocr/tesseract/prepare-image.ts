import { PipelaneError, type ImageItem } from '../../../src/node-kit/index.js';

export interface PreparedPage {
  /** A plain 8-bit PNG, upright, on a white background: what tesseract reads reliably. */
  png: Buffer;
  /** 1-based page number: from the item's provenance, or the page of a multi-page TIFF. */
  page?: number;
}

/** Pages beyond this in one multi-page image are not read (a warning says so). */
export const maxPagesPerImage = 200;

/**
 * Decodes the image with sharp before any OCR worker is involved, so a broken input costs a typed
 * error and never a worker: a non-image mime, truncated data, PDF or text bytes all end here.
 */
export async function preparePages(item: ImageItem, source: string): Promise<{ pages: PreparedPage[]; skippedPages: number }> {
  // Loaded on first use, so listing or validating pipelines (MCP start-up) never pays for libvips.
  const { default: sharp } = await import('sharp');
  if (!item.mime.startsWith('image/')) {
    throw unreadable(source, item.mime, `its mime type is ${item.mime}, not an image`, hintFor(item.mime));
  }
  let pageCount: number;
  try {
    const metadata = await sharp(item.bytes, { failOn: 'error' }).metadata();
    // Only a TIFF's pages are pages; a GIF's or WebP's are animation frames (the first is read).
    const isDocument = item.mime === 'image/tiff' && item.meta.page === undefined;
    pageCount = isDocument ? Math.max(1, metadata.pages ?? 1) : 1;
  } catch (error) {
    throw unreadable(source, item.mime, reasonOf(error), hintFor(item.mime, error), error);
  }
  const readCount = Math.min(pageCount, maxPagesPerImage);
  const pages: PreparedPage[] = [];
  for (let index = 0; index < readCount; index += 1) {
    try {
      const png = await sharp(item.bytes, { failOn: 'error', page: index })
        .rotate() // honour EXIF orientation (phone photos)
        .flatten({ background: '#ffffff' }) // transparent PNGs: text on white, not on black
        .png()
        .toBuffer();
      const page = item.meta.page ?? (pageCount > 1 ? index + 1 : undefined);
      pages.push(page === undefined ? { png } : { png, page });
    } catch (error) {
      throw unreadable(source, item.mime, reasonOf(error), hintFor(item.mime, error), error);
    }
  }
  return { pages, skippedPages: pageCount - readCount };
}

function unreadable(source: string, mime: string, reason: string, hint: string, cause?: unknown): PipelaneError {
  return new PipelaneError('OCR_IMAGE_UNREADABLE', `Cannot read image "${source}" (${mime}) for OCR: ${reason}.`, {
    hint,
    ...(cause === undefined ? {} : { cause }),
  });
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message)) return 'the bytes are not an image format sharp can decode';
  if (/end of stream|truncated|premature end|read error at scanline/i.test(message)) return `the image data is truncated (${message.trim()})`;
  if (/pixel limit/i.test(message)) return `the image is larger than the pixel limit (${message.trim()}); downscale it or split it into pages`;
  return message.trim();
}

function hintFor(mime: string, error?: unknown): string {
  if (/pixel limit/i.test(error instanceof Error ? error.message : String(error ?? ''))) {
    return 'Downscale the image (300 dpi is plenty for OCR) or split it into pages, then run again.';
  }
  if (mime === 'application/pdf') return 'OCR reads images: put parse.pdf (it renders scanned pages as images) before OCR, or give a png, jpeg or tiff.';
  if (mime.startsWith('text/')) return 'This is already text: connect it to a node that reads the text lane instead of OCR.';
  return 'Give a complete png, jpeg, tiff, gif or webp file (re-export or re-scan it if it is damaged).';
}
