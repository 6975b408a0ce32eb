/**
 * The store's two faces, independent of where it keeps things (files under `embeddings/index/`
 * or PostgreSQL's tables): `Store` is what indexing writes through, `IndexView` what answering
 * reads from. A view is one consistent snapshot: a write that lands while a question is being
 * answered is seen by the next view, never half by this one.
 */
import type { SkippedFile } from '../corpus/types.js';
import type { PackOptions, PassageSpan, Sentence } from './segment.js';
import type { DocumentRecord, LexicalHit, PassageRecord, SentenceRecord, VectorHit, WordStatistics } from './types.js';

export interface StoreSettings {
  modelId: string;
  dimensions: number;
  packing: PackOptions;
}

export interface StoreStatus {
  /** Changes with every write or merge: a view of another version is out of date. */
  version: string;
  settings: StoreSettings;
  /** The corpus folder's stamp when the store last matched it completely, or null. */
  corpusStamp: string | null;
  /** The digest of the corpus files' signatures (`CorpusListing.signatures`) then, or null. */
  corpusSignatures: string | null;
  documents: number;
  passages: number;
  sentences: number;
  /** Parts searched separately and merged (segments of the embedded store). */
  parts: number;
}

/** What a write needs to know about a stored document: no text, no vectors. */
export interface StoredDocument {
  id: string;
  path: string;
  original?: string;
  /** The corpus file it was read from (the original for extracted text) and that file's signature then. */
  owner: string;
  signature: string;
  /** Changes whenever what the document contributes changes: its bytes, metadata or boilerplate. */
  fingerprint: string;
  passages: number;
}

/** A corpus file as the store remembers it: its signature, its documents, and why it gave none. */
export interface OwnerState {
  signature: string;
  documents: StoredDocument[];
  skipped: SkippedFile[];
  /** Whether the store holds a note about it (see `OwnerNote`). */
  noted: boolean;
}

/** A document ready to store: record, text, segmentation, vectors. */
export interface DocumentInput {
  record: DocumentRecord;
  owner: string;
  signature: string;
  fingerprint: string;
  text: string;
  sentences: Sentence[];
  passages: PassageSpan[];
  /** One unit vector per passage, row-major. */
  passageVectors: Float32Array;
  /** One unit vector per sentence occurrence, passage by passage. */
  sentenceVectors: Float32Array;
  /** Hashes of the document's short lines (`lineHash`), for repeated-line counts. */
  lineKeys: string[];
}

/** A note about a corpus file whose documents are not (re)written: touched but unchanged, or unreadable. */
export interface OwnerNote {
  signature: string;
  skipped: SkippedFile[];
}

/** One atomic change: all of it becomes visible at once, or none of it. */
export interface WriteBatch {
  settings: StoreSettings;
  /** Drop everything stored before (the model or the packing changed). */
  replace?: boolean;
  add?: DocumentInput[];
  /** Paths of documents to remove. */
  remove?: string[];
  /** Notes by owner; null clears one. */
  owners?: Record<string, OwnerNote | null>;
  /**
   * The corpus stamp and signature digest the store now matches; undefined leaves them (or, in a
   * write that adds or removes documents, clears them), null clears them.
   */
  corpusStamp?: string | null;
  corpusSignatures?: string | null;
}

export interface MaintenanceOptions {
  /** Most passages one merge may rewrite (Infinity: any). */
  budget: number;
  /** Lets other work run between steps of a long merge (the bot keeps answering). */
  yieldEvery?: number;
  /** Merge everything into one part (after a bulk write), when the budget allows. */
  everything?: boolean;
}

export interface Store {
  /** Where it lives, for messages. */
  readonly location: string;
  /** Whether other processes share it (a database): it then answers without the corpus folder. */
  readonly shared: boolean;
  /** Null when nothing was ever stored. */
  status(): Promise<StoreStatus | null>;
  /** Every corpus file the store knows, by owner path. */
  owners(): Promise<Map<string, OwnerState>>;
  /** The corpus files that gave no document or part of one, and why (cheaper than `owners`). */
  skipped(): Promise<SkippedFile[]>;
  /** The short-line hashes of stored documents. */
  lineKeysOf(paths: readonly string[]): Promise<string[]>;
  /** For each short-line hash, up to `limit` paths of stored documents (not in `excluding`) that contain it. */
  lineDocuments(keys: readonly string[], excluding: ReadonlySet<string>, limit: number): Promise<Map<string, string[]>>;
  write(batch: WriteBatch): Promise<void>;
  /** Runs `work` as the only writer of this store, across processes. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Merges parts of the store within a budget; true when it changed anything. */
  maintain(options: MaintenanceOptions): Promise<boolean>;
  /** A consistent, read-only snapshot for answering. */
  view(options?: ViewOptions): Promise<IndexView>;
}

