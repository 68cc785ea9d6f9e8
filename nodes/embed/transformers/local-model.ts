import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PipelaneError, isAbortError, isPipelaneError } from '../../../src/node-kit/index.js';
import {
  MicroBatcher,
  WorkerPool,
  acquireModel,
  getPool,
  hubSettings,
  modelKey,
  type BatchedResult,
  type ModelReference,
  type PoolReference,
} from '../../../src/models/index.js';
import { dimensionMismatch } from '../shared/embed-items.js';

export type Pooling = 'mean' | 'cls';
export type OnnxPrecision = 'fp32' | 'q8';

/** The part of a transformers.js feature-extraction pipeline this module calls. */
interface FeatureExtractor {
  (texts: string[], options: { pooling: Pooling; normalize: boolean }): Promise<{ tolist(): unknown; dispose?(): void }>;
  model?: { config?: { hidden_size?: unknown } };
  dispose?(): Promise<void> | void;
}

/** A loaded model: pooled, one per (folder or id, precision) in the process. */
export interface EmbeddingModel {
  embed(texts: string[], options: { pooling: Pooling; normalize: boolean }): Promise<number[][]>;
  /** hidden_size from the model's config. */
  readonly dim: number;
  dispose(): Promise<void>;
}

export interface ModelSettings {
  modelPath?: string | undefined;
  modelsDir?: string | undefined;
  model?: string | undefined;
  allowRemote: boolean;
  dtype?: OnnxPrecision | undefined;
  dimensions?: number | undefined;
}

/** Where the model is: a checked local folder, or (allowRemote only) a hub id to download. */
export type ModelLocation =
  | { kind: 'local'; folder: string; dtype: OnnxPrecision; dim: number }
  | { kind: 'remote'; id: string; cacheDir: string | undefined; dtype: OnnxPrecision | undefined };

const hint =
  'Point modelPath (or modelsDir + model) at a local feature-extraction model exported for transformers.js ' +
  '(config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx or onnx/model_quantized.onnx); remote downloads are off unless allowRemote: true.';

function unavailable(message: string, path: string, cause?: unknown): PipelaneError {
  return new PipelaneError('EMBED_MODEL_UNAVAILABLE', message, { hint, path, ...(cause === undefined ? {} : { cause }) });
}

/** The name lane attributes and spans use: the model id, else the folder's name. */
export function modelName(settings: Pick<ModelSettings, 'model' | 'modelPath'>): string {
  return settings.model ?? basename(resolve(settings.modelPath ?? '.'));
}

/**
 * Finds and checks the model before anything is loaded, so a wrong path fails the run at start with
 * the reason (missing folder, no config.json or hidden_size, no tokenizer or ONNX file) and the
 * folder it looked in. A folder that is absent is only looked up on the hub with `allowRemote`.
 */
export function locateModel(settings: ModelSettings): ModelLocation {
  const configured = settings.modelPath ?? join(settings.modelsDir ?? '.', settings.model ?? '');
  const path = settings.modelPath !== undefined ? '/config/modelPath' : '/config/model';
  const folder = resolve(configured);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    if (settings.allowRemote && settings.model !== undefined && settings.modelPath === undefined) {
      return { kind: 'remote', id: settings.model, cacheDir: settings.modelsDir === undefined ? undefined : resolve(settings.modelsDir), dtype: settings.dtype };
    }
    throw unavailable(
      `Embedding model folder "${configured}" (${folder}) does not exist` +
        (settings.allowRemote ? '.' : '; remote loading is off (allowRemote: false), so nothing is downloaded.'),
      path,
    );
  }
  let modelConfig: { hidden_size?: unknown };
  try {
    modelConfig = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as typeof modelConfig;
  } catch (error) {
    throw unavailable(`Embedding model folder "${configured}" has no readable config.json.`, path, error);
  }
  const dim = modelConfig.hidden_size;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) {
    throw unavailable(`Embedding model folder "${configured}": config.json states no hidden_size, so the embedding dimension is unknown.`, path);
  }
  if (settings.dimensions !== undefined && settings.dimensions !== dim) {
    throw dimensionMismatch(modelName(settings), settings.dimensions, dim, `hidden_size in ${join(configured, 'config.json')}`);
  }
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    if (!existsSync(join(folder, file))) throw unavailable(`Embedding model folder "${configured}" has no ${file}.`, path);
  }
  const files: Record<OnnxPrecision, string> = { fp32: 'model.onnx', q8: 'model_quantized.onnx' };
  const wanted: OnnxPrecision[] = settings.dtype === undefined ? ['fp32', 'q8'] : [settings.dtype];
  const dtype = wanted.find((precision) => existsSync(join(folder, 'onnx', files[precision])));
  if (dtype === undefined) {
    throw unavailable(`Embedding model folder "${configured}" has no ${wanted.map((precision) => `onnx/${files[precision]}`).join(' or ')}.`, path);
  }
  return { kind: 'local', folder, dtype, dim };
}

