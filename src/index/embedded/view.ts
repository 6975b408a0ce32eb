/**
 * A view over the segments one manifest lists: they are numbered one after another (documents,
 * sentences, passages and sentence rows each have their own count), and the documents the
 * manifest marks as removed are left out of listings and search. The view is fixed: a later
 * write makes a new manifest and a new view, while this one keeps answering.
 */
import { searchBm25, wordStatistics, type LexicalPart } from '../lexical.js';
import { sharedNamesFrom } from '../names.js';
import type { IndexView, ViewExtent } from '../store.js';
import type { DocumentRecord, LexicalHit, PassageRecord, SentenceRecord, VectorHit, WordStatistics } from '../types.js';
import type { Manifest } from './manifest.js';
import { releaseSegment, type SegmentReader } from './segment-reader.js';

interface Part {
  reader: SegmentReader;
  docBase: number;
  sentenceBase: number;
  passageBase: number;
  rowBase: number;
  /** Removed documents of the segment, and their passages (1 = removed). */
  deadDocuments: Set<number>;
  deadPassages: Uint8Array | undefined;
  deadPassageCount: number;
  lexical: LexicalPart | undefined;
}

/** Index of the last part whose `key` is at most `n`. */
function locate(parts: readonly Part[], key: 'docBase' | 'sentenceBase' | 'passageBase' | 'rowBase', n: number): number {
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (parts[middle]![key] <= n) low = middle;
    else high = middle - 1;
  }
  return low;
}

export class SegmentedView implements IndexView {
  private readonly parts: Part[] = [];
  readonly documentCount: number;
  readonly passageCount: number;
  readonly extent: ViewExtent;
  private live: number[] | undefined;
  private readonly shared = new Map<string, string[]>();
  private byName: Map<string, number> | undefined;
  private closed = false;

  constructor(
    readonly version: string,
    readonly manifest: Manifest,
    readers: readonly SegmentReader[],
  ) {
    let docBase = 0;
    let sentenceBase = 0;
    let passageBase = 0;
    let rowBase = 0;
    manifest.segments.forEach((entry, i) => {
      const reader = readers[i]!;
      const deadDocuments = new Set(entry.dead);
      let deadPassages: Uint8Array | undefined;
      let deadPassageCount = 0;
      if (deadDocuments.size > 0) {
        deadPassages = new Uint8Array(reader.passageCount);
        for (const doc of deadDocuments) {
          deadPassages.fill(1, reader.firstPassage[doc]!, reader.firstPassage[doc + 1]!);
          deadPassageCount += reader.firstPassage[doc + 1]! - reader.firstPassage[doc]!;
        }
      }
      this.parts.push({ reader, docBase, sentenceBase, passageBase, rowBase, deadDocuments, deadPassages, deadPassageCount, lexical: undefined });
      docBase += reader.documents.length;
      sentenceBase += reader.sentences.length / 4;
      passageBase += reader.passageCount;
      rowBase += reader.documents.reduce((n, d) => n + d.rows, 0);
    });
    this.extent = { documents: docBase, sentences: sentenceBase, passages: passageBase, rows: rowBase };
    this.documentCount = this.parts.reduce((n, p) => n + p.reader.documents.length - p.deadDocuments.size, 0);
    this.passageCount = this.parts.reduce((n, p) => n + p.reader.passageCount - p.deadPassageCount, 0);
  }

  get modelId(): string {
    return this.manifest.modelId;
  }

  get dimensions(): number {
    return this.manifest.dimensions;
  }

  /** Loads every segment's search structures now (so that damage shows at opening, not mid-question). */
  load(): this {
    for (const part of this.parts) {
      part.reader.vectors();
      part.lexical = { index: part.reader.lexical(), base: part.passageBase, ...(part.deadPassages ? { dead: part.deadPassages } : {}) };
    }
    return this;
  }

  private part(key: 'docBase' | 'sentenceBase' | 'passageBase' | 'rowBase', n: number): Part {
    if (this.closed) throw new Error('the index view is closed');
    return this.parts[locate(this.parts, key, n)]!;
  }

  documentNumbers(): readonly number[] {
    this.live ??= this.parts.flatMap((part) =>
      part.reader.documents.map((_, i) => i).filter((i) => !part.deadDocuments.has(i)).map((i) => part.docBase + i),
    );
    return this.live;
  }

  document(doc: number): DocumentRecord {
    const part = this.part('docBase', doc);
    return part.reader.documents[doc - part.docBase]!;
  }

