import { searchBm25 } from './bm25.js';
import { normalizeTerm, tokenizeWords } from './terms.js';
import type { LexicalHit } from './types.js';

export { indexTerms, normalizeTerm, tokenizeWords } from './terms.js';
export { addWordStatistics, searchBm25, wordStatistics, type LexicalPart } from './bm25.js';

interface Header {
  passages: number;
  terms: string[];
  /** Number of passages containing each term, in `terms` order. */
  counts: number[];
}

/**
 * The postings of one part of the index (a segment): for each term, the passages containing it
 * and how often, as typed arrays. Scoring is `searchBm25`'s, over all parts at once, so that the
 * statistics are the collection's and not the part's. It replaced MiniSearch after measuring it:
 * at 23k passages MiniSearch took 9 ms per query at the median and 29 ms at p95, more than half
 * of the answer's budget, and 300 ms to load; this takes about a tenth of that.
 */
export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  /** Scratch space for scoring, one slot per passage: scores, and which passages have one. */
  readonly scores: Float32Array;
  readonly touched: Int32Array;
  touchedCount = 0;

  private constructor(
    readonly terms: readonly string[],
    /** Start of each term's postings in `docs` and `frequencies` (one more entry than terms). */
    readonly offsets: Int32Array,
    readonly docs: Int32Array,
    readonly frequencies: Uint16Array,
    readonly lengths: Float32Array,
  ) {
    this.termIds = new Map(terms.map((term, i) => [term, i]));
    this.scores = new Float32Array(lengths.length);
    this.touched = new Int32Array(lengths.length);
  }

  get passages(): number {
    return this.lengths.length;
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  static build(passageTexts: readonly string[]): LexicalIndex {
    const postings = new Map<string, { docs: number[]; frequencies: number[] }>();
    const lengths = new Float32Array(passageTexts.length);
    passageTexts.forEach((text, doc) => {
      const counts = new Map<string, number>();
      for (const word of tokenizeWords(text)) {
        const term = normalizeTerm(word);
        if (term !== null) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      lengths[doc] = [...counts.values()].reduce((a, b) => a + b, 0);
      for (const [term, frequency] of counts) {
        const list = postings.get(term) ?? { docs: [], frequencies: [] };
        list.docs.push(doc);
        list.frequencies.push(Math.min(frequency, 65535));
        postings.set(term, list);
      }
    });
    const terms = [...postings.keys()];
    const offsets = new Int32Array(terms.length + 1);
    terms.forEach((term, i) => (offsets[i + 1] = offsets[i]! + postings.get(term)!.docs.length));
    const docs = new Int32Array(offsets[terms.length]!);
    const frequencies = new Uint16Array(docs.length);
    terms.forEach((term, i) => {
      const list = postings.get(term)!;
      docs.set(list.docs, offsets[i]!);
      frequencies.set(list.frequencies, offsets[i]!);
    });
    return new LexicalIndex(terms, offsets, docs, frequencies, lengths);
  }

  /**
   * Joins parts into one without reading any text: `map` takes each part's passage to its number
   * in the result (-1 drops it). Parts come in the order of their passages in the result, so each
   * term's postings stay sorted.
   */
  static merge(parts: readonly { index: LexicalIndex; map: Int32Array }[], passages: number): LexicalIndex {
    const lengths = new Float32Array(passages);
    const where = new Map<string, [part: number, id: number][]>();
    parts.forEach(({ index, map }, part) => {
      index.lengths.forEach((length, p) => {
        if (map[p]! >= 0) lengths[map[p]!] = length;
      });
      index.terms.forEach((term, id) => {
        const list = where.get(term);
        if (list) list.push([part, id]);
        else where.set(term, [[part, id]]);
      });
    });
    const terms: string[] = [];
    const docs: number[] = [];
    const frequencies: number[] = [];
    const offsets: number[] = [0];
    for (const [term, list] of where) {
      for (const [part, id] of list) {
        const { index, map } = parts[part]!;
        for (let at = index.offsets[id]!; at < index.offsets[id + 1]!; at += 1) {
          const to = map[index.docs[at]!]!;
          if (to < 0) continue;
          docs.push(to);
          frequencies.push(index.frequencies[at]!);
        }
      }
      if (docs.length === offsets[offsets.length - 1]) continue; // only dropped passages had it
      terms.push(term);
      offsets.push(docs.length);
    }
    return new LexicalIndex(terms, Int32Array.from(offsets), Int32Array.from(docs), Uint16Array.from(frequencies), lengths);
  }

  /** One buffer: a JSON header (terms and their passage counts), then the postings and lengths. */
  serialize(): Uint8Array {
    const header: Header = {
      passages: this.lengths.length,
      terms: [...this.terms],
      counts: this.terms.map((_, i) => this.offsets[i + 1]! - this.offsets[i]!),
    };
    const json = Buffer.from(JSON.stringify(header));
    const size = Buffer.alloc(4);
    size.writeUInt32LE(json.byteLength, 0);
    // Padding keeps the typed arrays aligned when they are read back.
    const padding = Buffer.alloc((4 - ((4 + json.byteLength) % 4)) % 4);
    const parts = [this.docs, this.lengths, this.frequencies].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    return Buffer.concat([size, json, padding, ...parts]);
  }

  static deserialize(bytes: Uint8Array): LexicalIndex {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString('utf8')) as Header;
    let at = 4 + headerLength;
    at += (4 - (at % 4)) % 4;
    const total = header.counts.reduce((a, b) => a + b, 0);
    // Typed arrays over the bytes as they are where they are aligned (a file read whole is), else copies.
    const take = <T>(length: number, width: number, make: (buffer: ArrayBuffer, offset: number, length: number) => T): T => {
      const offset = buffer.byteOffset + at;
      at += length * width;
      if (offset % width === 0 && at <= buffer.byteLength) return make(buffer.buffer as ArrayBuffer, offset, length);
      const copy = new Uint8Array(length * width);
      copy.set(buffer.subarray(at - length * width, at));
      return make(copy.buffer, 0, length);
    };
    const docs = take(total, 4, (b, o, n) => new Int32Array(b, o, n));
    const lengths = take(header.passages, 4, (b, o, n) => new Float32Array(b, o, n));
    const frequencies = take(total, 2, (b, o, n) => new Uint16Array(b, o, n));
    if (at !== buffer.byteLength) throw new Error(`lexical index is ${buffer.byteLength} bytes, expected ${at}`);
    const offsets = new Int32Array(header.terms.length + 1);
    header.counts.forEach((count, i) => (offsets[i + 1] = offsets[i]! + count));
    return new LexicalIndex(header.terms, offsets, docs, frequencies, lengths);
  }

  /** The best `limit` passages of this index alone, by BM25. */
  query(text: string, limit: number): LexicalHit[] {
    return searchBm25([{ index: this, base: 0 }], text, limit);
  }
}
