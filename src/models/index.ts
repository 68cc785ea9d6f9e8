export { WorkerPool, type WorkerPoolOptions, type WorkerPoolStats, type WorkerLease } from './worker-pool.js';
export { getPool, modelStats, shutdownModels, type PoolReference, type ModelStats } from './hub.js';
export {
  tesseractPool,
  resolveLanguageData,
  languageDirectory,
  type OcrWorker,
  type OcrResult,
  type OcrWord,
  type PageSegmentationMode,
  type TesseractPoolOptions,
} from './tesseract.js';
