import { documentNames } from '../names.js';
import type { DocumentInput } from '../store.js';
import { quantizeInto, quantizeRows, rowBytes } from './rows.js';
import type { SegmentInput } from './segment-writer.js';

/** The text of a passage as the lexical index sees it: its sentences, without skipped boilerplate. */
export function passageTexts(doc: Pick<DocumentInput, 'text' | 'sentences' | 'passages'>): string[] {
  return doc.passages.map((p) =>
    doc.sentences
      .slice(p.first, p.end)
      .map((s) => doc.text.slice(s.start, s.end))
      .join(' '),
  );
}

/** The mean of a document's passage vectors, normalised: what finds its retellings. */
export function documentVector(passageVectors: Float32Array, dims: number): Float32Array {
  const out = new Float32Array(dims);
  for (let i = 0; i < passageVectors.length; i += 1) out[i % dims]! += passageVectors[i]!;
  const norm = Math.hypot(...out) || 1;
  for (let d = 0; d < dims; d += 1) out[d]! /= norm;
  return out;
}

/** A document to store, in the shape a segment writes it: int8 rows, UTF-8 text, numbered records. */
export function toSegmentInput(doc: DocumentInput, dims: number): { input: SegmentInput; texts: string[]; names: string[] } {
  const { record, owner, signature, fingerprint } = doc;
  const documentRow = Buffer.alloc(rowBytes(dims));
  quantizeInto(documentVector(doc.passageVectors, dims), 0, dims, documentRow, 0);
  const input: SegmentInput = {
    document: { ...record, owner, signature, fingerprint },
    text: Buffer.from(doc.text, 'utf8'),
    sentences: Int32Array.from(doc.sentences.flatMap((s) => [s.start, s.end, s.paragraph])),
    passages: Int32Array.from(doc.passages.flatMap((p) => [p.first, p.end])),
    passageRows: quantizeRows(doc.passageVectors, dims),
    documentRow,
    sentenceRows: quantizeRows(doc.sentenceVectors, dims),
    lineKeys: doc.lineKeys.map((key) => BigInt(`0x${key}`)),
  };
  return { input, texts: passageTexts(doc), names: documentNames(doc.text, doc.sentences) };
}
