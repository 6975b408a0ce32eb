/** Collections read as one corpus: a JoinedView of two stores ranks exactly as one store holding both. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Searcher } from '../../src/answer/searcher.js';
import type { Answer } from '../../src/answer/types.js';
import { openStore } from '../../src/index/backend.js';
import { buildIndex } from '../../src/index/build.js';
import { JoinedView } from '../../src/index/joined.js';
import type { IndexView } from '../../src/index/store.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { foldersRemovedAfterAll, SEED_CORPUS, fileText, temporaryFolder } from '../helpers/seeds.js';

const folders = foldersRemovedAfterAll();

/** Adds some seed articles (with their sidecars) to a corpus and indexes it. */
async function collection(names: string[], into?: { corpus: string; store: string }): Promise<{ corpus: string; store: string; view: IndexView }> {
  const corpus = into?.corpus ?? (await temporaryFolder('verbatim-joined-corpus-'));
  const store = into?.store ?? (await temporaryFolder('verbatim-joined-store-'));
  folders.push(corpus, store);
  for (const name of await fs.readdir(SEED_CORPUS)) {
    if (names.some((n) => name.startsWith(n))) await fs.copyFile(path.join(SEED_CORPUS, name), path.join(corpus, name));
  }
  await buildIndex({ corpusDir: corpus, storeDir: store, embedder: await sharedEmbedder(), mergeBudget: 0 });
  return { corpus, store, view: await openStore(store).view() };
}

const passageName = (view: IndexView, p: number) => {
  const { doc } = view.passage(p);
  return `${view.document(doc).path}#${p - view.passageRange(doc)[0]}`;
};

const QUESTIONS = ['How much territory does Ukraine still hold in Kursk?', 'North Korean troops sent to Russia', 'Storm Shadow missiles Malaya Loknya', 'Syrsky said on Sunday'];

let whole: IndexView;
let joined: JoinedView;
let parts: { corpus: string; view: IndexView }[];
const FIRST = ['000_', '001_', '002_'];
const SECOND = ['003_', '004_'];
beforeAll(async () => {
  parts = [await collection(FIRST), await collection(SECOND)];
  // One store holding both, written in the same two batches (embeddings depend a little on the batch).
  whole = (await collection(SECOND, await collection(FIRST))).view;
  joined = new JoinedView([
    { name: 'first', view: parts[0]!.view },
    { name: 'second', view: parts[1]!.view },
  ]);
});

describe('a JoinedView', () => {
  it('numbers every document, passage and sentence of its members, and says which collection each is in', () => {
    expect(joined.documentCount).toBe(whole.documentCount);
    expect(joined.passageCount).toBe(whole.passageCount);
    expect(joined.documentNumbers().map((d) => `${joined.collectionOf(d)}/${joined.document(d).path}`)).toEqual(
      whole.documentNumbers().map((d) => `${d < 3 ? 'first' : 'second'}/${whole.document(d).path}`),
    );
    // Documents in the same order, so every number (and record) is the one store's.
    for (const doc of joined.documentNumbers()) {
      expect(joined.sentenceRange(doc)).toEqual(whole.sentenceRange(doc));
      expect(joined.passageRange(doc)).toEqual(whole.passageRange(doc));
      expect(joined.text(doc)).toBe(whole.text(doc));
      expect(joined.documentVector(doc)).toEqual(whole.documentVector(doc));
      for (let s = joined.sentenceRange(doc)[0]; s < joined.sentenceRange(doc)[1]; s += 1) {
        expect(joined.sentence(s)).toEqual(whole.sentence(s));
        expect(joined.sentenceVector(joined.sentenceRow(s))).toEqual(whole.sentenceVector(whole.sentenceRow(s)));
      }
      for (let p = joined.passageRange(doc)[0]; p < joined.passageRange(doc)[1]; p += 1) {
        expect(joined.passage(p)).toEqual(whole.passage(p));
        expect(joined.passageVector(p)).toEqual(whole.passageVector(p));
      }
    }
    expect(joined.findDocument('004_918447a18b64fa1b')).toBe(joined.documentNumbers()[4]);
    expect(joined.findDocument('second:004_918447a18b64fa1b.txt')).toBe(joined.documentNumbers()[4]);
    expect(joined.findDocument('first:004_918447a18b64fa1b')).toBeUndefined();
  });

  it('scores words with the statistics of both collections together: exactly as one store holding them', () => {
    for (const question of QUESTIONS) {
      const expected = whole.searchWords(question, 20).map((h) => [passageName(whole, h.passage), h.score]);
      const got = joined.searchWords(question, 20).map((h) => [passageName(joined, h.passage), h.score]);
      expect(got).toEqual(expected);
      // Each member alone scores differently (its own statistics): the joining is what makes them equal.
      const alone = parts[1]!.view.searchWords(question, 20).map((h) => h.score);
      const together = joined.searchWords(question, 100).filter((h) => joined.collectionOf(joined.passage(h.passage).doc) === 'second');
      if (alone.length > 0) expect(together.map((h) => h.score)).not.toEqual(alone);
    }
  });

  it('merges vector search and name counts across collections', () => {
    const vector = whole.passageVector(3);
    const expected = whole.searchVectors(vector, 10);
    const got = joined.searchVectors(vector, 10);
    expect(got.map((h) => h.passage)).toEqual(expected.map((h) => h.passage));
    got.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(expected[i]!.similarity, 6));
    expect(joined.nameDocuments('syrsky', 10)).toBe(whole.nameDocuments('syrsky', 10));
    expect(joined.sharedNames('s')).toEqual(expect.arrayContaining([...whole.sharedNames('s')]));
    expect([...joined.sharedNames('s')].sort()).toEqual([...whole.sharedNames('s')].sort());
  });

  it('passes a passage filter to each member in the joined numbering: the filtered ranking is one store\'s', () => {
    // Keep every other passage: a filter that cuts across both collections.
    const keep = (p: number) => p % 2 === 0;
    for (const question of QUESTIONS) {
      const expected = whole.searchWords(question, 20, keep).map((h) => [passageName(whole, h.passage), h.score]);
      const got = joined.searchWords(question, 20, keep).map((h) => [passageName(joined, h.passage), h.score]);
      expect(got).toEqual(expected);
      expect(got.length).toBeGreaterThan(0);
    }
    const vector = whole.passageVector(3);
    const hits = joined.searchVectors(vector, 10, keep);
    expect(hits.map((h) => h.passage)).toEqual(whole.searchVectors(vector, 10, keep).map((h) => h.passage));
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => keep(h.passage))).toBe(true);
  });

  it('answers as one corpus: the same quotes, corroboration and discrepancies, each quote from its own collection', async () => {
    const embedder = await sharedEmbedder();
    // Which collection, and when each store indexed its copy, are what may differ.
    const strip = (answer: Answer) => JSON.parse(JSON.stringify(answer, (key, value) => (key === 'collection' || key === 'retrieved' ? undefined : value)));
    for (const question of QUESTIONS) {
      const one = await new Searcher(whole, embedder).ask(question);
      const two = await new Searcher(joined, embedder).ask(question);
      expect(strip(two)).toEqual(strip(one));
      for (const quote of two.quotes) {
        const corpus = parts[quote.source.collection === 'first' ? 0 : 1]!.corpus;
        expect(quote.text).toBe((await fileText(corpus, quote.source.path)).slice(quote.start, quote.end));
        for (const also of quote.alsoReportedBy ?? []) expect(also.source.collection).toMatch(/^(first|second)$/);
      }
    }
  });
});
