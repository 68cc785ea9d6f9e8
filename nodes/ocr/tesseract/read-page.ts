import type { OcrResult, OcrWorker, OrientationWorker, PageOrientation, PageSegmentationMode, PoolReference } from '../../../src/models/index.js';

/**
 * Orientation is checked only for a page whose first reading is poor. An upright page reads at
 * 85–95 and pays nothing (no OSD worker is even made); a page turned 90° left or upside down reads
 * at about 40 (garbage), so it costs one wasted reading plus a detection. Detecting on every page
 * instead would add to every upright page 0.25–1 s (35–65% on a letter-sized scan like phototest or
 * eurotext, about 15% on a dense magazine page), and an OSD worker (~100 MB) per core.
 */
export const orientationCheckBelowConfidence = 70;

/**
 * OSD's confidence below which its answer is ignored. On a few lines of text a right answer scores
 * about 3 and a guess about 1.5 (tesseract's own psm 1 cut-off, 7, rejects short pages). A wrong
 * turn costs little: the turned reading is kept only if it is more confident than the first.
 */
export const minOrientationConfidence = 2;

export interface PageReading {
  result: OcrResult;
  /** Clockwise degrees the page was turned before the reading kept (0: as given). */
  rotation: number;
  /** What OSD said, when the page was checked. */
  orientation?: PageOrientation;
  queueWaitMs: number;
  /** Readings run again because their OCR worker crashed (the pool replaced it). */
  retries: number;
}

export interface ReadPageOptions {
  ocr: PoolReference<OcrWorker>;
  /** Absent: no orientation check (autoRotate off). */
  osd?: PoolReference<OrientationWorker>;
  mode: PageSegmentationMode;
  signal: AbortSignal;
}

/** Reads one page; if it reads poorly, asks OSD which way is up and reads it again turned upright. */
export async function readPage(png: Buffer, { ocr, osd, mode, signal }: ReadPageOptions): Promise<PageReading> {
  let queueWaitMs = 0;
  let retries = 0;
  const recognize = (image: Buffer) =>
    ocr.pool.use((worker, lease) => {
      queueWaitMs += lease.queueWaitMs;
      if (lease.attempt > 1) retries += 1;
      return worker.recognize(image, mode);
    }, signal);

  const first = await recognize(png);
  if (osd === undefined || first.confidence >= orientationCheckBelowConfidence) return { result: first, rotation: 0, queueWaitMs, retries };

  const orientation = await osd.pool.use((worker, lease) => {
    queueWaitMs += lease.queueWaitMs;
    return worker.detectOrientation(png);
  }, signal);
  const checked = orientation === undefined ? {} : { orientation };
  if (orientation === undefined || orientation.degrees === 0 || orientation.confidence < minOrientationConfidence) {
    return { result: first, rotation: 0, ...checked, queueWaitMs, retries };
  }
  const { default: sharp } = await import('sharp');
  const turned = await sharp(png).rotate(orientation.degrees).png().toBuffer();
  const second = await recognize(turned);
  if (second.confidence <= first.confidence) return { result: first, rotation: 0, ...checked, queueWaitMs, retries };
  return { result: second, rotation: orientation.degrees, ...checked, queueWaitMs, retries };
}
