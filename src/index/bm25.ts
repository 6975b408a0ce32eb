/**
 * BM25 over a collection made of parts (segments), with the collection's statistics: passage
 * count, average length and document frequencies over every live passage of every part, so a
 * passage scores the same however the collection happens to be split.
 */
import { indexTerms } from './terms.js';
import type { LexicalHit, WordStatistics } from './types.js';

/** Classic BM25 constants (as Lucene and Anserini use them). */
const K1 = 1.2;
const B = 0.75;

/** What scoring needs of a part's postings (LexicalIndex has them). */
export interface Postings {
  readonly passages: number;
  readonly terms: readonly string[];
  readonly offsets: Int32Array;
  readonly docs: Int32Array;
  readonly frequencies: Uint16Array;
  readonly lengths: Float32Array;
  /** Scratch space, one slot per passage: scores, and which passages have one. */
  readonly scores: Float32Array;
  readonly touched: Int32Array;
  touchedCount: number;
  termId(term: string): number | undefined;
}

/** One part of a collection as search sees it: its postings, where its passages start, and which are gone. */
export interface LexicalPart {
  index: Postings;
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
 * The statistics BM25 needs for the query's terms (in `indexTerms(text)` order) over every live
 * passage of the parts. Statistics of several collections add up, so that views searched as one
 * corpus (`searchBm25(..., statistics)` with the sum) score exactly as one collection would.
 */
export function wordStatistics(parts: readonly LexicalPart[], text: string): WordStatistics {
  const stats = parts.map(statisticsOf);
  const terms = indexTerms(text);
  return {
    passages: stats.reduce((n, s) => n + s.passages, 0),
    length: stats.reduce((n, s) => n + s.length, 0),
    frequencies: terms.map((term) =>
      parts.reduce((frequency, part, i) => {
        const id = part.index.termId(term);
        if (id === undefined) return frequency;
        return frequency + (stats[i]!.documentFrequency?.[id] ?? part.index.offsets[id + 1]! - part.index.offsets[id]!);
      }, 0),
    ),
  };
}

/** Adds up the statistics of several collections searched as one. */
export function addWordStatistics(all: readonly WordStatistics[]): WordStatistics {
  return {
    passages: all.reduce((n, s) => n + s.passages, 0),
    length: all.reduce((n, s) => n + s.length, 0),
    frequencies: (all[0]?.frequencies ?? []).map((_, t) => all.reduce((n, s) => n + (s.frequencies[t] ?? 0), 0)),
  };
}

/**
 * The best `limit` passages of a collection made of parts, by BM25 with the collection's own
 * statistics (passage count, average length, document frequencies over every live passage), so
 * a passage scores the same however the collection happens to be split into parts; or with
 * `statistics` given, those of a larger corpus this collection is searched as part of.
 */
export function searchBm25(
  parts: readonly LexicalPart[],
  text: string,
  limit: number,
  keep?: (passage: number) => boolean,
  statistics: WordStatistics = wordStatistics(parts, text),
): LexicalHit[] {
  const { passages, frequencies } = statistics;
  const averageLength = statistics.length / Math.max(1, passages);
  const terms = indexTerms(text);
  const ids = parts.map(({ index }) => terms.map((term) => index.termId(term)));
  terms.forEach((_, t) => {
    const frequency = frequencies[t] ?? 0;
    if (frequency === 0) return;
    const idf = Math.log(1 + (passages - frequency + 0.5) / (frequency + 0.5));
    parts.forEach((part, i) => {
      const id = ids[i]![t];
      if (id === undefined) return;
      const { index, dead, base } = part;
      for (let at = index.offsets[id]!; at < index.offsets[id + 1]!; at += 1) {
        const doc = index.docs[at]!;
        // Statistics stay the collection's; a filter only decides which passages compete.
        if (dead?.[doc] || (keep && !keep(base + doc))) continue;
        const tf = index.frequencies[at]!;
        const norm = tf + K1 * (1 - B + (B * index.lengths[doc]!) / averageLength);
        if (index.scores[doc] === 0) index.touched[index.touchedCount++] = doc;
        index.scores[doc]! += (idf * tf * (K1 + 1)) / norm;
      }
    });
  });
  const best = new TopK(limit);
  for (const { index, base } of parts) {
    for (let j = 0; j < index.touchedCount; j += 1) {
      const doc = index.touched[j]!;
      best.offer(index.scores[doc]!, base + doc);
      index.scores[doc] = 0;
    }
    index.touchedCount = 0;
  }
  return best.sorted();
}

/**
 * The best `k` of a stream of (score, passage), higher score first and the lower passage number
 * on ties, without keeping the rest: a heap whose root is the worst kept.
 */
class TopK {
  private readonly scores: Float64Array;
  private readonly passages: Int32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(Math.max(0, k));
    this.passages = new Int32Array(Math.max(0, k));
  }

  /** Whether entry `a` ranks below entry `b`. */
  private worse(a: number, b: number): boolean {
    return this.scores[a]! < this.scores[b]! || (this.scores[a] === this.scores[b] && this.passages[a]! > this.passages[b]!);
  }

  private swap(a: number, b: number): void {
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
    [this.passages[a], this.passages[b]] = [this.passages[b]!, this.passages[a]!];
  }

  private down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.size && this.worse(left, worst)) worst = left;
      if (right < this.size && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  offer(score: number, passage: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.scores[i] = score;
      this.passages[i] = passage;
      while (i > 0 && this.worse(i, (i - 1) >> 1)) {
        this.swap(i, (i - 1) >> 1);
        i = (i - 1) >> 1;
      }
      return;
    }
    if (score < this.scores[0]! || (score === this.scores[0] && passage > this.passages[0]!)) return;
    this.scores[0] = score;
    this.passages[0] = passage;
    this.down(0);
  }

  sorted(): LexicalHit[] {
    const hits: LexicalHit[] = [];
    for (let i = 0; i < this.size; i += 1) hits.push({ passage: this.passages[i]!, score: this.scores[i]! });
    return hits.sort((a, b) => b.score - a.score || a.passage - b.passage);
  }
}
