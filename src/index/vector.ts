import hnswlib from 'hnswlib-node';
import type { VectorHit } from './types.js';

const { HierarchicalNSW } = hnswlib;

/** Graph settings: recall close to exact search at a 10k-passage scale, still fast to build. */
const M = 16;
const EF_CONSTRUCTION = 200;
const EF_SEARCH = 128;

export interface GraphSettings {
  m: number;
  efConstruction: number;
  efSearch: number;
}

export interface BuildOptions {
  /** Pauses after this many points, so that other work (answering questions) runs during a long build. */
  yieldEvery?: number;
  /** How to pause (the next turn of the event loop by default); a pause that throws ends the build. */
  pause?: () => Promise<void>;
  graph?: GraphSettings;
}

/** Approximate nearest neighbours over unit vectors (hnswlib), labelled by passage number. */
export class VectorIndex {
  private constructor(
    private readonly index: InstanceType<typeof HierarchicalNSW>,
    readonly dimensions: number,
  ) {}

  /** Builds a graph from `count` vectors given by `vectorOf` (see `BuildOptions`). */
  static async build(count: number, dimensions: number, vectorOf: (i: number) => ArrayLike<number>, options: BuildOptions = {}): Promise<VectorIndex> {
    const { yieldEvery = 0, pause = () => new Promise<void>((resolve) => setImmediate(resolve)) } = options;
    const graph = options.graph ?? { m: M, efConstruction: EF_CONSTRUCTION, efSearch: EF_SEARCH };
    const index = new HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(1, count), graph.m, graph.efConstruction, 100);
    for (let i = 0; i < count; i += 1) {
      index.addPoint(Array.from(vectorOf(i)), i);
      if (yieldEvery > 0 && (i + 1) % yieldEvery === 0) await pause();
    }
    index.setEf(graph.efSearch);
    return new VectorIndex(index, dimensions);
  }

  static read(file: string, dimensions: number): VectorIndex {
    const index = new HierarchicalNSW('cosine', dimensions);
    index.readIndexSync(file);
    index.setEf(EF_SEARCH);
    return new VectorIndex(index, dimensions);
  }

  write(file: string): void {
    this.index.writeIndexSync(file);
  }

  get size(): number {
    return this.index.getCurrentCount();
  }

  /** The stored vector of a passage (as added: unit length). */
  point(passage: number): number[] {
    return this.index.getPoint(passage);
  }

  /** The nearest `limit` passages that `keep` accepts (hnswlib filters while it walks the graph). */
  query(vector: Float32Array, limit: number, keep?: (passage: number) => boolean): VectorHit[] {
    const k = Math.min(limit, this.size);
    if (k === 0) return [];
    const { neighbors, distances } = keep ? this.index.searchKnn(Array.from(vector), k, keep) : this.index.searchKnn(Array.from(vector), k);
    return neighbors.map((passage, i) => ({ passage, similarity: 1 - distances[i]! }));
  }
}
