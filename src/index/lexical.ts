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

export interface LexicalHit {
  passage: number;
  score: number;
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
 * BM25 over passages, as an inverted index of typed arrays. It replaced MiniSearch after
 * measuring it: at 23k passages MiniSearch took 9 ms per query at the median and 29 ms at p95,
 * more than half of the answer's budget, and 300 ms to load; this takes about a tenth of that.
 */
export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  private readonly scores: Float32Array;
  private readonly averageLength: number;

  private constructor(
    private readonly terms: readonly string[],
    /** Start of each term's postings in `docs` and `frequencies` (one more entry than terms). */
    private readonly offsets: Int32Array,
    private readonly docs: Int32Array,
    private readonly frequencies: Uint16Array,
    private readonly lengths: Float32Array,
  ) {
    this.termIds = new Map(terms.map((term, i) => [term, i]));
    this.scores = new Float32Array(lengths.length);
    this.averageLength = lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, lengths.length);
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

  /** The best `limit` passages for the text's terms, by BM25. */
  query(text: string, limit: number): LexicalHit[] {
    const passages = this.lengths.length;
    const touched: number[] = [];
    for (const term of indexTerms(text)) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const from = this.offsets[id]!;
      const to = this.offsets[id + 1]!;
      const idf = Math.log(1 + (passages - (to - from) + 0.5) / (to - from + 0.5));
      for (let p = from; p < to; p += 1) {
        const doc = this.docs[p]!;
        const tf = this.frequencies[p]!;
        const norm = tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.averageLength);
        if (this.scores[doc] === 0) touched.push(doc);
        this.scores[doc]! += (idf * tf * (K1 + 1)) / norm;
      }
    }
    const hits = touched.map((doc) => ({ passage: doc, score: this.scores[doc]! }));
    for (const doc of touched) this.scores[doc] = 0;
    return hits.sort((a, b) => b.score - a.score || a.passage - b.passage).slice(0, limit);
  }
}
