/**
 * A segment: an immutable folder holding a batch of documents with everything search needs for
 * them. Written once (by an add or a merge) in a hidden folder, then renamed into place; never
 * changed afterwards (a removal is a tombstone in the manifest).
 *
 *   docs.json        header: the documents (record, origin, counts) and every file's size
 *   sentences.bin    int32 [doc, start, end, paragraph] per sentence
 *   passages.bin     int32 [doc, first sentence, end sentence, first sentence row] per passage
 *   passages.i8      int8 rows: one per passage            (read lazily)
 *   documents.i8     int8 rows: one per document (mean of its passages)
 *   sentences.i8     int8 rows: one per sentence occurrence in a passage
 *   texts.bin        the documents' texts, UTF-8, one after another
 *   lexical.bin      BM25 postings (LexicalIndex)
 *   passages.hnsw    the passages' vector graph (hnswlib)
 *   lines.bin        hashes of short lines, sorted, with their document (for repeated-line counts)
 *   names.bin        names (capitalised words) with the documents using each (NameTable)
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, promises as fs, writeSync } from 'node:fs';
import path from 'node:path';
import type { LexicalIndex } from '../lexical.js';
import type { NameTable } from '../names.js';
import type { DocumentRecord } from '../types.js';
import type { VectorIndex } from '../vector.js';
import { rowBytes } from './rows.js';
import { syncFolder } from '../../files.js';

export const SEGMENT_VERSION = 2;

export const FILES = {
  header: 'docs.json',
  sentences: 'sentences.bin',
  passages: 'passages.bin',
  passageRows: 'passages.i8',
  documentRows: 'documents.i8',
  sentenceRows: 'sentences.i8',
  texts: 'texts.bin',
  lexical: 'lexical.bin',
  hnsw: 'passages.hnsw',
  lines: 'lines.bin',
  names: 'names.bin',
} as const;

/** A document as its segment records it. */
export interface SegmentDocument extends DocumentRecord {
  owner: string;
  signature: string;
  fingerprint: string;
  sentences: number;
  passages: number;
  /** Sentence-vector rows (a sentence shared by two passages has two). */
  rows: number;
  textBytes: number;
}

export interface SegmentHeader {
  version: number;
  dimensions: number;
  documents: SegmentDocument[];
  sentences: number;
  passages: number;
  rows: number;
  /** Size in bytes of every other file. */
  files: Record<string, number>;
}

/** One document's share of a segment, in the segment's own numbering where it says so. */
export interface SegmentInput {
  document: Omit<SegmentDocument, 'sentences' | 'passages' | 'rows' | 'textBytes'>;
  text: Uint8Array;
  /** [start, end, paragraph] per sentence. */
  sentences: Int32Array;
  /** [first, end) per passage, as sentence numbers within the document. */
  passages: Int32Array;
  passageRows: Uint8Array;
  documentRow: Uint8Array;
  sentenceRows: Uint8Array;
  lineKeys: readonly bigint[];
}

const STREAMED = ['sentences', 'passages', 'passageRows', 'documentRows', 'sentenceRows', 'texts'] as const;

/** Writes a segment document by document into a hidden folder; `finish` completes it. */
export class SegmentWriter {
  private readonly documents: SegmentDocument[] = [];
  private readonly fds = new Map<string, number>();
  private readonly sizes: Record<string, number> = {};
  private readonly lines: { key: bigint; doc: number }[] = [];
  private sentenceCount = 0;
  private passageCount = 0;
  private rowCount = 0;

  private constructor(
    readonly folder: string,
    readonly dimensions: number,
  ) {}

