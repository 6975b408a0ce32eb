import type { Searcher } from '../answer/searcher.js';
import type { QuoteSource } from '../answer/types.js';
import type { FetchPolicy } from './fetch.js';

export interface IngestOptions {
  corpusDir: string;
  storeDir: string;
  /** The collection's name: it keys the feed list in a database (`default` unless given). */
  collection?: string;
  fetch: FetchPolicy;
  /** Brings the index up to date with the corpus folder and returns the Searcher over it. */
  refresh: () => Promise<Searcher>;
}

/** A document now in the index. */
export interface AddedDocument extends QuoteSource {
  passages: number;
}

export interface AddResult {
  /** The file stored in the corpus folder (relative to it). */
  file: string;
  documents: AddedDocument[];
}
