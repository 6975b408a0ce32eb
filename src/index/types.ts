import type { BoilerplateRange } from '../corpus/clean.js';
import type { SourceMeta } from '../corpus/types.js';

/** The citation of a quote: where it comes from, as far as the source says. */
export interface QuoteSource {
  id: string;
  /** The collection it belongs to (when read through collections: the command line, the bot). */
  collection?: string;
  /** Relative to the corpus folder (of `collection`). */
  path: string;
  /** For a source that isn't plain text (HTML, PDF, JSON): the original file; `path` is its extracted text. */
  original?: string;
  title: string | null;
  outlet: string | null;
  author: string | null;
  url: string | null;
  published: string | null;
  /** When this version of the document entered the index (ISO 8601); absent in stores written before it was kept. */
  retrieved?: string;
}

export interface DocumentRecord {
  id: string;
  path: string;
  /** The original (HTML, PDF, JSON dump) that `path` was extracted from, when it is not plain text. */
  original?: string;
  /** SHA-256 of the file's bytes. */
  hash: string;
  meta: SourceMeta;
  boilerplate: BoilerplateRange[];
  /** When this version (these bytes and metadata) was first indexed, ISO 8601: exports' "retrieved". */
  retrieved?: string;
}

export interface SentenceRecord {
  doc: number;
  start: number;
  end: number;
  paragraph: number;
}

export interface PassageRecord {
  doc: number;
  /** Number of the passage's first sentence. */
  first: number;
  /** Number one past its last sentence. */
  end: number;
  /** Row of its first sentence's vector (one row per sentence of the passage, in order). */
  sentenceRow: number;
}

export interface VectorHit {
  passage: number;
  /** Cosine similarity with the query. */
  similarity: number;
}

export interface LexicalHit {
  passage: number;
  score: number;
}

/**
 * BM25's statistics for a query's terms over the passages searched: how many, their summed
 * length, and how many hold each term (in `indexTerms` order). Summed over collections, they let
 * several be searched as one corpus.
 */
export interface WordStatistics {
  passages: number;
  length: number;
  frequencies: number[];
}
