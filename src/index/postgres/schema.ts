/**
 * The database's schema, as numbered migrations that run at start-up: each runs once, in order,
 * recorded in `verbatim_schema`; a process that finds them all applied does nothing. Every table
 * is keyed by `collection`, so that many collections share one database.
 */
import type pg from 'pg';
import { createError } from '../../errors.js';
import { describeUrl } from './failures.js';

/** The vectors' size: the HNSW index needs a fixed one (all-MiniLM-L6-v2's). */
export const DIMENSIONS = 384;
/** The advisory lock key that serialises migrations across processes ('verbatim' in ASCII). */
const MIGRATION_LOCK = 0x7665726261746dn;

/** BM25's term weight of a posting in SQL (k1 1.2, b 0.75, as in bm25.ts), without the IDF. */
function impactSql(frequency: string, length: string, average: string): string {
  return `${frequency} * 2.2 / (${frequency} + 1.2 * (1 - 0.75 + 0.75 * ${length} / greatest(${average}, 1e-9)))`;
}

/** The migrations in order (exported for the test of a database that an older version left). */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE store_state (
    collection text PRIMARY KEY DEFAULT 'default',
    model_id text NOT NULL,
    dimensions integer NOT NULL,
    packing jsonb NOT NULL,
    corpus_stamp text,
    corpus_signatures text,
    version bigint NOT NULL DEFAULT 1,
    next_doc integer NOT NULL DEFAULT 0,
    -- BM25's collection statistics, kept up to date by every write.
    passage_count integer NOT NULL DEFAULT 0,
    total_length double precision NOT NULL DEFAULT 0
  );
  -- A document with everything quoting needs: the text, its sentences (start, end, paragraph per
  -- sentence) and passages (first, end sentence per passage), and int8 rows of its vectors.
  CREATE TABLE documents (
    collection text NOT NULL DEFAULT 'default',
    doc integer NOT NULL,
    path text NOT NULL,
    id text NOT NULL,
    owner text NOT NULL,
    signature text NOT NULL,
    fingerprint text NOT NULL,
    record jsonb NOT NULL,
    text text NOT NULL,
    sentences integer[] NOT NULL,
    passages integer[] NOT NULL,
    passage_rows bytea NOT NULL,
    sentence_rows bytea NOT NULL,
    document_row bytea NOT NULL,
    names text[] NOT NULL,
    PRIMARY KEY (collection, doc),
    UNIQUE (collection, path)
  );
  -- Passages as search sees them: the full vector for pgvector, the length for BM25.
  CREATE TABLE passages (
    collection text NOT NULL DEFAULT 'default',
    doc integer NOT NULL,
    ord integer NOT NULL,
    length real NOT NULL,
    embedding vector(${DIMENSIONS}) NOT NULL,
    PRIMARY KEY (collection, doc, ord),
    FOREIGN KEY (collection, doc) REFERENCES documents ON DELETE CASCADE
  );
  CREATE INDEX passages_embedding ON passages USING hnsw (embedding vector_cosine_ops);
  -- BM25's postings: how often each term occurs in each passage, and the passage's length
  -- (kept here too, so that scoring reads the term's postings and nothing else).
  CREATE TABLE postings (
    collection text NOT NULL DEFAULT 'default',
    term text NOT NULL,
    doc integer NOT NULL,
    ord integer NOT NULL,
    frequency integer NOT NULL,
    length real NOT NULL,
    FOREIGN KEY (collection, doc) REFERENCES documents ON DELETE CASCADE
  );
  CREATE INDEX postings_term ON postings (collection, term) INCLUDE (doc, ord, frequency, length);
  CREATE INDEX postings_doc ON postings (collection, doc);
  CREATE TABLE line_keys (
    collection text NOT NULL DEFAULT 'default',
    key text NOT NULL,
    doc integer NOT NULL,
    FOREIGN KEY (collection, doc) REFERENCES documents ON DELETE CASCADE
  );
  CREATE INDEX line_keys_key ON line_keys (collection, key);
  CREATE INDEX line_keys_doc ON line_keys (collection, doc);
  CREATE TABLE owner_notes (
    collection text NOT NULL DEFAULT 'default',
    owner text NOT NULL,
    signature text NOT NULL,
    skipped jsonb NOT NULL,
    PRIMARY KEY (collection, owner)
  );
  `,
  // What the bot keeps besides the index, so that any process can serve any server: each
  // collection's JSON documents (feeds, watches: `value` NULL until first written), and the
  // answers behind buttons (kept as written, json: exact quote text, no normalising).
  `
  CREATE TABLE collection_state (
    collection text NOT NULL,
    name text NOT NULL,
    value jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, name)
  );
  CREATE TABLE answers (
    key text PRIMARY KEY,
    scope text NOT NULL,
    answer json NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX answers_created_at ON answers (created_at);
  `,
  // Each posting's BM25 term weight (its impact: tf·(k1+1) / (tf + k1·(1-b+b·len/avglen)), with the
  // average length when it was written), so that a frequent term's postings can be read best first
  // and capped (search.ts); and each term's passage count (df), so that its IDF takes one row, not a
  // count of its postings. Existing rows get theirs from their collection's current statistics.
  `
  CREATE TABLE term_stats (
    collection text NOT NULL,
    term text NOT NULL,
    df integer NOT NULL,
    PRIMARY KEY (collection, term)
  );
  INSERT INTO term_stats (collection, term, df) SELECT collection, term, count(*) FROM postings GROUP BY collection, term;
  ALTER TABLE postings ADD COLUMN impact real;
  UPDATE postings p
     SET impact = ${impactSql('p.frequency', 'p.length', 's.total_length / greatest(s.passage_count, 1)')}
    FROM store_state s WHERE s.collection = p.collection;
  UPDATE postings SET impact = 0 WHERE impact IS NULL;
  ALTER TABLE postings ALTER COLUMN impact SET NOT NULL;
  CREATE INDEX postings_impact ON postings (collection, term, impact DESC) INCLUDE (doc, ord, frequency, length);
  DROP INDEX postings_term;
  `,
];

/** Creates the pgvector extension, or says in one line that it is missing and may not be created. */
async function ensureVector(client: pg.PoolClient, url: string): Promise<void> {
  const installed = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`);
  if (installed.rowCount) return;
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42501: insufficient privilege; 0A000 / 58P01: the extension's files are not installed.
    if (code === '42501' || code === '0A000' || code === '58P01') throw createError('DATABASE_NO_VECTOR', describeUrl(url));
    throw error;
  }
}

/** Runs the migrations not yet applied, one process at a time. */
export async function migrate(pool: pg.Pool, url: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await ensureVector(client, url);
    await client.query('CREATE TABLE IF NOT EXISTS verbatim_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM verbatim_schema');
    for (let version = applied.rows[0]!.version + 1; version <= MIGRATIONS.length; version += 1) {
      await client.query(MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO verbatim_schema (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The latest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;
