/**
 * A view of one collection in PostgreSQL: the documents, their texts, sentences and int8 vector
 * rows are read once, in one repeatable-read transaction (a consistent snapshot, like a manifest
 * of the embedded store), so that quoting and coverage read them without a round trip. Search
 * runs in the database (`search`): pgvector's HNSW index and BM25 from the stored postings. The
 * synchronous searches (coverage's retelling candidates, tools) run over the snapshot instead.
 */
import type pg from 'pg';
import { dequantize, rowBytes } from '../embedded/rows.js';
import { SnapshotNearest } from '../snapshot-nearest.js';
import { LexicalIndex, searchBm25, wordStatistics, type LexicalPart } from '../lexical.js';
import { NameTable, sharedNamesFrom } from '../names.js';
import type { IndexView, SearchRequest, SearchResults, ViewExtent } from '../store.js';
import type { DocumentRecord, LexicalHit, PassageRecord, SentenceRecord, VectorHit, WordStatistics } from '../types.js';
import { searchDatabase } from './search.js';
import { searchCollections } from './search-together.js';
import { passageTexts } from '../embedded/input.js';

interface DocumentRow {
  doc: number;
  record: DocumentRecord;
  text: string;
  sentences: number[];
  passages: number[];
  passage_rows: Buffer;
  sentence_rows: Buffer;
  document_row: Buffer;
  names: string[];
}

export interface Snapshot {
  version: string;
  modelId: string;
  dimensions: number;
  rows: DocumentRow[];
}

/** Reads a collection's snapshot; null when the collection was never written. */
export async function readSnapshot(client: pg.PoolClient, collection: string): Promise<Snapshot | null> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const state = await client.query<{ version: string; model_id: string; dimensions: number }>(
      'SELECT version, model_id, dimensions FROM store_state WHERE collection = $1',
      [collection],
    );
    const head = state.rows[0];
    if (!head) return null;
    const documents = await client.query<DocumentRow>(
      `SELECT doc, record, text, sentences, passages, passage_rows, sentence_rows, document_row, names
         FROM documents WHERE collection = $1 ORDER BY doc`,
      [collection],
    );
    return { version: `${collection}@${head.version}`, modelId: head.model_id, dimensions: head.dimensions, rows: documents.rows };
  } finally {
    await client.query('COMMIT');
  }
}

export class PostgresView implements IndexView {
  readonly version: string;
  readonly modelId: string;
  readonly dimensions: number;
  readonly documentCount: number;
  readonly passageCount: number;
  /** The snapshot numbers every document, sentence, passage and row it holds densely (nothing removed). */
  readonly extent: ViewExtent;
  private readonly records: DocumentRecord[];
  private readonly texts: string[];
  private readonly docNumbers: number[];
  /** Per document: first sentence, first passage (one more entry than documents). */
  private readonly firstSentence: Int32Array;
  private readonly firstPassage: Int32Array;
  /** doc, start, end, paragraph per sentence; doc, first, end, first row per passage. */
  private readonly sentences: Int32Array;
  private readonly passages: Int32Array;
  private readonly sentenceRows: Int32Array;
  private readonly passageBytes: Buffer;
  private readonly sentenceBytes: Buffer;
  private readonly documentBytes: Buffer;
  private readonly names: string[][];
  /** The view's number of each database document. */
  private readonly viewDoc = new Map<number, number>();
  private byName: Map<string, number> | undefined;
  private nearest: SnapshotNearest | undefined;
  private lexical: LexicalPart | undefined;
  private nameTable: NameTable | undefined;
  private readonly shared = new Map<string, string[]>();
  private closed = false;

