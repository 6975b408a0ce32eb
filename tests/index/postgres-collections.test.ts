/**
 * PostgreSQL views with collections, filters and dates (tests/harness/postgres-setup.ts gives the
 * server): the members a JoinedView and a filter need, with the embedded view's results; several
 * collections of one database searched as one corpus; filtered answers; each collection opened
 * through DATABASE_URL as its own key of the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listCollections, openCollections } from '../../src/answer/collections.js';
import { resolveFilter } from '../../src/answer/filter.js';
import { Searcher } from '../../src/answer/searcher.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { buildIndex } from '../../src/index/build.js';
import { EmbeddedStore } from '../../src/index/embedded/store.js';
import type { Embedder } from '../../src/index/embedder.js';
import { JoinedView } from '../../src/index/joined.js';
import { PostgresStore } from '../../src/index/postgres/store.js';
import type { IndexView } from '../../src/index/store.js';
import type { LexicalHit } from '../../src/index/types.js';
import { retrieve } from '../../src/retrieval/retrieve.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { ANSWERED } from '../helpers/seed-questions.js';
import { copySeedCorpus, fileText, MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';

const DATED_CORPUS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'dated-corpus');
const TODAY = new Date('2025-08-01T12:00:00Z');
const folders: string[] = [];
let embedder: Embedder;
let url: string;
/** The seed corpus and the dated corpus, each in both stores. */
const embedded: Record<'seed' | 'dated', IndexView> = {} as never;
const postgres: Record<'seed' | 'dated', IndexView> = {} as never;

beforeAll(async () => {
  embedder = await sharedEmbedder();
  url = await freshDatabase();
  for (const [name, fixture] of [['seed', SEED_CORPUS], ['dated', DATED_CORPUS]] as const) {
    // A copy: a build into the database marks its corpus folder as the collection's (.verbatim-folder).
    const corpusDir = await copySeedCorpus(fixture);
    const storeDir = await temporaryFolder('verbatim-store-');
    folders.push(corpusDir, storeDir);
    await buildIndex({ corpusDir, storeDir, embedder });
    await buildIndex({ corpusDir, storeDir, embedder, store: new PostgresStore(url, name) });
    embedded[name] = await new EmbeddedStore(storeDir).view();
    postgres[name] = await new PostgresStore(url, name).view();
  }
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await dropDatabases();
  await Promise.all(folders.map((f) => fs.rm(f, { recursive: true, force: true })));
});

const pathOf = (view: IndexView, passage: number) => {
  const { doc } = view.passage(passage);
  return `${view.collectionOf?.(doc) ?? ''}:${view.document(doc).path}#${passage - view.passageRange(doc)[0]}`;
};
/** A passage filter by document path, the same documents in either view whatever their numbers. */
const keepBefore = (view: IndexView, last: string) => (passage: number) => view.document(view.passage(passage).doc).path <= last;

describe('a PostgreSQL view has what joined views and filters need', () => {
  it("has the embedded view's extent, BM25 statistics and name counts", () => {
    const [pg, mine] = [postgres.seed, embedded.seed];
    expect(pg.extent).toEqual(mine.extent);
    for (const [question] of ANSWERED.slice(0, 6)) {
      const [theirs, ours] = [mine.wordStatistics(question), pg.wordStatistics(question)];
      expect({ ...ours, length: 0 }).toEqual({ ...theirs, length: 0 });
      expect(ours.length).toBeCloseTo(theirs.length, 0);
    }
    expect(new Map(pg.nameCounts(''))).toEqual(new Map(mine.nameCounts('')));
    expect([...pg.sharedNames('')].sort()).toEqual([...mine.sharedNames('')].sort());
  });

  it('filters during both searches and in retrieval as the embedded view does', async () => {
    const [pg, mine] = [postgres.seed, embedded.seed];
    const paths = mine.documentNumbers().map((d) => mine.document(d).path).sort();
    const last = paths[Math.floor(paths.length / 3)]!;
    for (const [question] of ANSWERED.slice(0, 6)) {
      const vector = await embedder.embedQuery(question);
      const vectors = pg.searchVectors(vector, 10, keepBefore(pg, last));
      const theirVectors = mine.searchVectors(vector, 10, keepBefore(mine, last));
      // Exact search over int8 rows against hnswlib's: the same similarities rank by rank (near ties may swap).
      expect(vectors.length).toBe(theirVectors.length);
      vectors.forEach((h, i) => expect(h.similarity).toBeCloseTo(theirVectors[i]!.similarity, 2));
      expect(vectors.every((h) => keepBefore(pg, last)(h.passage))).toBe(true);
      const words = pg.searchWords(question, 10, keepBefore(pg, last));
      expect(words.map((h) => pathOf(pg, h.passage))).toEqual(mine.searchWords(question, 10, keepBefore(mine, last)).map((h) => pathOf(mine, h.passage)));
      const top = async (view: IndexView) => (await retrieve(view, question, vector, 'hybrid', {}, keepBefore(view, last))).slice(0, 10).map((c) => pathOf(view, c.passage));
      const [filtered, expected] = [await top(pg), await top(mine)];
      // The database's search cannot apply the filter, so retrieval asks the view: nothing outside it comes back.
      expect(filtered.every((p) => p.split('#')[0]!.slice(1) <= last)).toBe(true);
      expect(filtered.filter((p) => expected.includes(p)).length).toBeGreaterThanOrEqual(8);
    }
  });
});

