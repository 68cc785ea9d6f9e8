import type { PageSegmentationMode } from '../../../src/models/index.js';

/** Config names for tesseract's page segmentation modes (`tessedit_pageseg_mode`). */
export const pageSegmentationModes = {
  auto: '3', // automatic layout analysis: columns, blocks (multi-column pages need it)
  'single-block': '6', // one uniform block of text (tesseract.js's own default)
  'single-column': '4', // one column of text of variable sizes
  sparse: '11', // as much text as possible, in no particular order (forms, receipts)
  'auto-osd': '1', // automatic layout plus orientation and script detection (needs osd data)
} as const satisfies Record<string, PageSegmentationMode>;

export type PageSegmentation = keyof typeof pageSegmentationModes;

export const pageSegmentationNames = Object.keys(pageSegmentationModes) as [PageSegmentation, ...PageSegmentation[]];
