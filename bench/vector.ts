/**
 * store.sqlite (sqlite-vec, one file, WAL) against a naive in-memory brute-force loop, measured in
 * the same run on the same 100,000 random 384-dimension vectors: insert time and query latency (top 10).
 *
 *   npx tsx bench/vector.ts [--count 100000] [--dim 384] [--queries 50]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteVectorStore } from '../nodes/store/sqlite/sqlite-vector-store.js';
import type { EmbeddedDocument } from '../nodes/store/shared/index.js';

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

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'pipelane-bench-vector-'));
  const signal = new AbortController().signal;
  try {
    console.log(`${count.toLocaleString('en')} random unit vectors, ${dimension} dimensions; ${queries} queries, top ${topK}; node ${process.version}`);

    const store = new SqliteVectorStore(join(folder, 'vectors.db'));
    let started = performance.now();
    for (let start = 0; start < count; start += batchSize) {
      const batch: EmbeddedDocument[] = [];
      for (let row = start; row < Math.min(count, start + batchSize); row++) {
        batch.push({ id: `v${row}`, text: `vector ${row}`, metadata: { row }, embedding: Array.from(vectors.subarray(row * dimension, (row + 1) * dimension)) });
      }
      await store.upsert('bench', batch, signal);
    }
    const sqliteInsert = performance.now() - started;
    const sqliteLatencies: number[] = [];
    const sqliteTop: string[] = [];
    for (const query of queryVectors) {
      started = performance.now();
      const hits = await store.query('bench', Array.from(query), { topK });
      sqliteLatencies.push(performance.now() - started);
      sqliteTop.push(hits[0]!.id);
    }
    await store.close();
    const fileMb = statSync(join(folder, 'vectors.db')).size / 2 ** 20;

    const peer = new BruteForce();
    started = performance.now();
    for (let start = 0; start < count; start += batchSize) peer.insert(vectors.slice(start * dimension, Math.min(count, start + batchSize) * dimension));
    const peerInsert = performance.now() - started;
    const peerLatencies: number[] = [];
    const peerTop: string[] = [];
    for (const query of queryVectors) {
      started = performance.now();
      const hits = peer.query(query, topK);
      peerLatencies.push(performance.now() - started);
      peerTop.push(`v${hits[0]!.row}`);
    }

    const agree = sqliteTop.filter((id, index) => id === peerTop[index]).length;
    const rows = [
      ['', 'insert total', 'insert per 1k', 'query p50', 'query p95'],
      ['store.sqlite (sqlite-vec, file)', ms(sqliteInsert), ms((sqliteInsert / count) * 1000), ms(percentile(sqliteLatencies, 50)), ms(percentile(sqliteLatencies, 95))],
      ['brute force (in-memory loop)', ms(peerInsert), ms((peerInsert / count) * 1000), ms(percentile(peerLatencies, 50)), ms(percentile(peerLatencies, 95))],
      [
        'ratio sqlite / brute force',
        `${(sqliteInsert / peerInsert).toFixed(1)}×`,
        '',
        `${(percentile(sqliteLatencies, 50) / percentile(peerLatencies, 50)).toFixed(2)}×`,
        `${(percentile(sqliteLatencies, 95) / percentile(peerLatencies, 95)).toFixed(2)}×`,
      ],
    ];
    for (const row of rows) console.log(row.map((cell, index) => (index === 0 ? cell.padEnd(34) : cell.padStart(14))).join(''));
    console.log(`store file ${fileMb.toFixed(0)} MB (durable, shared by runs); same top-1 hit on ${agree}/${queries} queries`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
