/**
 * Nearest passages over vectors a view holds in memory without a graph of its own (PostgreSQL's
 * snapshot), for the searches that must answer at once: coverage's search for retellings, about
 * three an answer, and filtered questions. Exact from the first search (hnswlib's brute-force
 * search, 4 ms over SciFact's 23,494 passages, more on a busy machine: it reads every vector).
 * The first search also starts building a graph, a hundred points at a time between other work;
 * once it is there it serves the unfiltered searches, in a fraction of a millisecond, as the
 * embedded store's graphs do (approximate like theirs: measured recall of the nearest 30, 0.993).
 */
import { ExactVectors } from './exact.js';
import type { VectorHit } from './types.js';
import { VectorIndex, type GraphSettings } from './vector.js';

/** Lighter than the stores' own graphs, since every view builds it: about 3 s for SciFact here. */
const GRAPH: GraphSettings = { m: 12, efConstruction: 48, efSearch: 64 };
const POINTS_PER_TURN = 100;

export class SnapshotNearest {
  private exact: ExactVectors | undefined;
  private graph: VectorIndex | undefined;
  private building: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly count: number,
    private readonly dimensions: number,
    private readonly vectorOf: (i: number) => Float32Array,
  ) {}

  /** The `k` nearest passages of those `keep` accepts, best first. */
  query(vector: Float32Array, k: number, keep?: (passage: number) => boolean): VectorHit[] {
    if (!keep && this.graph) return this.graph.query(vector, k);
    this.building ??= this.buildGraph();
    this.exact ??= new ExactVectors(this.count, this.dimensions, this.vectorOf);
    return this.exact.query(vector, k, keep);
  }

  /** Resolves once the graph serves unfiltered searches (starting it if need be), or the snapshot is closed. */
  graphReady(): Promise<void> {
    this.building ??= this.buildGraph();
    // Whoever waits for the graph keeps the process alive until it is there.
    const alive = setInterval(() => undefined, 1000);
    return this.building.finally(() => clearInterval(alive));
  }

  private async buildGraph(): Promise<void> {
    // A timer that does not keep the process alive: a command that has answered exits without waiting.
    const pause = () =>
      new Promise<void>((resolve, reject) => {
        if (this.closed) reject(new Error('closed'));
        else setTimeout(resolve, 0).unref();
      });
    try {
      await pause();
      const graph = await VectorIndex.build(this.count, this.dimensions, this.vectorOf, { yieldEvery: POINTS_PER_TURN, pause, graph: GRAPH });
      if (!this.closed) this.graph = graph;
    } catch {
      // Closed while building: nothing to keep.
    }
  }

  close(): void {
    this.closed = true;
  }
}
