import { performance } from 'node:perf_hooks';
import { modelTtlMs } from './settings.js';
import type { MicroBatcherStats } from './micro-batcher.js';
import type { WorkerPool, WorkerPoolStats } from './worker-pool.js';

/**
 * The process-wide model hub: one shared resource (a worker pool, a micro-batcher) per key, the key
 * made of (kind, model, options). Every run in the process uses the same one. Nodes take a
 * reference in `open()` and give it back in `close()`. A resource that nobody holds and that has had
 * nothing to do for its TTL (`PIPELANE_MODEL_TTL_MS`) is closed and dropped — its workers and
 * weights are freed — and the next `acquire` of its key loads it again.
 */
export interface HubResource {
  close(): Promise<void>;
  /** performance.now() since when it has had nothing to do; undefined while it works. */
  idleSince(): number | undefined;
  /** True once closed by someone else: the hub then makes a new one on the next acquire. */
  readonly closed?: boolean;
  /** Figures for `modelStats()` (worker counts, queue, batches). */
  stats(): object;
}

export interface ModelSpec {
  /** What kind of resource: `tesseract`, `embed.transformers`, `embed.openai`. */
  kind: string;
  /** Which model: `eng+fra`, a model folder, a model id. */
  model: string;
  /** Anything else that makes a different resource (engine, pooling, endpoint); sorted into the key. */
  options?: Record<string, string | number | boolean | undefined>;
}

/** `kind:model` plus `:name=value,...` for the defined options, sorted: the same spec, the same key. */
export function modelKey(spec: ModelSpec): string {
  const options = Object.entries(spec.options ?? {})
    .filter(([, value]) => value !== undefined && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${String(value)}`);
  return `${spec.kind}:${spec.model}${options.length === 0 ? '' : `:${options.join(',')}`}`;
}

export interface ModelReference<R> {
  /** The hub key; safe to show (spans carry it as `model.key`). */
  readonly key: string;
  readonly resource: R;
  /** Gives the reference back; calling it twice is harmless. */
  release(): void;
}

export interface PoolReference<W> {
  readonly key: string;
  readonly pool: WorkerPool<W>;
  /** Gives the reference back; calling it twice is harmless. */
  release(): void;
}

/** A hub entry's figures: its own, then its pool's or batcher's (whichever it is). */
export type ModelStats = HubEntryStats & Partial<WorkerPoolStats> & Partial<MicroBatcherStats>;

export interface HubEntryStats {
  key: string;
  /** Open references (node instances in running pipelines, batchers over a pool). */
  references: number;
  /** Times this key was loaded in this process (1 + reloads after eviction). */
  loads: number;
  /** Times this key was evicted for being unused for its TTL. */
  evictions: number;
  ttlMs: number;
}

export interface AcquireOptions {
  /** Unused this long (no reference, no work) → closed. Default `PIPELANE_MODEL_TTL_MS` (300 s). */
  ttlMs?: number;
  /**
   * The key as the hub stores it, when it must hold more than may be shown (a digest of an API key).
   * Default: `key`.
   */
  identity?: string;
}

interface Entry {
  key: string;
  resource: HubResource;
  references: number;
  ttlMs: number;
  timer: NodeJS.Timeout | undefined;
  /** performance.now() when the last reference was given back. */
  releasedAt: number;
}

const entries = new Map<string, Entry>();
const history = new Map<string, { loads: number; evictions: number }>();

/** The shared resource for `key`, made with `create` the first time (or after it was evicted or closed). */
export function acquireModel<R extends HubResource>(key: string, create: (key: string) => R, options: AcquireOptions = {}): ModelReference<R> {
  const identity = options.identity ?? key;
  let entry = entries.get(identity);
  if (entry === undefined || entry.resource.closed) {
    if (entry !== undefined) clearTimer(entry);
    entry = { key, resource: create(key), references: 0, ttlMs: options.ttlMs ?? modelTtlMs(), timer: undefined, releasedAt: performance.now() };
    entries.set(identity, entry);
    const counts = history.get(identity) ?? { loads: 0, evictions: 0 };
    counts.loads += 1;
    history.set(identity, counts);
  }
  const held = entry;
  clearTimer(held);
  held.references += 1;
  let released = false;
  return {
    key,
    resource: held.resource as R,
    release() {
      if (released) return;
      released = true;
      held.references -= 1;
      if (held.references > 0 || entries.get(identity) !== held) return;
      held.releasedAt = performance.now();
      scheduleEviction(identity, held);
    },
  };
}

/** The shared worker pool for `key`: `acquireModel` for the common case of a pool. */
export function getPool<W>(key: string, factory: (key: string) => WorkerPool<W>, options: AcquireOptions = {}): PoolReference<W> {
  const reference = acquireModel(key, factory, options);
  return { key: reference.key, pool: reference.resource, release: () => reference.release() };
}

/** References, loads, evictions and the resource's own figures, for every loaded model. */
export function modelStats(): ModelStats[] {
  return [...entries].map(([identity, entry]) => {
    const counts = history.get(identity) ?? { loads: 0, evictions: 0 };
    return { ...(entry.resource.stats() as Partial<WorkerPoolStats> & Partial<MicroBatcherStats>), key: entry.key, references: entry.references, loads: counts.loads, evictions: counts.evictions, ttlMs: entry.ttlMs };
  });
}

/** Loads and evictions of a key so far, including after it was evicted (tests, diagnostics). */
export function modelHistory(identity: string): { loads: number; evictions: number } {
  return { ...(history.get(identity) ?? { loads: 0, evictions: 0 }) };
}

/** Closes every resource (the CLI calls it before exit, tests in `after()`). */
export async function shutdownModels(): Promise<void> {
  const resources = [...entries.values()].map((entry) => {
    clearTimer(entry);
    return entry.resource;
  });
  entries.clear();
  await Promise.allSettled(resources.map((resource) => resource.close()));
}

/** Since when `entry` has been unused: no reference and no work; undefined while it works. */
function unusedSince(entry: Entry): number | undefined {
  const idleSince = entry.resource.idleSince();
  return idleSince === undefined ? undefined : Math.max(idleSince, entry.releasedAt);
}

/** Evicts `entry` once nobody holds it and it has been unused for its TTL; checks again until then. */
function scheduleEviction(identity: string, entry: Entry): void {
  clearTimer(entry);
  const since = unusedSince(entry);
  const delay = since === undefined ? entry.ttlMs : Math.max(0, since + entry.ttlMs - performance.now());
  entry.timer = setTimeout(() => {
    entry.timer = undefined;
    if (entries.get(identity) !== entry || entry.references > 0) return;
    const since = unusedSince(entry);
    if (since === undefined || performance.now() - since < entry.ttlMs - 1) {
      scheduleEviction(identity, entry);
      return;
    }
    entries.delete(identity);
    const counts = history.get(identity);
    if (counts !== undefined) counts.evictions += 1;
    void entry.resource.close();
  }, delay);
  entry.timer.unref();
}

function clearTimer(entry: Entry): void {
  if (entry.timer === undefined) return;
  clearTimeout(entry.timer);
  entry.timer = undefined;
}