  static async create(segmentsDir: string, dimensions: number): Promise<SegmentWriter> {
    const folder = path.join(segmentsDir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(folder, { recursive: true });
    const writer = new SegmentWriter(folder, dimensions);
    for (const key of STREAMED) {
      writer.fds.set(key, openSync(path.join(folder, FILES[key]), 'w'));
      writer.sizes[FILES[key]] = 0;
    }
    return writer;
  }

  get passages(): number {
    return this.passageCount;
  }

  private append(key: (typeof STREAMED)[number], bytes: Uint8Array): void {
    const fd = this.fds.get(key)!;
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    this.sizes[FILES[key]]! += bytes.byteLength;
  }

  add(input: SegmentInput): void {
    const doc = this.documents.length;
    const sentences = input.sentences.length / 3;
    const passages = input.passages.length / 2;
    const rows = input.sentenceRows.byteLength / rowBytes(this.dimensions);
    const sentenceRecords = new Int32Array(sentences * 4);
    for (let s = 0; s < sentences; s += 1) {
      sentenceRecords.set([doc, input.sentences[s * 3]!, input.sentences[s * 3 + 1]!, input.sentences[s * 3 + 2]!], s * 4);
    }
    const passageRecords = new Int32Array(passages * 4);
    let row = this.rowCount;
    for (let p = 0; p < passages; p += 1) {
      const first = input.passages[p * 2]!;
      const end = input.passages[p * 2 + 1]!;
      passageRecords.set([doc, this.sentenceCount + first, this.sentenceCount + end, row], p * 4);
      row += end - first;
    }
    if (row - this.rowCount !== rows) throw new Error(`document ${input.document.path}: ${rows} sentence rows for ${row - this.rowCount} passage sentences`);
    this.append('sentences', new Uint8Array(sentenceRecords.buffer));
    this.append('passages', new Uint8Array(passageRecords.buffer));
    this.append('passageRows', input.passageRows);
    this.append('documentRows', input.documentRow);
    this.append('sentenceRows', input.sentenceRows);
    this.append('texts', input.text);
    for (const key of input.lineKeys) this.lines.push({ key, doc });
    this.documents.push({ ...input.document, sentences, passages, rows, textBytes: input.text.byteLength });
    this.sentenceCount += sentences;
    this.passageCount += passages;
    this.rowCount += rows;
  }

  /** Writes the search structures and the header, flushes everything to disk, and names the folder. */
  async finish(vectors: VectorIndex, lexical: LexicalIndex, names: NameTable): Promise<{ header: SegmentHeader; headerSha256: string }> {
    if (vectors.size !== this.passageCount || lexical.passages !== this.passageCount) {
      throw new Error(`segment of ${this.passageCount} passages with ${vectors.size} vectors and ${lexical.passages} lexical entries`);
    }
    const write = async (file: string, bytes: Uint8Array) => {
      await fs.writeFile(path.join(this.folder, file), bytes);
      this.sizes[file] = bytes.byteLength;
    };
    await write(FILES.lexical, lexical.serialize());
    await write(FILES.names, names.serialize());
    vectors.write(path.join(this.folder, FILES.hnsw));
    this.sizes[FILES.hnsw] = (await fs.stat(path.join(this.folder, FILES.hnsw))).size;
    const lines = [...this.lines].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.doc - b.doc));
    const lineBytes = Buffer.alloc(lines.length * 12);
    lines.forEach(({ key, doc }, i) => {
      lineBytes.writeBigUInt64LE(key, i * 8);
      lineBytes.writeUInt32LE(doc, lines.length * 8 + i * 4);
    });
    await write(FILES.lines, lineBytes);
    for (const fd of this.fds.values()) {
      fdatasyncSync(fd);
      closeSync(fd);
    }
    this.fds.clear();
    for (const file of [FILES.lexical, FILES.hnsw, FILES.lines, FILES.names]) {
      const fd = openSync(path.join(this.folder, file), 'r+');
      fdatasyncSync(fd);
      closeSync(fd);
    }
    const header: SegmentHeader = {
      version: SEGMENT_VERSION,
      dimensions: this.dimensions,
      documents: this.documents,
      sentences: this.sentenceCount,
      passages: this.passageCount,
      rows: this.rowCount,
      files: this.sizes,
    };
    const headerBytes = Buffer.from(JSON.stringify(header));
    await write(FILES.header, headerBytes);
    const fd = openSync(path.join(this.folder, FILES.header), 'r+');
    fdatasyncSync(fd);
    closeSync(fd);
    const headerSha256 = createHash('sha256').update(headerBytes).digest('hex');
    return { header, headerSha256 };
  }

  /**
   * Moves the finished segment into place under a name of its own; done by the committing writer
   * (holding the lock), since a segment no manifest lists is garbage once it has a name.
   */
  async publish(): Promise<string> {
    const name = `s${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    // The files' names, then the folder's new name, reach the disk before a manifest lists it.
    await syncFolder(this.folder);
    await fs.rename(this.folder, path.join(path.dirname(this.folder), name));
    await syncFolder(path.dirname(this.folder));
    return name;
  }

  /** Gives up: removes the unfinished folder. */
  async abandon(): Promise<void> {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    await fs.rm(this.folder, { recursive: true, force: true });
  }
}
