/**
 * An open segment. Its header and sentence and passage records are read at once (small, checked);
 * the search structures when first needed; vectors and texts never whole, row by row from open
 * files. Readers are shared by every view of the process and counted, so a view opened after a
 * write loads only the new segment, and files are closed when the last view using them closes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createError, VerbatimError, withCause } from '../../errors.js';
import { LexicalIndex } from '../lexical.js';
import { NameTable } from '../names.js';
import type { PassageRecord, SentenceRecord } from '../types.js';
import { VectorIndex } from '../vector.js';
import type { SegmentEntry } from './manifest.js';
import { LazyFile } from './rows.js';
import { FILES, SEGMENT_VERSION, type SegmentDocument, type SegmentHeader } from './segment-writer.js';

function damaged(detail: string, cause?: unknown): VerbatimError {
  const error = createError('STORE_DAMAGED', detail);
  return cause === undefined ? error : withCause(error, cause);
}

/** A file's bytes as int32s: a view when they are aligned (a file read whole is), else a copy. */
function int32s(bytes: Buffer): Int32Array {
  if (bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const copy = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}

export class SegmentReader {
  readonly documents: SegmentDocument[];
  readonly sentences: Int32Array;
  readonly passages: Int32Array;
  /** Per document, the first sentence, passage and text byte (one more entry than documents). */
  readonly firstSentence: Int32Array;
  readonly firstPassage: Int32Array;
  private readonly textStart: Float64Array;
  private readonly rows: { passages: LazyFile; documents: LazyFile; sentences: LazyFile; texts: LazyFile };
  private graph: VectorIndex | undefined;
  private postings: LexicalIndex | undefined;
  private lineTable: { keys: BigUint64Array; docs: Uint32Array } | undefined;
  private nameTable: NameTable | undefined;
  references = 0;

  constructor(
    readonly folder: string,
    readonly entry: SegmentEntry,
    readonly dimensions: number,
  ) {
    const name = entry.name;
    let headerBytes: Buffer;
    try {
      headerBytes = readFileSync(path.join(folder, FILES.header));
    } catch (cause) {
      throw damaged(`${FILES.header} of segment ${name} is missing`, cause);
    }
    if (createHash('sha256').update(headerBytes).digest('hex') !== entry.headerSha256) {
      throw damaged(`${FILES.header} of segment ${name} does not match its checksum`);
    }
    const header = JSON.parse(headerBytes.toString('utf8')) as SegmentHeader;
    if (header.version !== SEGMENT_VERSION) throw damaged(`segment ${name} is of format ${header.version}, expected ${SEGMENT_VERSION}`);
    for (const [file, bytes] of Object.entries(header.files)) {
      let size: number;
      try {
        size = statSync(path.join(folder, file)).size;
      } catch (cause) {
        throw damaged(`${file} of segment ${name} is missing`, cause);
      }
      if (size !== bytes) throw damaged(`${file} of segment ${name} is ${size} bytes, expected ${bytes}`);
    }
    this.documents = header.documents;
    this.sentences = int32s(readFileSync(path.join(folder, FILES.sentences)));
    this.passages = int32s(readFileSync(path.join(folder, FILES.passages)));
    const count = this.documents.length;
    this.firstSentence = new Int32Array(count + 1);
    this.firstPassage = new Int32Array(count + 1);
    this.textStart = new Float64Array(count + 1);
    this.documents.forEach((doc, i) => {
      this.firstSentence[i + 1] = this.firstSentence[i]! + doc.sentences;
      this.firstPassage[i + 1] = this.firstPassage[i]! + doc.passages;
      this.textStart[i + 1] = this.textStart[i]! + doc.textBytes;
    });
    if (this.sentences.length !== header.sentences * 4 || this.passages.length !== header.passages * 4) {
      throw damaged(`records of segment ${name} do not match its header`);
    }
    const open = (file: string) => new LazyFile(path.join(folder, file));
    this.rows = { passages: open(FILES.passageRows), documents: open(FILES.documentRows), sentences: open(FILES.sentenceRows), texts: open(FILES.texts) };
  }

  get passageCount(): number {
    return this.passages.length / 4;
  }

  sentence(s: number, docBase: number): SentenceRecord {
    const at = s * 4;
    return { doc: docBase + this.sentences[at]!, start: this.sentences[at + 1]!, end: this.sentences[at + 2]!, paragraph: this.sentences[at + 3]! };
  }

  passage(p: number, docBase: number, sentenceBase: number, rowBase: number): PassageRecord {
    const at = p * 4;
    return {
      doc: docBase + this.passages[at]!,
      first: sentenceBase + this.passages[at + 1]!,
      end: sentenceBase + this.passages[at + 2]!,
      sentenceRow: rowBase + this.passages[at + 3]!,
    };
  }

  /** Row of a sentence's first vector: in the earliest passage of its document that holds it. */
  sentenceRow(s: number): number {
    const doc = this.sentences[s * 4]!;
    let low = this.firstPassage[doc]!;
    let high = this.firstPassage[doc + 1]! - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.passages[middle * 4 + 2]! > s) high = middle;
      else low = middle + 1;
    }
    return this.passages[low * 4 + 3]! + (s - this.passages[low * 4 + 1]!);
  }

  text(doc: number): string {
    return this.rows.texts.text(this.textStart[doc]!, this.documents[doc]!.textBytes);
  }

  textBytes(doc: number): Buffer {
    return this.rows.texts.read(this.textStart[doc]!, this.documents[doc]!.textBytes);
  }

  passageVector(p: number): Float32Array {
    return this.rows.passages.vector(p, this.dimensions);
  }

  documentVector(doc: number): Float32Array {
    return this.rows.documents.vector(doc, this.dimensions);
  }

  sentenceVector(row: number): Float32Array {
    return this.rows.sentences.vector(row, this.dimensions);
  }

  /** Raw int8 rows, for merging without requantising. */
  rawRows(kind: 'passages' | 'documents' | 'sentences', from: number, count: number): Buffer {
    const width = 4 + this.dimensions;
    return this.rows[kind].read(from * width, count * width);
  }

  vectors(): VectorIndex {
    if (!this.graph) {
      try {
        this.graph = VectorIndex.read(path.join(this.folder, FILES.hnsw), this.dimensions);
      } catch (cause) {
        throw damaged(`${FILES.hnsw} of segment ${this.entry.name} unreadable`, cause);
      }
      if (this.graph.size !== this.passageCount) throw damaged(`${FILES.hnsw} of segment ${this.entry.name} holds ${this.graph.size} passages, expected ${this.passageCount}`);
    }
    return this.graph;
  }

  lexical(): LexicalIndex {
    if (!this.postings) {
      try {
        this.postings = LexicalIndex.deserialize(readFileSync(path.join(this.folder, FILES.lexical)));
      } catch (cause) {
        throw damaged(`${FILES.lexical} of segment ${this.entry.name} unreadable`, cause);
      }
      if (this.postings.passages !== this.passageCount) throw damaged(`${FILES.lexical} of segment ${this.entry.name} does not match its passages`);
    }
    return this.postings;
  }

  /** Short-line hashes, sorted, with the document of each. */
  lines(): { keys: BigUint64Array; docs: Uint32Array } {
    if (!this.lineTable) {
      const bytes = readFileSync(path.join(this.folder, FILES.lines));
      const count = bytes.byteLength / 12;
      const keys = new BigUint64Array(count);
      const docs = new Uint32Array(count);
      for (let i = 0; i < count; i += 1) {
        keys[i] = bytes.readBigUInt64LE(i * 8);
        docs[i] = bytes.readUInt32LE(count * 8 + i * 4);
      }
      this.lineTable = { keys, docs };
    }
    return this.lineTable;
  }

  names(): NameTable {
    if (!this.nameTable) {
      try {
        this.nameTable = NameTable.deserialize(readFileSync(path.join(this.folder, FILES.names)));
      } catch (cause) {
        throw damaged(`${FILES.names} of segment ${this.entry.name} unreadable`, cause);
      }
    }
    return this.nameTable;
  }

  close(): void {
    for (const file of Object.values(this.rows)) file.close();
  }
}