  constructor(
    snapshot: Snapshot,
    private readonly pool: pg.Pool,
    private readonly collection: string,
    /** Turns a failed search into what the caller shows (a lost connection: one clear line). */
    private readonly explain: (error: unknown) => unknown = (error) => error,
  ) {
    const { rows } = snapshot;
    this.version = snapshot.version;
    this.modelId = snapshot.modelId;
    this.dimensions = snapshot.dimensions;
    this.records = rows.map((r) => r.record);
    this.texts = rows.map((r) => r.text);
    this.names = rows.map((r) => r.names);
    this.docNumbers = rows.map((_, i) => i);
    rows.forEach((r, i) => this.viewDoc.set(r.doc, i));
    const sentenceCount = rows.reduce((n, r) => n + r.sentences.length / 3, 0);
    const passageCount = rows.reduce((n, r) => n + r.passages.length / 2, 0);
    this.documentCount = rows.length;
    this.passageCount = passageCount;
    this.firstSentence = new Int32Array(rows.length + 1);
    this.firstPassage = new Int32Array(rows.length + 1);
    this.sentences = new Int32Array(sentenceCount * 4);
    this.passages = new Int32Array(passageCount * 4);
    this.sentenceRows = new Int32Array(sentenceCount).fill(-1);
    let s = 0;
    let p = 0;
    let row = 0;
    rows.forEach((r, doc) => {
      this.firstSentence[doc] = s;
      this.firstPassage[doc] = p;
      for (let i = 0; i < r.sentences.length; i += 3) this.sentences.set([doc, r.sentences[i]!, r.sentences[i + 1]!, r.sentences[i + 2]!], (s + i / 3) * 4);
      for (let i = 0; i < r.passages.length; i += 2, p += 1) {
        const first = s + r.passages[i]!;
        const end = s + r.passages[i + 1]!;
        this.passages.set([doc, first, end, row], p * 4);
        // A sentence's row is its first occurrence: in the earliest passage that holds it.
        for (let at = first; at < end; at += 1, row += 1) if (this.sentenceRows[at] === -1) this.sentenceRows[at] = row;
      }
      s += r.sentences.length / 3;
    });
    this.firstSentence[rows.length] = s;
    this.firstPassage[rows.length] = p;
    this.extent = { documents: rows.length, sentences: sentenceCount, passages: passageCount, rows: row };
    this.passageBytes = Buffer.concat(rows.map((r) => r.passage_rows));
    this.sentenceBytes = Buffer.concat(rows.map((r) => r.sentence_rows));
    this.documentBytes = Buffer.concat(rows.map((r) => r.document_row));
  }

  private check(): void {
    if (this.closed) throw new Error('the index view is closed');
  }

  documentNumbers(): readonly number[] {
    return this.docNumbers;
  }

  document(doc: number): DocumentRecord {
    this.check();
    return this.records[doc]!;
  }

  findDocument(idOrPath: string): number | undefined {
    if (!this.byName) {
      this.byName = new Map();
      this.records.forEach((r, doc) => this.byName!.has(r.id) || this.byName!.set(r.id, doc));
      this.records.forEach((r, doc) => this.byName!.has(r.path) || this.byName!.set(r.path, doc));
    }
    return this.byName.get(idOrPath);
  }

  text(doc: number): string {
    this.check();
    return this.texts[doc]!;
  }

  sentenceRange(doc: number): [number, number] {
    return [this.firstSentence[doc]!, this.firstSentence[doc + 1]!];
  }

  passageRange(doc: number): [number, number] {
    return [this.firstPassage[doc]!, this.firstPassage[doc + 1]!];
  }

  sentence(s: number): SentenceRecord {
    const at = s * 4;
    return { doc: this.sentences[at]!, start: this.sentences[at + 1]!, end: this.sentences[at + 2]!, paragraph: this.sentences[at + 3]! };
  }

  passage(p: number): PassageRecord {
    const at = p * 4;
    return { doc: this.passages[at]!, first: this.passages[at + 1]!, end: this.passages[at + 2]!, sentenceRow: this.passages[at + 3]! };
  }

  sentenceRow(s: number): number {
    return this.sentenceRows[s]!;
  }

  sentenceVector(row: number): Float32Array {
    return dequantize(this.sentenceBytes, row * rowBytes(this.dimensions), this.dimensions);
  }

  passageVector(p: number): Float32Array {
    return dequantize(this.passageBytes, p * rowBytes(this.dimensions), this.dimensions);
  }

  documentVector(doc: number): Float32Array {
    return dequantize(this.documentBytes, doc * rowBytes(this.dimensions), this.dimensions);
  }

