/**
 * Search in the database: nearest passages by pgvector's HNSW index (cosine), filtered by
 * collection with pgvector 0.8's iterative scans (so a small collection among large ones still
 * gets its k results), and BM25 computed in SQL from the stored postings with the same formula,
 * constants and statistics as `searchBm25`, so both backends rank words alike.
 */
import type pg from 'pg';
import { indexTerms } from '../terms.js';
import type { SearchRequest, SearchResults } from '../store.js';
import type { LexicalHit, VectorHit } from '../types.js';
import { vectorLiteral } from './write.js';

/** Settings of every connection: iterative scans, and a search list of 200 for retrieval's k of 100. */
export const SESSION_OPTIONS = '-c hnsw.iterative_scan=relaxed_order -c hnsw.ef_search=200';

const VECTOR_SQL = `
  SELECT doc, ord, 1 - (embedding <=> $2::vector) AS similarity
    FROM passages WHERE collection = $1
   ORDER BY embedding <=> $2::vector LIMIT $3`;

// BM25 as in bm25.ts: k1 1.2, b 0.75, idf ln(1 + (N - df + 0.5) / (df + 0.5)), over live passages.
// Each term's weight is worked out once (df from term_stats), and each term gives its TERM_CAP
// postings of highest impact (its BM25 term weight when written; the score is still computed
// with the current statistics), summed per passage in a hash table. A term in fewer passages
// than the cap is read whole, so small collections score exactly as bm25.ts does; past it, a
// passage without one of the term's best postings misses that term's small share.
const WORDS_SQL = `
  WITH stats AS (
    SELECT passage_count::float8 AS n, total_length / greatest(passage_count, 1) AS average
      FROM store_state WHERE collection = $1
  ), terms AS (
    SELECT t.term, ln(1 + (stats.n - c.df + 0.5) / (c.df + 0.5::float8)) * 2.2 AS weight
      FROM unnest($2::text[]) AS t(term)
     CROSS JOIN stats
      JOIN term_stats c ON c.collection = $1 AND c.term = t.term
     WHERE c.df > 0
  )
  SELECT p.doc, p.ord, sum(t.weight * p.frequency / (p.frequency + 1.2 * (1 - 0.75 + 0.75 * p.length / stats.average))) AS score
    FROM terms t
   CROSS JOIN stats
   CROSS JOIN LATERAL (
     SELECT doc, ord, frequency, length FROM postings
      WHERE collection = $1 AND term = t.term ORDER BY impact DESC LIMIT $4) p
   GROUP BY p.doc, p.ord
   ORDER BY score DESC, p.doc, p.ord
   LIMIT $3`;

/**
 * The most postings read per term, best impact first (see WORDS_SQL): only terms in more passages
 * than this (low IDF) are cut. Measured on SciFact (README): 1,000 keeps nDCG@10 and Recall@100;
 * 500 loses 0.012 of lexical nDCG@10.
 */
export const TERM_CAP = 1000;

export interface Row {
  /** Present where several collections are searched at once. */
  collection?: string;
  doc: number;
  ord: number;
}

/** The SQL of both searches: `$1` the scope (a collection, or several), then the vector or the terms, `$3` k. */
export interface SearchSql {
  vectors: { name: string; text: string };
  words: { name: string; text: string };
}

const ONE_COLLECTION: SearchSql = {
  vectors: { name: 'verbatim-vectors', text: VECTOR_SQL },
  words: { name: 'verbatim-words', text: WORDS_SQL },
};

/** Runs both searches at once; `toView` numbers a database passage in the caller's view (undefined: not in it). */
export function searchDatabase(
  pool: pg.Pool,
  collection: string,
  request: SearchRequest,
  toView: (doc: number, ord: number) => number | undefined,
): Promise<SearchResults> {
  return runSearches(pool, ONE_COLLECTION, collection, request, (row) => toView(row.doc, row.ord));
}

/** Both searches of `sql` over `scope`, each hit numbered by `toView`. */
export async function runSearches(
  pool: pg.Pool,
  sql: SearchSql,
  scope: string | readonly string[],
  request: SearchRequest,
  toView: (row: Row) => number | undefined,
): Promise<SearchResults> {
  const terms = indexTerms(request.text);
  // Two pooled connections, one search each, at once (the words' while the vector may still be
  // computed); named, so each connection plans them once.
  const lexical = request.wordsK > 0 && terms.length > 0 ? pool.query<Row & { score: number }>({ ...sql.words, values: [scope, terms, request.wordsK, TERM_CAP] }) : null;
  const nearest = async (vector: Float32Array) =>
    pool.query<Row & { similarity: number }>({ ...sql.vectors, values: [scope, vectorLiteral(vector), request.vectorK] });
  const [vectorRows, wordRows] = await Promise.all([request.vectorK > 0 ? Promise.resolve(request.vector).then(nearest) : null, lexical]);
  const vectors: VectorHit[] = [];
  for (const row of vectorRows?.rows ?? []) {
    const passage = toView(row);
    if (passage !== undefined) vectors.push({ passage, similarity: Number(row.similarity) });
  }
  // Relaxed ordering may return near neighbours slightly out of order.
  vectors.sort((a, b) => b.similarity - a.similarity || a.passage - b.passage);
  const words: LexicalHit[] = [];
  for (const row of wordRows?.rows ?? []) {
    const passage = toView(row);
    if (passage !== undefined) words.push({ passage, score: Number(row.score) });
  }
  return { vectors, words };
}
