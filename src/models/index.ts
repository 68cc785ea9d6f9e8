export { WorkerPool, type WorkerPoolOptions, type WorkerPoolStats, type WorkerLease } from './worker-pool.js';
export { MicroBatcher, type MicroBatcherOptions, type MicroBatcherStats, type BatchedResult } from './micro-batcher.js';
export {
  acquireModel,
  getPool,
  modelKey,
  modelStats,
  modelHistory,
  shutdownModels,
  type AcquireOptions,
  type HubResource,
  type ModelReference,
  type ModelSpec,
  type PoolReference,
  type ModelStats,
} from './hub.js';
export { hubSettings, type HubSettings } from './settings.js';
export {
  tesseractPool,
  orientationPool,
  tesseractThreadOf,
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