  findDocument(idOrPath: string): number | undefined {
    if (!this.byName) {
      this.byName = new Map();
      for (const doc of this.documentNumbers()) {
        const record = this.document(doc);
        if (!this.byName.has(record.id)) this.byName.set(record.id, doc);
      }
      for (const doc of this.documentNumbers()) {
        const record = this.document(doc);
        if (!this.byName.has(record.path)) this.byName.set(record.path, doc);
      }
    }
    return this.byName.get(idOrPath);
  }

  text(doc: number): string {
    const part = this.part('docBase', doc);
    return part.reader.text(doc - part.docBase);
  }

  sentenceRange(doc: number): [number, number] {
    const part = this.part('docBase', doc);
    const local = doc - part.docBase;
    return [part.sentenceBase + part.reader.firstSentence[local]!, part.sentenceBase + part.reader.firstSentence[local + 1]!];
  }

  passageRange(doc: number): [number, number] {
    const part = this.part('docBase', doc);
    const local = doc - part.docBase;
    return [part.passageBase + part.reader.firstPassage[local]!, part.passageBase + part.reader.firstPassage[local + 1]!];
  }

  sentence(s: number): SentenceRecord {
    const part = this.part('sentenceBase', s);
    return part.reader.sentence(s - part.sentenceBase, part.docBase);
  }

  passage(p: number): PassageRecord {
    const part = this.part('passageBase', p);
    return part.reader.passage(p - part.passageBase, part.docBase, part.sentenceBase, part.rowBase);
  }

  sentenceRow(s: number): number {
    const part = this.part('sentenceBase', s);
    return part.rowBase + part.reader.sentenceRow(s - part.sentenceBase);
  }

  sentenceVector(row: number): Float32Array {
    const part = this.part('rowBase', row);
    return part.reader.sentenceVector(row - part.rowBase);
  }

  passageVector(p: number): Float32Array {
    const part = this.part('passageBase', p);
    return part.reader.passageVector(p - part.passageBase);
  }

  documentVector(doc: number): Float32Array {
    const part = this.part('docBase', doc);
    return part.reader.documentVector(doc - part.docBase);
  }

  /**
   * Each segment's nearest passages, merged: removed ones (and those `keep` refuses) are passed over
   * during the graph search, so each segment still gives its best `k`.
   */
  searchVectors(vector: Float32Array, k: number, keep?: (passage: number) => boolean): VectorHit[] {
    if (this.closed) throw new Error('the index view is closed');
    const hits: VectorHit[] = [];
    for (const part of this.parts) {
      const { deadPassages, passageBase } = part;
      const accept = keep || deadPassages ? (p: number) => !deadPassages?.[p] && (!keep || keep(passageBase + p)) : undefined;
      for (const hit of part.reader.vectors().query(vector, k, accept)) hits.push({ passage: passageBase + hit.passage, similarity: hit.similarity });
    }
    return hits.sort((a, b) => b.similarity - a.similarity || a.passage - b.passage).slice(0, k);
  }

  private lexicalParts(): LexicalPart[] {
    if (this.closed) throw new Error('the index view is closed');
    for (const part of this.parts) {
      part.lexical ??= { index: part.reader.lexical(), base: part.passageBase, ...(part.deadPassages ? { dead: part.deadPassages } : {}) };
    }
    return this.parts.map((p) => p.lexical!);
  }

  searchWords(text: string, k: number, keep?: (passage: number) => boolean, statistics?: WordStatistics): LexicalHit[] {
    return searchBm25(this.lexicalParts(), text, k, keep, statistics);
  }

  wordStatistics(text: string): WordStatistics {
    return wordStatistics(this.lexicalParts(), text);
  }

  nameDocuments(name: string, limit: number): number {
    let count = 0;
    for (const part of this.parts) {
      for (const doc of part.reader.names().documentsOf(name)) {
        if (!part.deadDocuments.has(doc)) count += 1;
        if (count >= limit) return count;
      }
    }
    return count;
  }

  nameCounts(initial: string): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const part of this.parts) {
      const table = part.reader.names();
      for (let i = table.lowerBound(initial); i < table.names.length && table.names[i]!.startsWith(initial); i += 1) {
        let live = 0;
        for (let at = table.offsets[i]!; at < table.offsets[i + 1]!; at += 1) if (!part.deadDocuments.has(table.docs[at]!)) live += 1;
        if (live > 0) counts.set(table.names[i]!, (counts.get(table.names[i]!) ?? 0) + live);
      }
    }
    return counts;
  }

  sharedNames(initial: string): readonly string[] {
    return sharedNamesFrom(this.shared, initial, (prefix) => this.nameCounts(prefix));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const part of this.parts) releaseSegment(part.reader);
  }
}
