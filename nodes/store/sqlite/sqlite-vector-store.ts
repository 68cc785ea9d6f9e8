import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { PipelaneError, type Document } from '../../../src/node-kit/index.js';
import type { EmbeddedDocument, ScoredDocument, VectorQueryOptions, VectorStoreClient } from '../shared/index.js';

type Row = { rowid: number | bigint; id: string; text: string; metadata: string; embedding: Buffer; distance: number };

/**
 * sqlite-vec in one SQLite file (WAL). A collection is two tables: `<name>_documents` (id, text,
 * metadata JSON; integer rowid) and the vec0 virtual table `<name>_vectors` keyed by the same rowid
 * (bound as BigInt, as sqlite-vec requires), with cosine distance. `collections` records dimensions.
 */
export class SqliteVectorStore implements VectorStoreClient {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('busy_timeout = 5000');
      if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
      sqliteVec.load(this.db);
      this.db.exec('CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, dimension INTEGER NOT NULL, created_at TEXT NOT NULL)');
    } catch (error) {
      throw new PipelaneError('STORE_OPEN_FAILED', `Cannot open the vector store ${path}: ${(error as Error).message}.`, {
        hint: 'Check that the directory is writable and the file is a SQLite database, or set `path` (or PIPELANE_HOME) to another place.',
        path: '/config/path',
        cause: error,
      });
    }
  }

  async dimension(collection: string): Promise<number | undefined> {
    const row = this.db.prepare('SELECT dimension FROM collections WHERE name = ?').get(collection) as { dimension: number } | undefined;
    return row?.dimension;
  }

  async upsert(collection: string, documents: EmbeddedDocument[], signal: AbortSignal): Promise<void> {
    if (documents.length === 0) return;
    signal.throwIfAborted();
    const { documentsTable, vectorsTable } = this.ensure(collection, documents[0]!.embedding.length);
    const find = this.db.prepare(`SELECT rowid FROM ${documentsTable} WHERE id = ?`).safeIntegers(true);
    const update = this.db.prepare(`UPDATE ${documentsTable} SET text = ?, metadata = ? WHERE rowid = ?`);
    const insert = this.db.prepare(`INSERT INTO ${documentsTable} (id, text, metadata) VALUES (?, ?, ?)`);
    const removeVector = this.db.prepare(`DELETE FROM ${vectorsTable} WHERE rowid = ?`);
    const insertVector = this.db.prepare(`INSERT INTO ${vectorsTable} (rowid, embedding) VALUES (?, ?)`);
    this.db.transaction(() => {
      for (const document of documents) {
        const metadata = JSON.stringify(document.metadata);
        const existing = find.get(document.id) as { rowid: bigint } | undefined;
        let rowid: bigint;
        if (existing) {
          rowid = existing.rowid;
          update.run(document.text, metadata, rowid);
          removeVector.run(rowid);
        } else {
          rowid = BigInt(insert.run(document.id, document.text, metadata).lastInsertRowid);
        }
        insertVector.run(rowid, new Float32Array(document.embedding));
      }
    }).immediate();
  }

  async query(collection: string, embedding: number[], options: VectorQueryOptions): Promise<ScoredDocument[]> {
    const tables = this.tables(collection);
    if (!tables) return [];
    const { documentsTable, vectorsTable } = tables;
    const vector = new Float32Array(embedding);
    const filter = Object.entries(options.filter ?? {});
    let rows: Row[];
    if (filter.length === 0) {
      rows = this.db
        .prepare(
          `SELECT d.id, d.text, d.metadata, v.embedding, v.distance FROM ${vectorsTable} v JOIN ${documentsTable} d ON d.rowid = v.rowid ` +
            'WHERE v.embedding MATCH ? AND k = ? ORDER BY v.distance',
        )
        .all(vector, options.topK) as Row[];
    } else {
      // An exact scan over the documents that pass the filter (a KNN first would drop filtered-out hits).
      const where = filter.map(() => 'json_extract(d.metadata, ?) = ?').join(' AND ');
      const values = filter.flatMap(([key, value]) => [`$."${key.replace(/"/g, '')}"`, typeof value === 'boolean' ? Number(value) : value]);
      rows = this.db
        .prepare(
          `SELECT d.id, d.text, d.metadata, v.embedding, vec_distance_cosine(v.embedding, ?) AS distance FROM ${documentsTable} d ` +
            `JOIN ${vectorsTable} v ON v.rowid = d.rowid WHERE ${where} ORDER BY distance LIMIT ?`,
        )
        .all(vector, ...values, options.topK) as Row[];
    }
    return rows.map((row) => ({
      id: row.id,
      text: row.text,
      metadata: JSON.parse(row.metadata) as Document['metadata'],
      embedding: Array.from(new Float32Array(row.embedding.buffer, row.embedding.byteOffset, row.embedding.byteLength / 4)),
      score: 1 - row.distance,
    }));
  }

  async delete(collection: string, ids: string[]): Promise<number> {
    const tables = this.tables(collection);
    if (!tables || ids.length === 0) return 0;
    const find = this.db.prepare(`SELECT rowid FROM ${tables.documentsTable} WHERE id = ?`).safeIntegers(true);
    const removeDocument = this.db.prepare(`DELETE FROM ${tables.documentsTable} WHERE rowid = ?`);
    const removeVector = this.db.prepare(`DELETE FROM ${tables.vectorsTable} WHERE rowid = ?`);
    return this.db.transaction(() => {
      let deleted = 0;
      for (const id of ids) {
        const row = find.get(id) as { rowid: bigint } | undefined;
        if (!row) continue;
        removeVector.run(row.rowid);
        removeDocument.run(row.rowid);
        deleted += 1;
      }
      return deleted;
    }).immediate();
  }

  /** Documents stored in a collection. */
  count(collection: string): number {
    const tables = this.tables(collection);
    if (!tables) return 0;
    return (this.db.prepare(`SELECT count(*) AS n FROM ${tables.documentsTable}`).get() as { n: number }).n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private tables(collection: string): { documentsTable: string; vectorsTable: string } | undefined {
    if (this.db.prepare('SELECT 1 FROM collections WHERE name = ?').get(collection) === undefined) return undefined;
    return tableNames(collection);
  }

  private ensure(collection: string, dimension: number): { documentsTable: string; vectorsTable: string } {
    const names = tableNames(collection);
    this.db.transaction(() => {
      const existing = this.db.prepare('SELECT dimension FROM collections WHERE name = ?').get(collection) as { dimension: number } | undefined;
      if (existing) return;
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${names.documentsTable} (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, metadata TEXT NOT NULL)`);
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${names.vectorsTable} USING vec0(embedding float[${dimension}] distance_metric=cosine)`);
      this.db.prepare('INSERT INTO collections (name, dimension, created_at) VALUES (?, ?, ?)').run(collection, dimension, new Date().toISOString());
    }).immediate();
    return names;
  }
}

function tableNames(collection: string): { documentsTable: string; vectorsTable: string } {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(collection)) {
    throw new PipelaneError('CONFIG_INVALID', `Collection name "${collection}" is not allowed.`, {
      hint: 'Use letters, digits, _ and -, starting with a letter.',
      path: '/config/collection',
    });
  }
  return { documentsTable: `"${collection}_documents"`, vectorsTable: `"${collection}_vectors"` };
}