describe('several PostgreSQL collections read as one corpus', () => {
  const joined = (views: typeof postgres) => new JoinedView([{ name: 'seed', view: views.seed }, { name: 'dated', view: views.dated }]);
  const QUESTIONS = [ANSWERED[0]![0], ANSWERED[3]![0], 'How much of the Doran valley do rebels hold?'];

  it('ranks as joined embedded collections do, in memory with the statistics of all', async () => {
    const [pg, mine] = [joined(postgres), joined(embedded)];
    for (const question of QUESTIONS) {
      // Words: exactly the scores of the embedded collections joined (statistics summed over both).
      const words = (view: IndexView) => view.searchWords(question, 20).map((h) => [pathOf(view, h.passage), Number(h.score.toFixed(4))]);
      expect(words(pg)).toEqual(words(mine));
    }
  });

  it('searches several collections of one database as one corpus in SQL, as the joined searches in memory do', async () => {
    const [pg, mine] = [joined(postgres), joined(embedded)];
    expect(pg.search).toBeDefined();
    expect(mine.search).toBeUndefined();
    const scored = (view: IndexView, hits: readonly LexicalHit[]) => hits.map((h) => [pathOf(view, h.passage), Number(h.score.toFixed(4))]);
    for (const question of QUESTIONS) {
      const vector = await embedder.embedQuery(question);
      const { vectors, words } = await pg.search!({ vector, text: question, vectorK: 10, wordsK: 20 });
      // BM25 with the statistics of both collections summed: the joined in-memory scores, and the embedded ones.
      expect(words.length).toBeGreaterThan(0);
      expect(scored(pg, words)).toEqual(scored(pg, pg.searchWords(question, 20)));
      expect(scored(pg, words)).toEqual(scored(mine, mine.searchWords(question, 20)));
      // pgvector's similarities are hnswlib's; the in-memory search over int8 rows agrees within their rounding.
      const expected = mine.searchVectors(vector, 10);
      expect(vectors.map((h) => pathOf(pg, h.passage))).toEqual(expected.map((h) => pathOf(mine, h.passage)));
      vectors.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[i]!.similarity, 4));
      pg.searchVectors(vector, 10).forEach((h, i) => expect(Math.abs(h.similarity - vectors[i]!.similarity)).toBeLessThan(0.01));
      const top = async (view: IndexView) => (await retrieve(view, question, vector)).slice(0, 20).map((c) => pathOf(view, c.passage));
      expect(await top(pg)).toEqual(await top(mine));
    }
  });

  it('searches in memory when a member is not in the database, or the same collection comes twice', () => {
    expect(new JoinedView([{ name: 'seed', view: postgres.seed }, { name: 'dated', view: embedded.dated }]).search).toBeUndefined();
    expect(new JoinedView([{ name: 'seed', view: embedded.seed }, { name: 'dated', view: postgres.dated }]).search).toBeUndefined();
    expect(new JoinedView([{ name: 'seed', view: postgres.seed }, { name: 'again', view: postgres.seed }]).search).toBeUndefined();
  });

  it('answers over the joined collections with the quotes of the embedded stores, each a slice of its file', async () => {
    const [pg, mine] = [postgres, embedded].map((views) => new Searcher(joined(views), embedder));
    const corpus = { seed: SEED_CORPUS, dated: DATED_CORPUS } as Record<string, string>;
    for (const question of QUESTIONS) {
      const [ours, theirs] = [await pg!.ask(question, { now: TODAY }), await mine!.ask(question, { now: TODAY })];
      expect(ours.quotes.length).toBeGreaterThan(0);
      const key = (q: (typeof ours.quotes)[number]) => [q.source.collection, q.source.id, q.start, q.end, q.text];
      expect(ours.quotes.map(key)).toEqual(theirs.quotes.map(key));
      for (const q of ours.quotes) expect(q.text).toBe((await fileText(corpus[q.source.collection!]!, q.source.path)).slice(q.start, q.end));
    }
  });

  it('searches one collection in the database, with the numbers of the joined view', async () => {
    const one = new JoinedView([{ name: 'dated', view: postgres.dated }]);
    expect(one.search).toBeDefined();
    const question = 'How much will the Kell bridge repairs cost?';
    const vector = await embedder.embedQuery(question);
    expect(await retrieve(one, question, vector)).toEqual(await retrieve(postgres.dated, question, vector));
  });

  it('answers with date and outlet filters as the embedded store does', async () => {
    const [pg, mine] = [postgres, embedded].map((views) => new Searcher(new JoinedView([{ name: 'dated', view: views.dated }]), embedder));
    const question = 'How much of the Doran valley do rebels hold?';
    for (const input of [{}, { since: '2025-01-01' }, { until: '2024-12-31' }, { since: '2025-07-01', until: '2025-07-31' }, { outlets: ['NORTHERN LEDGER'] }]) {
      const filter = resolveFilter(input, TODAY);
      const [ours, theirs] = [await pg!.ask(question, { filter, now: TODAY }), await mine!.ask(question, { filter, now: TODAY })];
      expect(ours.quotes.map((q) => [q.source.id, q.start, q.end, q.text])).toEqual(theirs.quotes.map((q) => [q.source.id, q.start, q.end, q.text]));
      expect(ours.filter).toEqual(theirs.filter);
      for (const q of ours.quotes) expect(q.text).toBe((await fileText(DATED_CORPUS, q.source.path)).slice(q.start, q.end));
    }
  });
});

