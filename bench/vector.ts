/**
 * store.sqlite (sqlite-vec, one file, WAL) against the Chroma server (started here on loopback) and a
 * naive in-memory brute-force loop, measured in the same run on the same 100,000 random
 * 384-dimension vectors: insert time and query latency (top 10), median and p95, and the ratios.
 *
 *   npx tsx bench/vector.ts [--count 100000] [--dim 384] [--queries 50]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteVectorStore } from '../nodes/store/sqlite/sqlite-vector-store.js';
import type { EmbeddedDocument, VectorStoreClient } from '../nodes/store/shared/index.js';
import { ChromaVectorStore } from '../nodes/store/chroma/chroma-store.js';
import { startChromaServer } from '../src/models/chroma-server.js';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const count = argument('count', 100_000);
const dimension = argument('dim', 384);
const queries = argument('queries', 50);
const topK = 10;
const batchSize = 1000;

// A seeded generator, so both sides see the same vectors and runs are comparable.
let seed = 42;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
function unitVector(): Float32Array {
  const vector = new Float32Array(dimension);
  let norm = 0;
  for (let index = 0; index < dimension; index++) norm += (vector[index] = random()) ** 2;
  norm = Math.sqrt(norm);
  for (let index = 0; index < dimension; index++) vector[index]! /= norm;
  return vector;
}

const vectors = new Float32Array(count * dimension);
for (let row = 0; row < count; row++) vectors.set(unitVector(), row * dimension);
const queryVectors = Array.from({ length: queries }, unitVector);

/** The peer: every vector in one Float32Array; a query is a dot product with each, keeping the best k. */
class BruteForce {
  private data = new Float32Array(0);
  private rows = 0;
  insert(batch: Float32Array): void {
    if (this.data.length < (this.rows * dimension + batch.length)) {
      const grown = new Float32Array(Math.max(this.data.length * 2, this.rows * dimension + batch.length));
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(batch, this.rows * dimension);
    this.rows += batch.length / dimension;
  }
  query(query: Float32Array, k: number): Array<{ row: number; score: number }> {
    const data = this.data;
    const best: Array<{ row: number; score: number }> = [];
    let worst = -Infinity;
    for (let row = 0; row < this.rows; row++) {
      let dot = 0;
      const offset = row * dimension;
      for (let index = 0; index < dimension; index++) dot += data[offset + index]! * query[index]!;
      if (best.length < k || dot > worst) {
        let at = best.length;
        while (at > 0 && best[at - 1]!.score < dot) at--;
        best.splice(at, 0, { row, score: dot });
        if (best.length > k) best.pop();
        worst = best[best.length - 1]!.score;
      }
    }
    return best;
  }
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

interface Measured {
  insertMs: number;
  latencies: number[];
  top: string[];
}

/** Inserts every vector in batches through a store client, then times each query. */
async function measureStore(store: VectorStoreClient, collection: string, signal: AbortSignal): Promise<Measured> {
  let started = performance.now();
  for (let start = 0; start < count; start += batchSize) {
    const batch: EmbeddedDocument[] = [];
    for (let row = start; row < Math.min(count, start + batchSize); row++) {
      batch.push({ id: `v${row}`, text: `vector ${row}`, metadata: { row }, embedding: Array.from(vectors.subarray(row * dimension, (row + 1) * dimension)) });
    }
    await store.upsert(collection, batch, signal);
  }
  const insertMs = performance.now() - started;
  const latencies: number[] = [];
  const top: string[] = [];
  for (const query of queryVectors) {
    started = performance.now();
    const hits = await store.query(collection, Array.from(query), { topK });
    latencies.push(performance.now() - started);
    top.push(hits[0]!.id);
  }
  await store.close();
  return { insertMs, latencies, top };
}

function measureBruteForce(): Measured {
  const peer = new BruteForce();
  let started = performance.now();
  for (let start = 0; start < count; start += batchSize) peer.insert(vectors.slice(start * dimension, Math.min(count, start + batchSize) * dimension));
  const insertMs = performance.now() - started;
  const latencies: number[] = [];
  const top: string[] = [];
  for (const query of queryVectors) {
    started = performance.now();
    const hits = peer.query(query, topK);
    latencies.push(performance.now() - started);
    top.push(`v${hits[0]!.row}`);
  }
  return { insertMs, latencies, top };
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'pipelane-bench-vector-'));
  const signal = new AbortController().signal;
  const chroma = await startChromaServer({ path: join(folder, 'chroma') });
  try {
    console.log(`${count.toLocaleString('en')} random unit vectors, ${dimension} dimensions; ${queries} queries, top ${topK}; node ${process.version}`);
    const sqlite = await measureStore(new SqliteVectorStore(join(folder, 'vectors.db')), 'bench', signal);
    const chromaResult = await measureStore(new ChromaVectorStore({ url: chroma.url }), 'bench', signal);
    const brute = measureBruteForce();
    const row = (name: string, result: Measured) => [name, ms(result.insertMs), ms((result.insertMs / count) * 1000), ms(percentile(result.latencies, 50)), ms(percentile(result.latencies, 95))];
    const ratio = (name: string, ours: Measured, peer: Measured) => [
      name,
      `${(ours.insertMs / peer.insertMs).toFixed(2)}×`,
      '',
      `${(percentile(ours.latencies, 50) / percentile(peer.latencies, 50)).toFixed(2)}×`,
      `${(percentile(ours.latencies, 95) / percentile(peer.latencies, 95)).toFixed(2)}×`,
    ];
    const rows = [
      ['', 'insert total', 'insert per 1k', 'query p50', 'query p95'],
      row('store.sqlite (sqlite-vec, file)', sqlite),
      row('store.chroma (Chroma server)', chromaResult),
      row('brute force (in-memory loop)', brute),
      ratio('ratio sqlite / chroma', sqlite, chromaResult),
      ratio('ratio sqlite / brute force', sqlite, brute),
    ];
    for (const line of rows) console.log(line.map((cell, index) => (index === 0 ? cell.padEnd(34) : cell.padStart(14))).join(''));
    const agree = (result: Measured) => result.top.filter((id, index) => id === brute.top[index]).length;
    console.log(`same top-1 hit as exact search: sqlite ${agree(sqlite)}/${queries}, chroma ${agree(chromaResult)}/${queries} (Chroma's HNSW is approximate)`);
    console.log(`store file ${(statSync(join(folder, 'vectors.db')).size / 2 ** 20).toFixed(0)} MB`);
  } finally {
    await chroma.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
