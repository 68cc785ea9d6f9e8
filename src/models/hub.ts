import type { WorkerPool, WorkerPoolStats } from './worker-pool.js';

/**
 * The process-wide model hub: one pool per key (kind + model + options), shared by every run.
 * Nodes take a reference in `open()` and give it back in `close()`; a pool nobody holds and that has
 * no live worker left (its idle timeout ran out) is dropped. `shutdownModels()` ends everything.
 */
export interface PoolReference<W> {
  readonly key: string;
  readonly pool: WorkerPool<W>;
  /** Gives the reference back; calling it twice is harmless. */
  release(): void;
}

export interface ModelStats extends WorkerPoolStats {
  key: string;
  /** Open references (node instances in running pipelines) to this pool. */
  references: number;
}

interface Entry {
  pool: WorkerPool<unknown>;
  references: number;
}

const entries = new Map<string, Entry>();

/** The shared pool for `key`, made with `factory` the first time (or after it was dropped). */
export function getPool<W>(key: string, factory: (key: string) => WorkerPool<W>): PoolReference<W> {
  sweep();
  let entry = entries.get(key);
  if (entry === undefined || entry.pool.closed) {
    entry = { pool: factory(key) as WorkerPool<unknown>, references: 0 };
    entries.set(key, entry);
  }
  const held = entry;
  held.references += 1;
  let released = false;
  return {
    key,
    pool: held.pool as WorkerPool<W>,
    release() {
      if (released) return;
      released = true;
      held.references -= 1;
      sweep();
    },
  };
}

/** Worker count, queue length and references of every pool, for spans and `pipelane` diagnostics. */
export function modelStats(): ModelStats[] {
  sweep();
  return [...entries].map(([key, entry]) => ({ key, references: entry.references, ...entry.pool.stats() }));
}

/** Terminates every worker of every pool (the CLI calls it before exit, tests in `after()`). */
export async function shutdownModels(): Promise<void> {
  const pools = [...entries.values()].map((entry) => entry.pool);
  entries.clear();
  await Promise.allSettled(pools.map((pool) => pool.close()));
}

/** Drops pools that nobody holds and that hold no worker: nothing is lost, the next user makes a new one. */
function sweep(): void {
  for (const [key, entry] of entries) {
    const stats = entry.pool.stats();
    if (entry.pool.closed || (entry.references <= 0 && stats.workers === 0 && stats.creating === 0 && stats.queued === 0)) {
      entries.delete(key);
      void entry.pool.close();
    }
  }
}
