/**
 * The PostgreSQL store: one collection of a shared database (pgvector for vectors, stored
 * postings for BM25). Any process with the connection string reads and writes it; writes to
 * one collection are serialised across all processes by an advisory lock, and each is one
 * transaction, so a view sees all of a write or none of it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type { SkippedFile } from '../../corpus/types.js';
import { createError } from '../../errors.js';
import type { IndexView, MaintenanceOptions, OwnerState, Store, StoreStatus, StoreSettings, WriteBatch } from '../store.js';
import { CHANGES_CHANNEL, changeNotice } from './changes.js';
import { describeUrl, explain } from './failures.js';
import { poolOf } from './pool.js';
import { DIMENSIONS } from './schema.js';
import type * as z from 'zod';
import type { StateDocument } from '../state.js';
import { PostgresState } from './state.js';
import { PostgresView, readSnapshot } from './view.js';
import { forgetTerms, insertDocuments } from './write.js';

/** The first key of this program's advisory locks on collections ('vb'). */
const LOCK_CLASS = 0x7662;
const holdsLock = new AsyncLocalStorage<string>();

interface StateRow {
  model_id: string;
  dimensions: number;
  packing: StoreSettings['packing'];
  corpus_stamp: string | null;
  corpus_signatures: string | null;
  version: string;
  next_doc: number;
  passage_count: number;
  total_length: number;
}

const sameSettings = (row: StateRow, s: StoreSettings) =>
  row.model_id === s.modelId && row.dimensions === s.dimensions && JSON.stringify(row.packing) === JSON.stringify(s.packing);

export class PostgresStore implements Store {
  readonly shared = true;
  constructor(
    private readonly url: string,
    readonly collection = 'default',
  ) {}

  get location(): string {
    return `PostgreSQL ${describeUrl(this.url)}, collection ${this.collection}`;
  }

  /** The collection's state document `name` in this database (see ../state.ts). */
  state<S extends z.ZodType>(name: string, schema: S): StateDocument<z.output<S>> {
    return new PostgresState(this.url, this.collection, name, schema);
  }

