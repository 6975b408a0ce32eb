import type { IndexData } from './types.js';

const rangesByData = new WeakMap<IndexData, Int32Array>();

/**
 * The sentences of a document as a `[first, end)` range of global sentence indices (a document's
 * sentences are stored together, in order).
 */
export function sentenceRange(data: IndexData, doc: number): [number, number] {
  let ranges = rangesByData.get(data);
  if (!ranges) {
    ranges = new Int32Array(data.documents.length * 2).fill(-1);
    data.sentences.forEach((s, i) => {
      if (ranges![s.doc * 2] === -1) ranges![s.doc * 2] = i;
      ranges![s.doc * 2 + 1] = i + 1;
    });
    rangesByData.set(data, ranges);
  }
  const first = ranges[doc * 2]!;
  return first === -1 ? [0, 0] : [first, ranges[doc * 2 + 1]!];
}

/** Global indices of a document's sentences. */
export function sentencesOf(data: IndexData, doc: number): number[] {
  const [first, end] = sentenceRange(data, doc);
  return Array.from({ length: end - first }, (_, i) => first + i);
}

/** A sentence's text: the exact slice of its document. */
export function sentenceText(data: IndexData, sentence: number): string {
  const s = data.sentences[sentence]!;
  return data.texts[s.doc]!.slice(s.start, s.end);
}