describe('collections opened through DATABASE_URL', () => {
  it('keeps each collection under its own name in the database, and says when each document was retrieved', async () => {
    const root = await temporaryFolder('verbatim-pg-collections-');
    folders.push(root);
    const corpus = path.join(root, 'collections', 'news', 'corpus');
    await fs.cp(DATED_CORPUS, corpus, { recursive: true });
    await fs.mkdir(path.join(root, 'corpus'));
    const settings = { corpusDir: path.join(root, 'corpus'), storeDir: path.join(root, 'store'), collectionsDir: path.join(root, 'collections'), sharedCollections: [], modelDir: MODEL_DIR, modelName: MODEL_NAME };
    const database = await freshDatabase();
    process.env.DATABASE_URL = database;
    try {
      const searcher = await openCollections(settings, 'news', {}, embedder);
      const answer = await searcher.ask('How much will the Kell bridge repairs cost?', { now: TODAY });
      expect(answer.quotes.length).toBeGreaterThan(0);
      for (const q of answer.quotes) {
        expect(q.source.collection).toBe('news');
        expect(q.source.retrieved).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      }
      const files = (await fs.readdir(corpus)).filter((f) => f.endsWith('.txt')).length;
      expect((await new PostgresStore(database, 'news').status())?.documents).toBe(files);
      expect(await new PostgresStore(database).status()).toBeNull();
      const listing = await listCollections(settings);
      expect(listing.find((c) => c.name === 'news')).toMatchObject({ documents: files });
      // Nothing was written to the collection's store folder: the database holds the index.
      await expect(fs.access(path.join(root, 'collections', 'news', 'store'))).rejects.toThrow();
    } finally {
      delete process.env.DATABASE_URL;
    }
  });
});