  /** Nearest passages over the snapshot's int8 rows, of those `keep` accepts (the database's index serves `search`). */
  searchVectors(vector: Float32Array, k: number, keep?: (passage: number) => boolean): VectorHit[] {
    this.check();
    return this.snapshotNearest().query(vector, k, keep);
  }

  /** Resolves once unfiltered `searchVectors` run on the snapshot's graph rather than over every vector. */
  nearestGraphReady(): Promise<void> {
    return this.snapshotNearest().graphReady();
  }

  private snapshotNearest(): SnapshotNearest {
    this.nearest ??= new SnapshotNearest(this.passageCount, this.dimensions, (p) => this.passageVector(p));
    return this.nearest;
  }

  /** The snapshot's postings, built on first use (the database keeps its own for `search`). */
  private lexicalPart(): LexicalPart {
    this.check();
    this.lexical ??= {
      index: LexicalIndex.build(
        this.records.flatMap((_, doc) => {
          const [first, end] = this.sentenceRange(doc);
          const local = (s: number) => s - first;
          const sentences = Array.from({ length: end - first }, (_, i) => this.sentence(first + i));
          const [p0, p1] = this.passageRange(doc);
          const spans = Array.from({ length: p1 - p0 }, (_, i) => this.passage(p0 + i)).map((p) => ({ first: local(p.first), end: local(p.end) }));
          return passageTexts({ text: this.texts[doc]!, sentences, passages: spans });
        }),
      ),
      base: 0,
    };
    return this.lexical;
  }

  /** BM25 over the snapshot (the database computes the same from its postings in `search`). */
  searchWords(text: string, k: number, keep?: (passage: number) => boolean, statistics?: WordStatistics): LexicalHit[] {
    return searchBm25([this.lexicalPart()], text, k, keep, statistics);
  }

  wordStatistics(text: string): WordStatistics {
    return wordStatistics([this.lexicalPart()], text);
  }

  /** Both searches in the database, as it is now: passages written since this snapshot are left out. */
  search(request: SearchRequest): Promise<SearchResults> {
    this.check();
    return searchDatabase(this.pool, this.collection, request, (doc, ord) => this.numberOf(doc, ord)).catch((error: unknown) => {
      throw this.explain(error);
    });
  }

  /** A database passage's number in this view (undefined: written since the snapshot). */
  private numberOf(doc: number, ord: number): number | undefined {
    const local = this.viewDoc.get(doc);
    return local === undefined ? undefined : this.firstPassage[local]! + ord;
  }

  /** `views` (this one among them) searched as one in the database; only PostgreSQL views of this database, each collection once. */
  searchTogether(views: readonly IndexView[], bases: readonly number[]): ((request: SearchRequest) => Promise<SearchResults>) | undefined {
    const members = views.filter((v): v is PostgresView => v instanceof PostgresView && v.pool === this.pool);
    if (members.length !== views.length || new Set(members.map((v) => v.collection)).size !== members.length) return undefined;
    const numbers = members.map((v, i) => ({ collection: v.collection, toView: (doc: number, ord: number) => {
      const local = v.numberOf(doc, ord);
      return local === undefined ? undefined : local + bases[i]!;
    } }));
    return (request) => {
      members.forEach((v) => v.check());
      return searchCollections(this.pool, numbers, request).catch((error: unknown) => {
        throw this.explain(error);
      });
    };
  }

  nameDocuments(name: string, limit: number): number {
    this.nameTable ??= NameTable.build(this.names);
    return Math.min(limit, this.nameTable.documentsOf(name).length);
  }

  nameCounts(initial: string): ReadonlyMap<string, number> {
    this.nameTable ??= NameTable.build(this.names);
    const table = this.nameTable;
    const counts = new Map<string, number>();
    for (let i = table.lowerBound(initial); i < table.names.length && table.names[i]!.startsWith(initial); i += 1) {
      counts.set(table.names[i]!, table.offsets[i + 1]! - table.offsets[i]!);
    }
    return counts;
  }

  sharedNames(initial: string): readonly string[] {
    return sharedNamesFrom(this.shared, initial, (prefix) => this.nameCounts(prefix));
  }

  close(): void {
    this.closed = true;
    this.nearest?.close();
  }
}
