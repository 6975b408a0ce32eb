/**
 * Copies everything one store holds into another (the embedded store into PostgreSQL) without
 * reading the corpus or embedding anything again: texts, sentences, passages and vectors as
 * stored (int8 rows, so vectors come back within 1% of the model's), owners and their notes,
 * and the corpus stamp, so that the copy is as up to date as its source.
 */
import { createError } from '../errors.js';
import type { DocumentInput, OwnerNote, Store, StoredDocument } from './store.js';
import type { IndexView } from './store.js';

/** Documents written per transaction. */
const BATCH = 500;

export interface CopyReport {
  documents: number;
  passages: number;
  seconds: number;
}

function documentInput(view: IndexView, doc: number, stored: StoredDocument, lineKeys: string[]): DocumentInput {
  const { id, path, original, hash, meta, boilerplate, retrieved } = view.document(doc);
  const [firstSentence, endSentence] = view.sentenceRange(doc);
  const [firstPassage, endPassage] = view.passageRange(doc);
  const dims = view.dimensions;
  const sentences = [];
  for (let s = firstSentence; s < endSentence; s += 1) {
    const { start, end, paragraph } = view.sentence(s);
    sentences.push({ start, end, paragraph });
  }
  const passages = [];
  const passageVectors = new Float32Array((endPassage - firstPassage) * dims);
  const rows: Float32Array[] = [];
  for (let p = firstPassage; p < endPassage; p += 1) {
    const passage = view.passage(p);
    passages.push({ first: passage.first - firstSentence, end: passage.end - firstSentence });
    passageVectors.set(view.passageVector(p), (p - firstPassage) * dims);
    for (let i = 0; i < passage.end - passage.first; i += 1) rows.push(view.sentenceVector(passage.sentenceRow + i));
  }
  const sentenceVectors = new Float32Array(rows.length * dims);
  rows.forEach((row, i) => sentenceVectors.set(row, i * dims));
  return {
    record: { id, path, ...(original ? { original } : {}), hash, meta, boilerplate, ...(retrieved ? { retrieved } : {}) },
    owner: stored.owner,
    signature: stored.signature,
    fingerprint: stored.fingerprint,
    text: view.text(doc),
    sentences,
    passages,
    passageVectors,
    sentenceVectors,
    lineKeys,
  };
}

/** Replaces what `to` holds by a copy of `from`; `onProgress` hears documents copied so far. */
export async function copyStore(from: Store, to: Store, onProgress?: (done: number, total: number) => void): Promise<CopyReport> {
  const started = performance.now();
  const status = await from.status();
  if (!status) throw createError('STORE_MISSING', from.location);
  const [view, owners] = [await from.view(), await from.owners()];
  try {
    const byPath = new Map<string, StoredDocument>();
    const notes: Record<string, OwnerNote> = {};
    for (const [owner, state] of owners) {
      for (const doc of state.documents) byPath.set(doc.path, doc);
      if (state.noted) notes[owner] = { signature: state.signature, skipped: state.skipped };
    }
    const docs = view.documentNumbers();
    return await to.exclusive(async () => {
      for (let at = 0; at < docs.length || at === 0; at += BATCH) {
        const add: DocumentInput[] = [];
        for (const doc of docs.slice(at, at + BATCH)) {
          const path = view.document(doc).path;
          add.push(documentInput(view, doc, byPath.get(path)!, await from.lineKeysOf([path])));
        }
        await to.write({ settings: status.settings, replace: at === 0, add });
        onProgress?.(Math.min(docs.length, at + BATCH), docs.length);
      }
      await to.write({ settings: status.settings, owners: notes, corpusStamp: status.corpusStamp, corpusSignatures: status.corpusSignatures });
      await to.maintain({ budget: Infinity, everything: true });
      return { documents: view.documentCount, passages: view.passageCount, seconds: (performance.now() - started) / 1000 };
    });
  } finally {
    view.close();
  }
}