/** Loads the model; transformers.js is imported only here, when a node opens. */
async function loadModel(location: ModelLocation): Promise<EmbeddingModel> {
  const transformers = await import('@huggingface/transformers');
  const where = location.kind === 'local' ? location.folder : location.id;
  let extractor: FeatureExtractor;
  try {
    if (location.kind === 'local') {
      // An absolute folder is read as it is; `local_files_only` keeps this load off the network
      // whatever env.allowRemoteModels (process-wide, shared with other nodes) says.
      extractor = (await transformers.pipeline('feature-extraction', location.folder, { local_files_only: true, dtype: location.dtype })) as unknown as FeatureExtractor;
    } else {
      // The real remote path (allowRemote: true): downloads into modelsDir, or the library's cache.
      const previous = transformers.env.allowRemoteModels;
      transformers.env.allowRemoteModels = true;
      try {
        extractor = (await transformers.pipeline('feature-extraction', location.id, {
          local_files_only: false,
          ...(location.cacheDir === undefined ? {} : { cache_dir: location.cacheDir }),
          ...(location.dtype === undefined ? {} : { dtype: location.dtype }),
        })) as unknown as FeatureExtractor;
      } finally {
        transformers.env.allowRemoteModels = previous;
      }
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw unavailable(`Embedding model "${where}" could not be loaded: ${reason}`, location.kind === 'local' ? '/config/modelPath' : '/config/model', error);
  }
  const hiddenSize = extractor.model?.config?.hidden_size;
  const dim = location.kind === 'local' ? location.dim : typeof hiddenSize === 'number' ? hiddenSize : 0;
  return {
    dim,
    async embed(texts, options) {
      const output = await extractor(texts, options);
      try {
        return output.tolist() as number[][];
      } finally {
        output.dispose?.();
      }
    },
    async dispose() {
      await extractor.dispose?.();
    },
  };
}

/** The hub key of a model: one load per (folder or id, precision) in the process. */
function modelKeyOf(location: ModelLocation): string {
  return location.kind === 'local'
    ? modelKey({ kind: 'embed.transformers', model: location.folder, options: { dtype: location.dtype } })
    : modelKey({ kind: 'embed.transformers', model: location.id, options: { remote: true, cache: location.cacheDir, dtype: location.dtype } });
}

/**
 * The shared loaded model (a pool of one: onnxruntime already uses every core for one batch). It is
 * disposed once unused for the model TTL (PIPELANE_MODEL_TTL_MS) and loaded again on the next call.
 */
export function openEmbeddingModel(location: ModelLocation, options: { ttlMs?: number } = {}): PoolReference<EmbeddingModel> {
  const ttlMs = options.ttlMs ?? hubSettings().modelTtlMs;
  return getPool(
    modelKeyOf(location),
    (key) =>
      new WorkerPool<EmbeddingModel>({
        name: key,
        max: 1,
        idleTimeoutMs: ttlMs,
        create: () => loadModel(location),
        terminate: (model) => model.dispose(),
      }),
    { ttlMs },
  );
}

export interface CallOptions {
  pooling: Pooling;
  normalize: boolean;
  /** Texts per model call, from every run together. */
  batchSize: number;
}

/** Errors that are the same for every caller of a batch: not worth a call per caller. */
function concernsEveryone(error: unknown): boolean {
  return isAbortError(error) || (isPipelaneError(error) && ['EMBED_MODEL_UNAVAILABLE', 'MODEL_POOL_CLOSED', 'MODEL_LOAD_TIMEOUT'].includes(error.code));
}

/**
 * The shared micro-batcher in front of the model, one per (model, pooling, normalize, batch size):
 * texts from every concurrent run are embedded together, `batchSize` at most per call, each caller
 * getting its own vectors back. It holds a reference to the model while it exists.
 */
export function openEmbeddingBatcher(location: ModelLocation, call: CallOptions, options: { ttlMs?: number } = {}): ModelReference<MicroBatcher<string, number[]>> {
  const settings = hubSettings();
  const ttlMs = options.ttlMs ?? settings.modelTtlMs;
  const model = modelKeyOf(location);
  const key = modelKey({ kind: 'batch.embed.transformers', model, options: { pooling: call.pooling, normalize: call.normalize, maxBatch: call.batchSize } });
  return acquireModel(
    key,
    () => {
      const pool = openEmbeddingModel(location, { ttlMs });
      return new MicroBatcher<string, number[]>({
        name: key,
        maxBatch: call.batchSize,
        maxWaitMs: settings.embedMaxWaitMs,
        run: (texts, signal) => pool.pool.use((loaded) => loaded.embed(texts, { pooling: call.pooling, normalize: call.normalize }), signal),
        isolate: (error) => !concernsEveryone(error),
        workers: () => pool.pool.stats().workers,
        onClose: () => pool.release(),
      });
    },
    { ttlMs },
  );
}

/** Embeds `texts` through the shared batcher; a failure that is not ours becomes EMBED_MODEL_FAILED (retryable). */
export async function embedThroughHub(
  batcher: MicroBatcher<string, number[]>,
  texts: string[],
  signal: AbortSignal,
): Promise<BatchedResult<number[]>> {
  try {
    return await batcher.submit(texts, signal);
  } catch (error) {
    if (signal.aborted || isAbortError(error) || isPipelaneError(error)) throw error;
    throw new PipelaneError('EMBED_MODEL_FAILED', `The embedding model failed: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'The model was reloaded; retry the item. If it fails again, check that the model is a feature-extraction export.',
      retryable: true,
      cause: error,
    });
  }
}
