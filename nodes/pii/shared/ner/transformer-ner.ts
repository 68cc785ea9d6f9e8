import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PipelaneError, isAbortError, isPipelaneError } from '../../../../src/node-kit/index.js';
import { WorkerPool, getPool, type PoolReference } from '../../../../src/models/index.js';
import type { RecognizerMatch } from '../recognizers/types.js';
import { tokensToMatches, type ClassifiedToken } from './token-entities.js';

/** The part of a transformers.js token-classification pipeline this module calls. */
export interface TokenClassifier {
  (text: string, options: { ignore_labels: string[] }): Promise<ClassifiedToken[]>;
  dispose?(): Promise<void> | void;
}

/** Characters per model call: well under 512 word pieces for most scripts. */
const windowCharacters = 1000;

const hint =
  'Point nerModelPath at a local token-classification model exported for transformers.js ' +
  '(config.json with id2label, tokenizer.json, tokenizer_config.json, onnx/model.onnx or onnx/model_quantized.onnx); remote downloads are off.';

function unavailable(message: string, cause?: unknown): PipelaneError {
  return new PipelaneError('PII_MODEL_UNAVAILABLE', message, { hint, path: '/config/nerModelPath', ...(cause === undefined ? {} : { cause }) });
}

/**
 * Checks the folder before anything is loaded, so a wrong path fails the run at start with the
 * reason: missing folder, no config.json, not a token-classification model, no tokenizer files or ONNX file.
 * Returns the absolute folder and the ONNX precision to load.
 */
export function checkModelFolder(path: string): { folder: string; dtype: 'fp32' | 'q8' } {
  const folder = resolve(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw unavailable(`NER model folder "${path}" does not exist.`);
  const configPath = join(folder, 'config.json');
  let config: { architectures?: unknown; id2label?: unknown };
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as typeof config;
  } catch (error) {
    throw unavailable(`NER model folder "${path}" has no readable config.json.`, error);
  }
  const architectures = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  const labels = config.id2label && typeof config.id2label === 'object' ? Object.values(config.id2label).map(String) : [];
  const classifiesTokens = architectures.some((name) => name.endsWith('ForTokenClassification'));
  if (!classifiesTokens || labels.length === 0) {
    throw unavailable(
      `NER model folder "${path}" is not a token-classification model ` +
        `(config.json architectures: ${architectures.join(', ') || 'none'}; labels: ${labels.slice(0, 6).join(', ') || 'none'}).`,
    );
  }
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    if (!existsSync(join(folder, file))) throw unavailable(`NER model folder "${path}" has no ${file}.`);
  }
  if (existsSync(join(folder, 'onnx', 'model.onnx'))) return { folder, dtype: 'fp32' };
  if (existsSync(join(folder, 'onnx', 'model_quantized.onnx'))) return { folder, dtype: 'q8' };
  throw unavailable(`NER model folder "${path}" has no onnx/model.onnx or onnx/model_quantized.onnx.`);
}

/** Loads the model with remote loading disabled; transformers.js is imported only when a model is configured. */
async function loadClassifier(folder: string, dtype: 'fp32' | 'q8'): Promise<TokenClassifier> {
  const transformers = await import('@huggingface/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  // `folder` is absolute, which transformers.js reads as a path as it is: env.localModelPath (shared
  // by every user of the library in this process) only prefixes hub-style ids, so it is left alone
  try {
    const classifier = await transformers.pipeline('token-classification', folder, { local_files_only: true, dtype });
    return classifier as unknown as TokenClassifier;
  } catch (error) {
    throw unavailable(`NER model in "${folder}" could not be loaded: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/** One shared model per folder (the process-wide model hub), taken in `open()` and given back in `close()`. */
export function openNerModel(path: string): PoolReference<TokenClassifier> {
  const { folder, dtype } = checkModelFolder(path);
  return getPool(`pii.ner:${folder}:${dtype}`, () =>
    new WorkerPool<TokenClassifier>({
      name: `pii-ner:${basename(folder)}`,
      max: 1,
      create: () => loadClassifier(folder, dtype),
      terminate: (classifier) => classifier.dispose?.(),
    }),
  );
}

/** Windows of at most `windowCharacters`, cut after a line break, sentence end or space when possible. */
export function textWindows(text: string, size = windowCharacters): Array<{ start: number; text: string }> {
  const windows: Array<{ start: number; text: string }> = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const slice = text.slice(start, end);
      const cut = Math.max(slice.lastIndexOf('\n'), slice.lastIndexOf('. '), slice.lastIndexOf(' '));
      if (cut > size / 2) end = start + cut + 1;
      else if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end--; // never split a surrogate pair
    }
    windows.push({ start, text: text.slice(start, end) });
    start = end;
  }
  return windows;
}

/** PERSON / LOCATION / ORGANIZATION / NRP (and DATE_TIME for models that label dates) from the model. */
export async function findWithModel(reference: PoolReference<TokenClassifier>, text: string, signal: AbortSignal): Promise<RecognizerMatch[]> {
  const found: RecognizerMatch[] = [];
  try {
    for (const window of textWindows(text)) {
      if (window.text.trim() === '') continue;
      const tokens = await reference.pool.use((classifier) => classifier(window.text, { ignore_labels: [] }), signal);
      for (const match of tokensToMatches(window.text, tokens)) {
        found.push({ ...match, start: match.start + window.start, end: match.end + window.start });
      }
    }
  } catch (error) {
    if (signal.aborted || isAbortError(error) || isPipelaneError(error)) throw error;
    throw new PipelaneError('PII_MODEL_FAILED', `The NER model failed: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'The model worker was replaced; retry the item. If it fails again, check that the model is a token-classification export.',
      retryable: true,
      cause: error,
    });
  }
  return found;
}
