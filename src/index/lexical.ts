import type { LexicalHit } from './types.js';
import { stemmer } from 'stemmer';

/** Common English words that carry no topic: BM25 gains nothing from them. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to was we were what when ' +
    'where which while who whom why will with would you your about after also any because before being both during each ' +
    'few further here just more most much nor off once only other over own same should some such through too under until ' +
    'up very s t'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu;

/** Splits text into search terms: lower case, numbers kept whole ("1,000" is "1000"), no possessive "'s". */
export function tokenizeWords(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) =>
    word
      .toLowerCase()
      .replace(/['’]s$/u, '')
      .replace(/(?<=\d)[,.](?=\d{3}\b)/g, ''),
  );
}

/** A word as the index stores it: stemmed, or null for a stopword. */
export function normalizeTerm(term: string): string | null {
  if (STOPWORDS.has(term)) return null;
  return /^\p{L}+$/u.test(term) ? stemmer(term) : term;
}

/** The distinct index terms of a text. */
export function indexTerms(text: string): string[] {
  return [...new Set(tokenizeWords(text).map(normalizeTerm).filter((t): t is string => t !== null))];
}

/** Classic BM25 constants (as Lucene and Anserini use them). */
const K1 = 1.2;
const B = 0.75;

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
  /** Scratch space for scoring, one slot per passage. */
  readonly scores: Float32Array;

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
    const copy = (length: number, width: number) => {
      const out = new Uint8Array(length * width);
      out.set(buffer.subarray(at, at + length * width));
      at += length * width;
      return out.buffer;
    };
    const docs = new Int32Array(copy(total, 4));
    const lengths = new Float32Array(copy(header.passages, 4));
    const frequencies = new Uint16Array(copy(total, 2));
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

/** One part of a collection as search sees it: its postings, where its passages start, and which are gone. */
export interface LexicalPart {
  index: LexicalIndex;
  /** Number of the part's first passage in the collection. */
  base: number;
  /** Passages of removed documents (1), left out of statistics and results. */
  dead?: Uint8Array;
}

/** What removed passages take out of a part's statistics, computed once per view. */
interface LiveStatistics {
  passages: number;
  length: number;
  /** Live passages per term, when some passages are dead. */
  documentFrequency: Int32Array | null;
}

const liveStatistics = new WeakMap<LexicalPart, LiveStatistics>();

function statisticsOf(part: LexicalPart): LiveStatistics {
  let stats = liveStatistics.get(part);
  if (stats) return stats;
  const { index, dead } = part;
  let passages = 0;
  let length = 0;
  for (let p = 0; p < index.passages; p += 1) {
    if (dead?.[p]) continue;
    passages += 1;
    length += index.lengths[p]!;
  }
  let documentFrequency: Int32Array | null = null;
  if (dead && passages < index.passages) {
    documentFrequency = new Int32Array(index.terms.length);
    for (let id = 0; id < index.terms.length; id += 1) {
      let n = 0;
      for (let at = index.offsets[id]!; at < index.offsets[id + 1]!; at += 1) if (!dead[index.docs[at]!]) n += 1;
      documentFrequency[id] = n;
    }
  }
  stats = { passages, length, documentFrequency };
  liveStatistics.set(part, stats);
  return stats;
}

/**
 * The best `limit` passages of a collection made of parts, by BM25 with the collection's own
 * statistics (passage count, average length, document frequencies over every live passage), so
 * a passage scores the same however the collection happens to be split into parts.
 */
export function searchBm25(parts: readonly LexicalPart[], text: string, limit: number): LexicalHit[] {
  const stats = parts.map(statisticsOf);
  const passages = stats.reduce((n, s) => n + s.passages, 0);
  const averageLength = stats.reduce((n, s) => n + s.length, 0) / Math.max(1, passages);
  const hits: LexicalHit[] = [];
  const terms = indexTerms(text);
  const ids = parts.map(({ index }) => terms.map((term) => index.termId(term)));
  terms.forEach((_, t) => {
    let frequency = 0;
    parts.forEach((part, i) => {
      const id = ids[i]![t];
      if (id === undefined) return;
      frequency += stats[i]!.documentFrequency?.[id] ?? part.index.offsets[id + 1]! - part.index.offsets[id]!;
    });
    if (frequency === 0) return;
    const idf = Math.log(1 + (passages - frequency + 0.5) / (frequency + 0.5));
    parts.forEach((part, i) => {
      const id = ids[i]![t];
      if (id === undefined) return;
      const { index, dead } = part;
      for (let at = index.offsets[id]!; at < index.offsets[id + 1]!; at += 1) {
        const doc = index.docs[at]!;
        if (dead?.[doc]) continue;
        const tf = index.frequencies[at]!;
        const norm = tf + K1 * (1 - B + (B * index.lengths[doc]!) / averageLength);
        if (index.scores[doc] === 0) hits.push({ passage: part.base + doc, score: 0 });
        index.scores[doc]! += (idf * tf * (K1 + 1)) / norm;
      }
    });
  });
  for (const hit of hits) {
    const part = partOf(parts, hit.passage);
    const local = hit.passage - part.base;
    hit.score = part.index.scores[local]!;
    part.index.scores[local] = 0;
  }
  return hits.sort((a, b) => b.score - a.score || a.passage - b.passage).slice(0, limit);
}

function partOf(parts: readonly LexicalPart[], passage: number): LexicalPart {
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (parts[middle]!.base <= passage) low = middle;
    else high = middle - 1;
  }
  return parts[low]!;
}
