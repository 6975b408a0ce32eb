import type { IndexView } from '../index/store.js';

export interface Candidate {
  passage: number;
  /** Reciprocal rank fusion of the vector and lexical rankings. */
  fused: number;
  /** Cosine similarity of the passage with the question. */
  similarity: number;
}

/** How many hits each retriever contributes before fusion. */
export const RETRIEVER_DEPTH = 100;
/** The usual RRF constant: damps the influence of the very top ranks. */
export const RRF_K = 60;
/** Weights of the two rankings in the fusion (1 and 1 is plain RRF). */
export const FUSION_WEIGHTS = { vector: 1, lexical: 1 } as const;

export function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[offset + i]!;
  return sum;
}

export type RetrievalMode = 'hybrid' | 'vector' | 'lexical';

/** Optional overrides, for evaluation and tuning (`npm run eval`); the defaults are the constants above. */
export interface RetrieveOptions {
  /** Hits taken from each retriever before fusion. */
  depth?: number;
  rrfK?: number;
  weights?: { vector: number; lexical: number };
}

/**
 * Vector and BM25 rankings fused by reciprocal rank, best first (searched in the database where
 * the store has one). With `keep` (a filter's passages), both searches rank only the passages it
 * accepts: they run over the view (`searchVectors`, `searchWords`), which filter during the search.
 * `queryVector` may still be on its way from the model: a store that searches elsewhere starts the
 * word search at once, so it overlaps embedding the question.
 */
export async function retrieve(
  store: IndexView,
  question: string,
  pendingVector: Float32Array | Promise<Float32Array>,
  mode: RetrievalMode = 'hybrid',
  options: RetrieveOptions = {},
  keep?: (passage: number) => boolean,
): Promise<Candidate[]> {
  const depth = options.depth ?? RETRIEVER_DEPTH;
  const rrfK = options.rrfK ?? RRF_K;
  const weights = options.weights ?? FUSION_WEIGHTS;
  const vectorK = mode === 'lexical' ? 0 : depth;
  const wordsK = mode === 'vector' ? 0 : depth;
  const inDatabase = store.search && !keep ? store.search({ vector: pendingVector, text: question, vectorK, wordsK }) : undefined;
  inDatabase?.catch(() => undefined); // awaited below, once the vector (whose failure comes first) is there
  const queryVector = await pendingVector;
  const found = inDatabase
    ? await inDatabase
    : {
        vectors: vectorK > 0 ? store.searchVectors(queryVector, vectorK, keep) : [],
        words: wordsK > 0 ? store.searchWords(question, wordsK, keep) : [],
      };
  const fused = new Map<number, number>();
  const add = (passage: number, rank: number, weight: number) =>
    fused.set(passage, (fused.get(passage) ?? 0) + weight / (rrfK + rank + 1));
  // The graph gives vector hits their exact similarity; other passages are compared by their stored vector.
  const similarity = new Map<number, number>();
  found.vectors.forEach((hit, rank) => {
    similarity.set(hit.passage, hit.similarity);
    add(hit.passage, rank, weights.vector);
  });
  found.words.forEach((hit, rank) => add(hit.passage, rank, weights.lexical));
  return [...fused.entries()]
    .map(([passage, score]) => ({ passage, fused: score, similarity: similarity.get(passage) ?? dot(queryVector, store.passageVector(passage)) }))
    .sort((a, b) => b.fused - a.fused || b.similarity - a.similarity);
}
