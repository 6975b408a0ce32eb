import { describe, expect, it } from 'vitest';
import { ExactVectors } from '../../src/index/exact.js';
import { SnapshotNearest } from '../../src/index/snapshot-nearest.js';
import { seededRandom } from '../../src/tools/metrics.js';

const DIMS = 48;
const COUNT = 500;

function vectors(count: number, seed: number): Float32Array[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: DIMS }, () => next() - 0.5));
}

/** Every inner product, sorted: what the exact search must return. */
function byScan(points: Float32Array[], query: Float32Array, k: number, keep: (i: number) => boolean = () => true) {
  return points
    .map((p, passage) => ({ passage, similarity: p.reduce((sum, x, d) => sum + x * query[d]!, 0) }))
    .filter((hit) => keep(hit.passage))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

describe('exact nearest passages', () => {
  const points = vectors(COUNT, 7);
  const exact = new ExactVectors(points.length, DIMS, (i) => points[i]!);

  it('returns the k passages of highest inner product, best first, as a full scan does', () => {
    for (const query of vectors(20, 11)) {
      const found = exact.query(query, 30);
      const expected = byScan(points, query, 30);
      expect(found.map((h) => h.passage)).toEqual(expected.map((h) => h.passage));
      found.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(expected[i]!.similarity, 4));
    }
  });

  it('ranks only the passages a filter keeps, and returns fewer when fewer are kept', () => {
    const query = vectors(1, 3)[0]!;
    const keep = (i: number) => i % 7 === 0;
    expect(exact.query(query, 40, keep).map((h) => h.passage)).toEqual(byScan(points, query, 40, keep).map((h) => h.passage));
    expect(exact.query(query, 40, (i) => i < 5).map((h) => h.passage).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(exact.query(query, 10, () => false)).toEqual([]);
  });

  it('asks for no more than it holds', () => {
    const small = new ExactVectors(3, DIMS, (i) => points[i]!);
    expect(small.query(points[0]!, 10)).toHaveLength(3);
    expect(new ExactVectors(0, DIMS, (i) => points[i]!).query(points[0]!, 5)).toEqual([]);
  });
});

describe('nearest passages of a snapshot in memory', () => {
  const points = vectors(COUNT, 13);
  const unit = points.map((p) => {
    const norm = Math.hypot(...p);
    return p.map((x) => x / norm);
  });

  it('answers exactly at once, then from its graph the same nearest passages; filtered searches stay exact', async () => {
    const nearest = new SnapshotNearest(unit.length, DIMS, (i) => unit[i]!);
    const queries = vectors(10, 17);
    const before = queries.map((q) => nearest.query(q, 10));
    queries.forEach((q, i) => expect(before[i]!.map((h) => h.passage)).toEqual(byScan(unit, q, 10).map((h) => h.passage)));
    await nearest.graphReady();
    let found = 0;
    for (const q of queries) {
      const exact = new Set(byScan(unit, q, 10).map((h) => h.passage));
      found += nearest.query(q, 10).filter((h) => exact.has(h.passage)).length;
    }
    // The graph is approximate, as the embedded store's graphs are.
    expect(found / (queries.length * 10)).toBeGreaterThan(0.95);
    const keep = (i: number) => i % 3 === 0;
    expect(nearest.query(queries[0]!, 10, keep).map((h) => h.passage)).toEqual(byScan(unit, queries[0]!, 10, keep).map((h) => h.passage));
  });

  it('stops building its graph once closed', async () => {
    // Vectors not of unit length: the exact search gives inner products, the graph cosines.
    const nearest = new SnapshotNearest(points.length, DIMS, (i) => points[i]!);
    nearest.query(points[0]!, 5);
    nearest.close();
    await nearest.graphReady();
    const hits = nearest.query(points[1]!, 5);
    byScan(points, points[1]!, 5).forEach((expected, i) => expect(hits[i]!.similarity).toBeCloseTo(expected.similarity, 4));
  });
});
