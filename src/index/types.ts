import type { BoilerplateRange } from '../corpus/clean.js';
import type { SourceMeta } from '../corpus/types.js';
import type { PackOptions } from './segment.js';

/** The citation of a quote: where it comes from, as far as the source says. */
export interface QuoteSource {
  id: string;
  /** Relative to the corpus folder. */
  path: string;
  /** For a source that isn't plain text (HTML, PDF, JSON): the original file; `path` is its extracted text. */
  original?: string;
  title: string | null;
  outlet: string | null;
  author: string | null;
  url: string | null;
  published: string | null;
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
}

export interface SentenceRecord {
  doc: number;
  start: number;
  end: number;
  paragraph: number;
}

export interface PassageRecord {
  doc: number;
  /** Global index of the passage's first sentence. */
  first: number;
  /** Global index one past its last sentence. */
  end: number;
  /** Row of its first sentence's vector in the sentence-vector matrix (one row per sentence of the passage). */
  sentenceRow: number;
}

export interface Manifest {
  formatVersion: number;
  modelId: string;
  dimensions: number;
  packing: PackOptions;
  createdAt: string;
  documents: { id: string; path: string; hash: string; fingerprint: string; passages: number }[];
  passageCount: number;
  sentenceCount: number;
  /** The corpus folder's stamp (paths, sizes, times) when it was read for this build. */
  corpusStamp?: string;
  /** Every data file of the generation with its size and digest, checked on load. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** Everything search needs, in memory. Texts are kept so that quotes are slices of what was indexed. */
export interface IndexData {
  documents: DocumentRecord[];
  texts: string[];
  sentences: SentenceRecord[];
  passages: PassageRecord[];
  /** Row-major, one unit vector per passage. */
  passageVectors: Float32Array;
  /** Row-major, one unit vector per sentence occurrence in a passage. */
  sentenceVectors: Float32Array;
}