  /** Runs `work` with a pooled connection; connection failures become one clear line. */
  private async use<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      const client = await (await poolOf(this.url)).connect();
      try {
        return await work(client);
      } finally {
        client.release();
      }
    } catch (error) {
      throw explain(error, this.url);
    }
  }

  async status(): Promise<StoreStatus | null> {
    return this.use(async (client) => {
      const state = await client.query<StateRow>('SELECT * FROM store_state WHERE collection = $1', [this.collection]);
      const row = state.rows[0];
      if (!row) return null;
      const totals = await client.query<{ documents: number; passages: number; sentences: number }>(
        `SELECT count(*)::int AS documents, coalesce(sum(cardinality(passages) / 2), 0)::int AS passages,
                coalesce(sum(cardinality(sentences) / 3), 0)::int AS sentences
           FROM documents WHERE collection = $1`,
        [this.collection],
      );
      return {
        version: `${this.collection}@${row.version}`,
        settings: { modelId: row.model_id, dimensions: row.dimensions, packing: row.packing },
        corpusStamp: row.corpus_stamp,
        corpusSignatures: row.corpus_signatures,
        ...totals.rows[0]!,
        parts: 1,
      };
    });
  }

  async owners(): Promise<Map<string, OwnerState>> {
    return this.use(async (client) => {
      const owners = new Map<string, OwnerState>();
      const documents = await client.query<{ id: string; path: string; original: string | null; owner: string; signature: string; fingerprint: string; passages: number }>(
        `SELECT id, path, record->>'original' AS original, owner, signature, fingerprint, cardinality(passages) / 2 AS passages
           FROM documents WHERE collection = $1 ORDER BY doc`,
        [this.collection],
      );
      for (const { original, ...doc } of documents.rows) {
        const state = owners.get(doc.owner) ?? { signature: doc.signature, documents: [], skipped: [], noted: false };
        state.documents.push({ ...doc, ...(original ? { original } : {}) });
        owners.set(doc.owner, state);
      }
      const notes = await client.query<{ owner: string; signature: string; skipped: SkippedFile[] }>(
        'SELECT owner, signature, skipped FROM owner_notes WHERE collection = $1 ORDER BY owner',
        [this.collection],
      );
      for (const note of notes.rows) {
        const state = owners.get(note.owner) ?? { signature: note.signature, documents: [], skipped: [], noted: true };
        owners.set(note.owner, { ...state, signature: note.signature, skipped: note.skipped, noted: true });
      }
      return owners;
    });
  }

  async skipped(): Promise<SkippedFile[]> {
    return this.use(async (client) => {
      const notes = await client.query<{ skipped: SkippedFile[] }>('SELECT skipped FROM owner_notes WHERE collection = $1 ORDER BY owner', [this.collection]);
      return notes.rows.flatMap((n) => n.skipped);
    });
  }

  async lineKeysOf(paths: readonly string[]): Promise<string[]> {
    if (paths.length === 0) return [];
    return this.use(async (client) => {
      const keys = await client.query<{ key: string }>(
        `SELECT k.key FROM line_keys k JOIN documents d USING (collection, doc)
          WHERE k.collection = $1 AND d.path = ANY($2::text[])`,
        [this.collection, paths],
      );
      return keys.rows.map((r) => r.key);
    });
  }

  async lineDocuments(keys: readonly string[], excluding: ReadonlySet<string>, limit: number): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>(keys.map((k) => [k, []]));
    if (keys.length === 0) return found;
    await this.use(async (client) => {
      const rows = await client.query<{ key: string; path: string }>(
        `SELECT k.key, d.path FROM line_keys k JOIN documents d USING (collection, doc)
          WHERE k.collection = $1 AND k.key = ANY($2::text[]) AND NOT (d.path = ANY($3::text[]))
          ORDER BY k.key, k.doc`,
        [this.collection, keys, [...excluding]],
      );
      for (const { key, path } of rows.rows) {
        const paths = found.get(key)!;
        if (paths.length < limit) paths.push(path);
      }
    });
    return found;
  }

  /** Holds the collection's advisory lock on one connection while `work` runs (its writes skip taking it again). */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (holdsLock.getStore() === this.collection) return work();
    return this.use(async (client) => {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, this.collection]);
      try {
        return await holdsLock.run(this.collection, work);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.collection]).catch(() => undefined);
      }
    });
  }

  async write(batch: WriteBatch): Promise<void> {
    if (batch.settings.dimensions !== DIMENSIONS) {
      throw new Error(`the PostgreSQL store holds ${DIMENSIONS}-dimensional vectors; this model gives ${batch.settings.dimensions}`);
    }
    const locked = holdsLock.getStore() === this.collection;
    await this.use(async (client) => {
      await client.query('BEGIN');
      try {
        if (!locked) await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, this.collection]);
        await this.commit(client, batch);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private async commit(client: pg.PoolClient, batch: WriteBatch): Promise<void> {
    const { collection } = this;
    const found = await client.query<StateRow>('SELECT * FROM store_state WHERE collection = $1 FOR UPDATE', [collection]);
    let state = found.rows[0];
    if (state && !batch.replace && !sameSettings(state, batch.settings)) {
      throw new Error(`the store holds ${state.model_id} vectors; a write with ${batch.settings.modelId} must replace it`);
    }
    if (batch.replace || !state) {
      // A first build loads faster without the HNSW index, built once at the end (`maintain`);
      // only when no other collection would lose its index meanwhile.
      const others = await client.query('SELECT 1 FROM passages WHERE collection <> $1 LIMIT 1', [collection]);
      if (others.rowCount === 0) await client.query('DROP INDEX IF EXISTS passages_embedding');
      await forgetTerms(client, collection, null);
      await client.query('DELETE FROM documents WHERE collection = $1', [collection]);
      await client.query('DELETE FROM owner_notes WHERE collection = $1', [collection]);
      const { modelId, dimensions, packing } = batch.settings;
      const kept = await client.query<StateRow>(
        `INSERT INTO store_state (collection, model_id, dimensions, packing) VALUES ($1, $2, $3, $4)
         ON CONFLICT (collection) DO UPDATE SET model_id = $2, dimensions = $3, packing = $4, corpus_stamp = NULL, corpus_signatures = NULL
         RETURNING *`,
        [collection, modelId, dimensions, JSON.stringify(packing)],
      );
      state = kept.rows[0]!;
    }
    const add = batch.add ?? [];
    const remove = [...new Set([...(batch.remove ?? []), ...add.map((d) => d.record.path)])];
    let passages = batch.replace ? 0 : state.passage_count;
    let length = batch.replace ? 0 : state.total_length;
    if (remove.length > 0) {
      const gone = await client.query<{ passages: number; length: number }>(
        `SELECT count(*)::int AS passages, coalesce(sum(p.length), 0)::float8 AS length
           FROM passages p JOIN documents d USING (collection, doc) WHERE d.collection = $1 AND d.path = ANY($2::text[])`,
        [collection, remove],
      );
      passages -= gone.rows[0]!.passages;
      length -= gone.rows[0]!.length;
      await forgetTerms(client, collection, remove);
      await client.query('DELETE FROM documents WHERE collection = $1 AND path = ANY($2::text[])', [collection, remove]);
    }
    if (add.length > 0) {
      const added = await insertDocuments(client, collection, state.next_doc, add, batch.settings.dimensions, { passages, length });
      passages += added.passages;
      length += added.length;
    }
    for (const [owner, note] of Object.entries(batch.owners ?? {})) {
      if (note) {
        await client.query(
          `INSERT INTO owner_notes (collection, owner, signature, skipped) VALUES ($1, $2, $3, $4)
           ON CONFLICT (collection, owner) DO UPDATE SET signature = $3, skipped = $4`,
          [collection, owner, note.signature, JSON.stringify(note.skipped)],
        );
      } else {
        await client.query('DELETE FROM owner_notes WHERE collection = $1 AND owner = $2', [collection, owner]);
      }
    }
    // A write that changes documents without saying what corpus it matches matches none for certain.
    const changesDocuments = add.length + (batch.remove?.length ?? 0) > 0;
    const stamp = batch.corpusStamp !== undefined ? batch.corpusStamp : changesDocuments ? null : state.corpus_stamp;
    const signatures = batch.corpusSignatures !== undefined ? batch.corpusSignatures : changesDocuments ? null : state.corpus_signatures;
    // The version is what a view shows: a write of only the corpus stamp or notes leaves it, so that
    // no process reopens its view for it.
    const visible = batch.replace || add.length > 0 || remove.length > 0;
    await client.query(
      `UPDATE store_state SET version = version + $7, next_doc = $2, corpus_stamp = $3, corpus_signatures = $4, passage_count = $5, total_length = $6
        WHERE collection = $1`,
      [collection, state.next_doc + add.length, stamp, signatures, passages, length, visible ? 1 : 0],
    );
    // Delivered at commit to every process that follows the database (see changes.ts), none if rolled back.
    if (visible) await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, changeNotice(collection)]);
  }

  /**
   * Nothing to merge (PostgreSQL keeps one table per kind): builds the HNSW index a first build
   * left out, and after a bulk write refreshes the planner's statistics.
   */
  async maintain(options: MaintenanceOptions): Promise<boolean> {
    return this.use(async (client) => {
      const missing = await client.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'passages_embedding'`);
      if (missing.rowCount === 0) {
        await client.query('SELECT pg_advisory_lock($1, 0)', [LOCK_CLASS]);
        try {
          await client.query('CREATE INDEX IF NOT EXISTS passages_embedding ON passages USING hnsw (embedding vector_cosine_ops)');
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, 0)', [LOCK_CLASS]);
        }
      }
      // VACUUM too: it marks the new rows visible to all, so that BM25's index-only scans of the
      // postings need not visit the table (until autovacuum comes, a fresh copy read it all).
      if (options.everything || missing.rowCount === 0) await client.query('VACUUM (ANALYZE) passages, postings, documents, term_stats');
      return false;
    });
  }

  /** A snapshot of the collection (always read whole: `ViewOptions.eager` changes nothing here). */
  async view(): Promise<IndexView> {
    const pool = await poolOf(this.url).catch((error: unknown) => {
      throw explain(error, this.url);
    });
    const snapshot = await this.use((client) => readSnapshot(client, this.collection));
    if (!snapshot) throw createError('STORE_MISSING', this.location);
    return new PostgresView(snapshot, pool, this.collection, (error) => explain(error, this.url));
  }
}
