import type { Store } from '../index/store.js';

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
const RRF_K = 60;

export function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[offset + i]!;
  return sum;
}

export type RetrievalMode = 'hybrid' | 'vector' | 'lexical';

/** Vector (hnswlib) and BM25 rankings fused by reciprocal rank, best first. */
export function retrieve(store: Store, question: string, queryVector: Float32Array, mode: RetrievalMode = 'hybrid'): Candidate[] {
  const fused = new Map<number, number>();
  const add = (passage: number, rank: number) => fused.set(passage, (fused.get(passage) ?? 0) + 1 / (RRF_K + rank + 1));
  if (mode !== 'lexical') store.vectors.query(queryVector, RETRIEVER_DEPTH).forEach((hit, rank) => add(hit.passage, rank));
  if (mode !== 'vector') store.lexical.query(question, RETRIEVER_DEPTH).forEach((hit, rank) => add(hit.passage, rank));
  const dims = store.manifest.dimensions;
  return [...fused.entries()]
    .map(([passage, score]) => ({ passage, fused: score, similarity: dot(queryVector, store.data.passageVectors, passage * dims) }))
    .sort((a, b) => b.fused - a.fused || b.similarity - a.similarity);
}
