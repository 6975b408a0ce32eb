import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;

export interface VectorHit {
  passage: number;
  /** Cosine similarity with the query. */
  similarity: number;
}

/** Graph settings: recall close to exact search at a 10k-passage scale, still fast to build. */
const M = 16;
const EF_CONSTRUCTION = 200;
const EF_SEARCH = 128;

/** Approximate nearest neighbours over unit vectors (hnswlib), labelled by passage number. */
export class VectorIndex {
  private constructor(private readonly index: InstanceType<typeof HierarchicalNSW>) {}

  static build(vectors: Float32Array, dimensions: number): VectorIndex {
    const count = vectors.length / dimensions;
    const index = new HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(1, count), M, EF_CONSTRUCTION, 100);
    for (let i = 0; i < count; i += 1) index.addPoint(Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions)), i);
    index.setEf(EF_SEARCH);
    return new VectorIndex(index);
  }

  static read(file: string, dimensions: number): VectorIndex {
    const index = new HierarchicalNSW('cosine', dimensions);
    index.readIndexSync(file);
    index.setEf(EF_SEARCH);
    return new VectorIndex(index);
  }

  write(file: string): void {
    this.index.writeIndexSync(file);
  }

  get size(): number {
    return this.index.getCurrentCount();
  }

  query(vector: Float32Array, limit: number): VectorHit[] {
    const k = Math.min(limit, this.size);
    if (k === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.from(vector), k);
    return neighbors.map((passage, i) => ({ passage, similarity: 1 - distances[i]! }));
  }
}
