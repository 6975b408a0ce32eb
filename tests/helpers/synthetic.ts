/** Documents for the store with made-up vectors: store mechanics tested without the model. */
import type { DocumentInput, StoreSettings } from '../../src/index/store.js';
import { seededRandom } from '../../src/tools/metrics.js';

export const SYNTHETIC: StoreSettings = { modelId: 'synthetic@0', dimensions: 32, packing: { maxTokens: 128, overlapSentences: 1 } };


function unitRows(rows: number, dims: number, next: () => number): Float32Array {
  const out = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r += 1) {
    let norm = 0;
    for (let d = 0; d < dims; d += 1) {
      out[r * dims + d] = next() - 0.5;
      norm += out[r * dims + d]! ** 2;
    }
    for (let d = 0; d < dims; d += 1) out[r * dims + d]! /= Math.sqrt(norm);
  }
  return out;
}

/** The text of synthetic document `n`: sentences naming it, so a search for `docword<n>` finds it. */
export function syntheticText(n: number, sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => `Report docword${n} line ${i} mentions harbour item${(n * 7 + i) % 50}.`).join(' ');
}

/**
 * A document of `passages` passages of four sentences each (one sentence shared between
 * neighbours); `write` gives its text (sentences that each end with a full stop).
 */
export function syntheticDocument(n: number, passages = 3, dims = SYNTHETIC.dimensions, write = syntheticText): DocumentInput {
  const count = passages * 3 + 1;
  const text = write(n, count);
  const sentences: DocumentInput['sentences'] = [];
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    const end = text.indexOf('.', at) + 1;
    sentences.push({ start: at, end, paragraph: 0 });
    at = end + 1;
  }
  const spans = Array.from({ length: passages }, (_, p) => ({ first: p * 3, end: p * 3 + 4 }));
  const next = seededRandom(n + 1);
  const path = `doc-${n}.txt`;
  return {
    record: {
      id: `doc-${n}`,
      path,
      hash: `hash-${n}`,
      meta: { title: `Document ${n}`, outlet: null, author: null, url: null, published: null },
      boilerplate: [],
    },
    owner: path,
    signature: `sig-${n}`,
    fingerprint: `fp-${n}`,
    text,
    sentences,
    passages: spans,
    passageVectors: unitRows(passages, dims, next),
    sentenceVectors: unitRows(passages * 4, dims, next),
    lineKeys: [],
  };
}
