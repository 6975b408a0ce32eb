/**
 * Ranking metrics as BEIR computes them (pytrec_eval): nDCG with linear gains and log2 discounts,
 * the ideal ranking taken from all judged relevant documents; recall over documents graded > 0.
 */

/** A ranking's scores over a query set (means). */
export interface RankingScores {
  queries: number;
  ndcg10: number;
  recall100: number;
  mrr10: number;
}

/** nDCG@k of one ranking. `judged` maps document id → grade; unjudged documents have gain 0. */
export function ndcgAtK(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  const seen = new Set<string>();
  let position = 0;
  for (const id of ranked) {
    if (position >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    const gain = judged.get(id) ?? 0;
    if (gain > 0) dcg += gain / Math.log2(position + 2);
    position += 1;
  }
  const ideal = [...judged.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

/** Share of the relevant documents found in the first k of the ranking. */
export function recallAtK(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  const relevant = [...judged.entries()].filter(([, g]) => g > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** Reciprocal rank of the first relevant document within the first k (0 when none). */
export function mrrAtK(ranked: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  const i = ranked.slice(0, k).findIndex((id) => (judged.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/**
 * Documents in the order of their best passage: a document's score is its best passage's, so it
 * takes the rank of its first appearance in the passage ranking.
 */
export function documentRanking(passageDocs: Iterable<string>): string[] {
  return [...new Set(passageDocs)];
}

/** A small seeded generator (mulberry32), so samples are the same on every machine and run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` items drawn without replacement by a seeded shuffle, kept in their original order. */
export function seededSample<T>(items: readonly T[], count: number, seed: number): T[] {
  if (count >= items.length) return [...items];
  const random = seededRandom(seed);
  const indices = items.map((_, i) => i);
  for (let i = indices.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/** Whether a quote contains an answer string, compared case-insensitively with white space folded. */
export function containsAnswer(quote: string, answers: readonly string[]): boolean {
  const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const text = fold(quote);
  return answers.some((answer) => {
    const a = fold(answer);
    return a !== '' && text.includes(a);
  });
}

/** The p-th percentile of ascending `sorted` values (nearest rank). */
export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** `x` rounded to `digits` decimals, for reports. */
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