export interface ViewOptions {
  /**
   * Load the search structures at once (the default), so that damage shows when the view opens;
   * false loads them on the first search (for a view that only lists documents).
   */
  eager?: boolean;
}

/** What `IndexView.search` runs: either search may be left out (k 0). */
export interface SearchRequest {
  /** The question's vector, or its promise: the word search need not wait for the model. */
  vector: Float32Array | Promise<Float32Array>;
  text: string;
  vectorK: number;
  wordsK: number;
}

export interface SearchResults {
  vectors: VectorHit[];
  words: LexicalHit[];
}

/** A read-only snapshot of the index: what retrieval, quote selection and coverage read. */
export interface IndexView {
  /** The store version this view shows (see `StoreStatus.version`). */
  readonly version: string;
  readonly modelId: string;
  readonly dimensions: number;
  /** Live documents and passages. */
  readonly documentCount: number;
  readonly passageCount: number;
  /** One past the highest document, sentence, passage and sentence-row number the view uses (removed ones included). */
  readonly extent: ViewExtent;
  /** The collection a document belongs to, for a view over several collections (`JoinedView`). */
  collectionOf?(doc: number): string;
  /** Document numbers in the view (numbers of removed documents are never reused within it). */
  documentNumbers(): readonly number[];
  document(doc: number): DocumentRecord;
  /** A document's number by id or path. */
  findDocument(idOrPath: string): number | undefined;
  /** The document's text exactly as indexed: quotes are slices of it. */
  text(doc: number): string;
  /** `[first, end)` of the document's sentence numbers, and of its passage numbers. */
  sentenceRange(doc: number): [number, number];
  passageRange(doc: number): [number, number];
  sentence(s: number): SentenceRecord;
  passage(p: number): PassageRecord;
  /** Row of a sentence's first vector (a sentence in two overlapping passages has two). */
  sentenceRow(s: number): number;
  sentenceVector(row: number): Float32Array;
  passageVector(p: number): Float32Array;
  /** The mean of the document's passage vectors, normalised. */
  documentVector(doc: number): Float32Array;
  /** The `k` nearest passages; with `keep`, only passages it accepts, chosen during the search (not after). */
  searchVectors(vector: Float32Array, k: number, keep?: (passage: number) => boolean): VectorHit[];
  /**
   * BM25 with collection-wide statistics, or with `statistics` of a larger corpus this view is
   * searched as part of (the sum of each part's `wordStatistics`); with `keep`, the best `k` of
   * the passages it accepts (the statistics stay the whole corpus's).
   */
  searchWords(text: string, k: number, keep?: (passage: number) => boolean, statistics?: WordStatistics): LexicalHit[];
  /** BM25's statistics for the terms of `text` over the view's live passages. */
  wordStatistics(text: string): WordStatistics;
  /**
   * Both searches of a question where they run elsewhere (PostgreSQL searches in the database);
   * absent, retrieval calls `searchVectors` and `searchWords`. Same results, within rounding.
   * Unfiltered only: a search with a passage filter runs through `searchVectors` and `searchWords`.
   */
  search?(request: SearchRequest): Promise<SearchResults>;
  /**
   * A `search` of `views` (this one among them) as one corpus, BM25 with their statistics summed,
   * each view's passages numbered from its entry of `bases`; undefined where they cannot search
   * together (another kind of view, another database). Unfiltered only, as `search`.
   */
  searchTogether?(views: readonly IndexView[], bases: readonly number[]): ((request: SearchRequest) => Promise<SearchResults>) | undefined;
  /** How many documents use a name (lower case, see `namesIn`), counting up to `limit`. */
  nameDocuments(name: string, limit: number): number;
  /** How many live documents use each name (lower case) starting with `initial`. */
  nameCounts(initial: string): ReadonlyMap<string, number>;
  /** The names (lower case) that two or more documents use, of those starting with `initial`. */
  sharedNames(initial: string): readonly string[];
  /** Releases what the view holds open (files); a closed view must not be read. */
  close(): void;
}

export interface ViewExtent {
  documents: number;
  sentences: number;
  passages: number;
  rows: number;
}
