export { WorkerPool, type WorkerPoolOptions, type WorkerPoolStats, type WorkerLease } from './worker-pool.js';
export { getPool, modelStats, shutdownModels, type PoolReference, type ModelStats } from './hub.js';
export {
  tesseractPool,
  orientationPool,
  resolveLanguageData,
  languageDirectory,
  type OcrWorker,
  type OcrResult,
  type OcrWord,
  type PageSegmentationMode,
  type TesseractPoolOptions,
  type OrientationPoolOptions,
  type OrientationWorker,
  type PageOrientation,
} from './tesseract.js';
