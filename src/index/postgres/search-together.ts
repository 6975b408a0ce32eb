/**
 * Several collections of one database searched in SQL as one corpus (a Discord server's own
 * collection with the shared ones): nearest passages among all of them by the HNSW index with
 * iterative scans, and BM25 with the statistics of all of them summed (passage count, total
 * length, each term's passage count), as `JoinedView.searchWords` sums them in memory; each
 * collection's postings still capped per term (`TERM_CAP`).
 */
import type pg from 'pg';
import type { SearchRequest, SearchResults } from '../store.js';
import { runSearches, type SearchSql } from './search.js';

const VECTOR_SQL = `
  SELECT collection, doc, ord, 1 - (embedding <=> $2::vector) AS similarity
    FROM passages WHERE collection = ANY($1::text[])
   ORDER BY embedding <=> $2::vector LIMIT $3`;

// WORDS_SQL of search.ts over the collections in $1; ties rank by collection order, then number.
const WORDS_SQL = `
  WITH stats AS (
    SELECT sum(passage_count)::float8 AS n, sum(total_length) / greatest(sum(passage_count), 1) AS average
      FROM store_state WHERE collection = ANY($1::text[])
  ), terms AS (
    SELECT c.term, ln(1 + (stats.n - c.df + 0.5) / (c.df + 0.5)) * 2.2 AS weight
      FROM (SELECT term, sum(df)::float8 AS df FROM term_stats
             WHERE collection = ANY($1::text[]) AND term = ANY($2::text[]) GROUP BY term) c
     CROSS JOIN stats
     WHERE c.df > 0
  )
  SELECT m.collection, p.doc, p.ord, sum(t.weight * p.frequency / (p.frequency + 1.2 * (1 - 0.75 + 0.75 * p.length / stats.average))) AS score
    FROM terms t
   CROSS JOIN stats
   CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS m(collection, position)
   CROSS JOIN LATERAL (
     SELECT doc, ord, frequency, length FROM postings
      WHERE collection = m.collection AND term = t.term ORDER BY impact DESC LIMIT $4) p
   GROUP BY m.position, m.collection, p.doc, p.ord
   ORDER BY score DESC, m.position, p.doc, p.ord
   LIMIT $3`;

const SEVERAL_COLLECTIONS: SearchSql = {
  vectors: { name: 'verbatim-vectors-together', text: VECTOR_SQL },
  words: { name: 'verbatim-words-together', text: WORDS_SQL },
};

export interface CollectionNumbers {
  collection: string;
  /** A database passage's number in the joined view (undefined: not in its snapshot). */
  toView: (doc: number, ord: number) => number | undefined;
}

/** Both searches over `members`' collections at once, hits numbered by each member's `toView`. */
export function searchCollections(pool: pg.Pool, members: readonly CollectionNumbers[], request: SearchRequest): Promise<SearchResults> {
  const byName = new Map(members.map((m) => [m.collection, m.toView]));
  return runSearches(pool, SEVERAL_COLLECTIONS, members.map((m) => m.collection), request, (row) => byName.get(row.collection!)?.(row.doc, row.ord));
}