/**
 * The process's open segments. A reader no view uses stays open while its segment is current (a
 * write, then the view after it, then the next write reuse it instead of reading it again); it
 * is closed once a manifest without its segment is read, or a newer reader replaces it.
 */
const open = new Map<string, SegmentReader>();

function closeIfIdle(reader: SegmentReader): void {
  if (reader.references > 0) return;
  reader.close();
  if (open.get(reader.folder) === reader) open.delete(reader.folder);
}

/** Readers of the segments a manifest lists, counted until `releaseSegment`; idle readers of segments it no longer lists close. */
export function acquireSegments(segmentsDir: string, entries: readonly SegmentEntry[], dimensions: number): SegmentReader[] {
  const folders = new Set(entries.map((e) => path.resolve(segmentsDir, e.name)));
  const root = path.resolve(segmentsDir);
  for (const reader of [...open.values()]) if (path.dirname(reader.folder) === root && !folders.has(reader.folder)) closeIfIdle(reader);
  const readers: SegmentReader[] = [];
  try {
    for (const entry of entries) {
      const folder = path.resolve(segmentsDir, entry.name);
      let reader = open.get(folder);
      if (!reader || reader.entry.headerSha256 !== entry.headerSha256) {
        if (reader) closeIfIdle(reader);
        reader = new SegmentReader(folder, entry, dimensions);
        open.set(folder, reader);
      }
      reader.references += 1;
      readers.push(reader);
    }
    return readers;
  } catch (error) {
    readers.forEach(releaseSegment);
    throw error;
  }
}

export function releaseSegment(reader: SegmentReader): void {
  reader.references -= 1;
  // A reader replaced by a newer one (same folder, another header) has no further use.
  if (open.get(reader.folder) !== reader) closeIfIdle(reader);
}
