/**
 * The PostgreSQL store against a real PostgreSQL with pgvector (tests/harness/postgres-setup.ts):
 * the same behaviour as the embedded store, built from the same seed corpus, and what only a
 * shared database has to prove (migrations, one writer per collection, answering without files).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openSearcher } from '../../src/answer/open.js';
import { buildIndex } from '../../src/index/build.js';
import { copyStore } from '../../src/index/copy.js';
import { EmbeddedStore } from '../../src/index/embedded/store.js';
import type { Embedder } from '../../src/index/embedder.js';
import { closePools, poolOf } from '../../src/index/postgres/pool.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/index/postgres/schema.js';
import { TERM_CAP } from '../../src/index/postgres/search.js';
import { PostgresStore } from '../../src/index/postgres/store.js';
import { impact } from '../../src/index/postgres/write.js';
import type { PostgresView } from '../../src/index/postgres/view.js';
import type { IndexView } from '../../src/index/store.js';
import { dot, retrieve } from '../../src/retrieval/retrieve.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { ANSWERED, NOT_COVERED } from '../helpers/seed-questions.js';
import { copySeedCorpus, MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { SYNTHETIC, syntheticDocument } from '../helpers/synthetic.js';

const folders: string[] = [];
let embedder: Embedder;
let url: string;
let embeddedView: IndexView;
let postgresView: IndexView;
let embeddedFolder: string;
/** A copy of the seeds: a build into the database marks its corpus folder as the collection's (.verbatim-folder). */
let seeds: string;

beforeAll(async () => {
  embedder = await sharedEmbedder();
  url = await freshDatabase();
  const store = await temporaryFolder('verbatim-store-');
  seeds = await copySeedCorpus();
  folders.push(store, seeds);
  embeddedFolder = store;
  await buildIndex({ corpusDir: seeds, storeDir: store, embedder });
  await buildIndex({ corpusDir: seeds, storeDir: store, embedder, store: new PostgresStore(url) });
  embeddedView = await new EmbeddedStore(store).view();
  postgresView = await new PostgresStore(url).view();
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await dropDatabases();
  await Promise.all(folders.map((f) => fs.rm(f, { recursive: true, force: true })));
});

const pathOf = (view: IndexView, passage: number) => `${view.document(view.passage(passage).doc).path}#${passage - view.passageRange(view.passage(passage).doc)[0]}`;

describe('the PostgreSQL store holds what the embedded store holds', () => {
  it('the same documents, texts, sentences, passages and vectors', () => {
    expect(postgresView.documentCount).toBe(embeddedView.documentCount);
    expect(postgresView.passageCount).toBe(embeddedView.passageCount);
    for (const doc of embeddedView.documentNumbers()) {
      const other = postgresView.findDocument(embeddedView.document(doc).path)!;
      const { id, path: file, original, hash, meta, boilerplate } = embeddedView.document(doc);
      // Each store was built on its own, so each says when it indexed the document.
      const { retrieved, ...record } = postgresView.document(other);
      expect(record).toEqual({ id, path: file, ...(original ? { original } : {}), hash, meta, boilerplate });
      expect(retrieved).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
      expect(postgresView.text(other)).toBe(embeddedView.text(doc));
      const [first, end] = embeddedView.sentenceRange(doc);
      const [otherFirst] = postgresView.sentenceRange(other);
      for (let s = first; s < end; s += 1) {
        const mine = postgresView.sentence(otherFirst + s - first);
        expect({ ...mine, doc: 0 }).toEqual({ ...embeddedView.sentence(s), doc: 0 });
        expect(postgresView.sentenceVector(postgresView.sentenceRow(otherFirst + s - first))).toEqual(embeddedView.sentenceVector(embeddedView.sentenceRow(s)));
      }
      expect(postgresView.documentVector(other)).toEqual(embeddedView.documentVector(doc));
    }
  });

  it('ranks words with the same BM25 scores, in memory and in the database', async () => {
    for (const [question] of ANSWERED.slice(0, 6)) {
      const expected = embeddedView.searchWords(question, 30).map((h) => [pathOf(embeddedView, h.passage), h.score]);
      const inMemory = postgresView.searchWords(question, 30).map((h) => [pathOf(postgresView, h.passage), h.score]);
      const { words } = await postgresView.search!({ vector: new Float32Array(384), text: question, vectorK: 0, wordsK: 30 });
      const inDatabase = words.map((h) => [pathOf(postgresView, h.passage), h.score]);
      for (const ranking of [inMemory, inDatabase]) {
        expect(ranking.map(([p]) => p)).toEqual(expected.map(([p]) => p));
        ranking.forEach(([, score], i) => expect(score as number).toBeCloseTo(expected[i]![1] as number, 4));
      }
    }
  });

  it('finds the same nearest passages with pgvector, and the same fused candidates', async () => {
    for (const [question] of ANSWERED.slice(0, 6)) {
      const vector = await embedder.embedQuery(question);
      const { vectors } = await postgresView.search!({ vector, text: question, vectorK: 10, wordsK: 0 });
      const expected = embeddedView.searchVectors(vector, 10);
      expect(vectors.map((h) => pathOf(postgresView, h.passage))).toEqual(expected.map((h) => pathOf(embeddedView, h.passage)));
      vectors.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[i]!.similarity, 4));
      // In memory (filtered questions, coverage) the exact search runs over the int8 rows: near
      // ties may swap, so each rank's similarity is compared, within the rows' rounding.
      const inMemory = postgresView.searchVectors(vector, 10);
      expect(inMemory).toHaveLength(10);
      inMemory.forEach((h, i) => expect(Math.abs(h.similarity - expected[i]!.similarity)).toBeLessThan(0.01));
      const top = async (view: IndexView) => (await retrieve(view, question, vector)).slice(0, 10).map((c) => pathOf(view, c.passage));
      expect(await top(postgresView)).toEqual(await top(embeddedView));
    }
  });

  it('searches the snapshot in memory through a graph once it is built, with the same nearest passages', async () => {
    const view = await new PostgresStore(url).view();
    const questions = await Promise.all(ANSWERED.slice(0, 6).map(([question]) => embedder.embedQuery(question)));
    const exact = questions.map((vector) => view.searchVectors(vector, 10));
    await (view as PostgresView).nearestGraphReady();
    questions.forEach((vector, i) => expect(view.searchVectors(vector, 10).map((h) => h.passage)).toEqual(exact[i]!.map((h) => h.passage)));
    view.close();
  });

  it('starts the word search before the question is embedded, and finds the same once the vector comes', async () => {
    const [question] = ANSWERED[0]!;
    const vector = await embedder.embedQuery(question);
    // A vector that never comes: the word search alone still answers.
    const { words } = await postgresView.search!({ vector: new Promise<Float32Array>(() => undefined), text: question, vectorK: 0, wordsK: 10 });
    expect(words.length).toBeGreaterThan(0);
    const later = new Promise<Float32Array>((resolve) => setTimeout(() => resolve(vector), 50));
    expect(await postgresView.search!({ vector: later, text: question, vectorK: 10, wordsK: 10 })).toEqual(
      await postgresView.search!({ vector, text: question, vectorK: 10, wordsK: 10 }),
    );
  });
});

describe('copying the embedded store into PostgreSQL', () => {
  it('gives the same texts, sentences, vectors and rankings, with nothing embedded again', async () => {
    const target = new PostgresStore(await freshDatabase(), 'copied');
    const report = await copyStore(new EmbeddedStore(embeddedFolder), target);
    expect(report).toMatchObject({ documents: embeddedView.documentCount, passages: embeddedView.passageCount });
    const copied = await target.view();
    expect((await target.status())!.corpusSignatures).toBe((await new EmbeddedStore(embeddedFolder).status())!.corpusSignatures);
    for (const doc of embeddedView.documentNumbers()) {
      const other = copied.findDocument(embeddedView.document(doc).path)!;
      expect(copied.text(other)).toBe(embeddedView.text(doc));
      expect(copied.document(other).retrieved).toBe(embeddedView.document(doc).retrieved);
      // The document vector is recomputed from the int8 passage rows: the same direction within rounding.
      expect(dot(copied.documentVector(other), embeddedView.documentVector(doc))).toBeGreaterThan(0.999);
      const [first, end] = copied.sentenceRange(other);
      expect(end - first).toBe(embeddedView.sentenceRange(doc)[1] - embeddedView.sentenceRange(doc)[0]);
      for (let s = first; s < end; s += 1) {
        const theirs = embeddedView.sentenceRange(doc)[0] + s - first;
        expect(copied.sentenceVector(copied.sentenceRow(s))).toEqual(embeddedView.sentenceVector(embeddedView.sentenceRow(theirs)));
      }
    }
    const [question] = ANSWERED[0]!;
    const vector = await embedder.embedQuery(question);
    const top = async (view: IndexView) => (await retrieve(view, question, vector)).slice(0, 5).map((c) => pathOf(view, c.passage));
    expect(await top(copied)).toEqual(await top(embeddedView));
  });
});

describe('answering from PostgreSQL', () => {
  it('answers the seed questions as the embedded store does, quotes exact slices, with no corpus folder or store files', async () => {
    const corpus = await copySeedCorpus();
    const [store, embeddedStore] = [await temporaryFolder('verbatim-store-'), await temporaryFolder('verbatim-store-')];
    folders.push(corpus, store, embeddedStore);
    const options = { corpusDir: corpus, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME };
    const embedded = await openSearcher({ ...options, storeDir: embeddedStore });
    process.env.DATABASE_URL = await freshDatabase();
    const first = await openSearcher(options);
    // Everything is in the database now: no files are needed to answer.
    await fs.rm(corpus, { recursive: true, force: true });
    await fs.rm(store, { recursive: true, force: true });
    const second = await openSearcher(options);
    await expect(fs.access(store)).rejects.toThrow();
    for (const searcher of [first, second]) {
      for (const question of [...ANSWERED.map(([q]) => q), ...NOT_COVERED]) {
        const [mine, theirs] = [await searcher.ask(question), await embedded.ask(question)];
        expect(mine.quotes.map((q) => [q.source.path, q.start, q.end, q.text])).toEqual(theirs.quotes.map((q) => [q.source.path, q.start, q.end, q.text]));
        for (const quote of mine.quotes) {
          const { text } = searcher.document(quote.source.path);
          expect(text.slice(quote.start, quote.end)).toBe(quote.text);
          expect(text).toBe(await fs.readFile(path.join(SEED_CORPUS, quote.source.path), 'utf8'));
        }
      }
    }
    delete process.env.DATABASE_URL;
  });
});

describe('a shared database', () => {
  it('runs its migrations once: a second start changes nothing', async () => {
    const fresh = await freshDatabase();
    await poolOf(fresh);
    await closePools();
    await poolOf(fresh);
    const client = new pg.Client({ connectionString: fresh });
    await client.connect();
    const versions = await client.query<{ version: number }>('SELECT version FROM verbatim_schema ORDER BY version');
    await client.end();
    expect(versions.rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('gives the postings of a database at schema version 2 their impact and their terms a passage count', async () => {
    const fresh = await freshDatabase();
    const client = new pg.Client({ connectionString: fresh });
    await client.connect();
    try {
      // The schema and rows an older verbatim left: two migrations, postings without impact.
      await client.query('CREATE EXTENSION IF NOT EXISTS vector');
      await client.query('CREATE TABLE verbatim_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const [i, sql] of MIGRATIONS.slice(0, 2).entries()) await client.query(`${sql}; INSERT INTO verbatim_schema (version) VALUES (${i + 1})`);
      await client.query(`INSERT INTO store_state (collection, model_id, dimensions, packing, passage_count, total_length) VALUES ('default', 'm', 384, '{}', 2, 16)`);
      await client.query(
        `INSERT INTO documents (collection, doc, path, id, owner, signature, fingerprint, record, text, sentences, passages, passage_rows, sentence_rows, document_row, names)
         VALUES ('default', 0, 'a.txt', 'a', 'a.txt', 's', 'f', '{}', 't', '{}', '{}', '', '', '', '{}')`,
      );
      await client.query(`INSERT INTO postings (collection, term, doc, ord, frequency, length) VALUES ('default', 'harbour', 0, 0, 2, 10), ('default', 'harbour', 0, 1, 1, 6), ('default', 'ship', 0, 1, 1, 6)`);
      await poolOf(fresh);
      const postings = await client.query<{ term: string; ord: number; impact: number }>('SELECT term, ord, impact FROM postings ORDER BY term, ord');
      expect(postings.rows.map((r) => [r.term, r.ord])).toEqual([['harbour', 0], ['harbour', 1], ['ship', 1]]);
      postings.rows.forEach((r, i) => expect(r.impact).toBeCloseTo(impact([2, 1, 1][i]!, [10, 6, 6][i]!, 8), 5));
      const counts = await client.query<{ term: string; df: number }>('SELECT term, df FROM term_stats ORDER BY term');
      expect(counts.rows).toEqual([{ term: 'harbour', df: 2 }, { term: 'ship', df: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('lets one writer at a time hold a collection, and writes of two writers both land whole', async () => {
    const fresh = await freshDatabase();
    const settings = { ...SYNTHETIC, dimensions: 384 };
    const spans: [number, number][] = [];
    const writer = (from: number) =>
      new PostgresStore(fresh).exclusive(async () => {
        const started = performance.now();
        const store = new PostgresStore(fresh);
        for (let n = from; n < from + 3; n += 1) await store.write({ settings, add: [syntheticDocument(n, 2, 384)] });
        await new Promise((resolve) => setTimeout(resolve, 100));
        spans.push([started, performance.now()]);
      });
    await Promise.all([writer(0), writer(10)]);
    spans.sort((a, b) => a[0] - b[0]);
    expect(spans[1]![0]).toBeGreaterThanOrEqual(spans[0]![1]);
    const view = await new PostgresStore(fresh).view();
    expect(view.documentCount).toBe(6);
    expect(view.passageCount).toBe(12);
    // BM25's statistics follow removals: the database scores as a snapshot of what is left does.
    await new PostgresStore(fresh).write({ settings, remove: [view.document(0).path, view.document(4).path] });
    const after = await new PostgresStore(fresh).view();
    const words = after.text(1).split(/\s+/).slice(0, 6).join(' ');
    const { words: inDatabase } = await after.search!({ vector: new Float32Array(384), text: words, vectorK: 0, wordsK: 10 });
    const inMemory = after.searchWords(words, 10);
    expect(inDatabase.map((h) => h.passage)).toEqual(inMemory.map((h) => h.passage));
    inDatabase.forEach((h, i) => expect(h.score).toBeCloseTo(inMemory[i]!.score, 4));
    // Another collection is another lock and other rows.
    await new PostgresStore(fresh, 'other').write({ settings, add: [syntheticDocument(50, 2, 384)] });
    expect((await new PostgresStore(fresh, 'other').view()).documentCount).toBe(1);
    expect((await new PostgresStore(fresh).view()).documentCount).toBe(4);
  });

  it('reads at most TERM_CAP postings of a frequent term, its best ones, and a rare term in full', async () => {
    const fresh = await freshDatabase();
    const settings = { ...SYNTHETIC, dimensions: 384 };
    // One passage per document; "harbour" comes (n % 9) times in its first sentence, so it is in 8
    // of 9 passages, with term frequencies from 1 to 8: more passages than the cap, of many impacts.
    const write = (n: number, count: number) =>
      Array.from({ length: count }, (_, i) => `Report docword${n} line ${i}${i === 0 ? ' harbour'.repeat(n % 9) : ''} ends.`).join(' ');
    const documents = Math.ceil((TERM_CAP * 9) / 8) + 90;
    await new PostgresStore(fresh).write({ settings, replace: true, add: Array.from({ length: documents }, (_, n) => syntheticDocument(n, 1, 384, write)) });
    const view = await new PostgresStore(fresh).view();
    const ask = async (text: string, wordsK: number) => (await view.search!({ vector: new Float32Array(384), text, vectorK: 0, wordsK })).words;
    const all = view.searchWords('harbour', documents);
    expect(all.length).toBeGreaterThan(TERM_CAP);
    const capped = await ask('harbour', documents);
    expect(capped).toHaveLength(TERM_CAP);
    // The best passages are kept, with their exact scores and in the same order.
    const top = await ask('harbour', 100);
    expect(top.map((h) => h.passage)).toEqual(all.slice(0, 100).map((h) => h.passage));
    top.forEach((h, i) => expect(h.score).toBeCloseTo(all[i]!.score, 4));
    // A rare term is read in full: the one passage naming a document whose harbour the cap left out is first.
    const dropped = all.slice(TERM_CAP).find((h) => !capped.some((c) => c.passage === h.passage))!;
    const name = view.document(view.passage(dropped.passage).doc).id.replace('doc-', 'docword');
    const [first] = await ask(`harbour ${name}`, 10);
    const [expected] = view.searchWords(`harbour ${name}`, 10);
    expect(first!.passage).toBe(expected!.passage);
    expect(view.text(view.passage(first!.passage).doc)).toContain(`${name} `);
    // Capping changes what a capped term adds to a passage beyond its cap, nothing else.
    expect(first!.score).toBeCloseTo(expected!.score - dropped.score, 4);
  });

  it('reconnects after the server drops its connections: the next question is answered', async () => {
    const fresh = await freshDatabase();
    const settings = { ...SYNTHETIC, dimensions: 384 };
    await new PostgresStore(fresh).write({ settings, add: [syntheticDocument(1, 2, 384)] });
    const view = await new PostgresStore(fresh).view();
    const request = { vector: view.passageVector(0), text: view.text(0).slice(0, 40), vectorK: 2, wordsK: 2 };
    const before = await view.search!(request);
    const admin = new pg.Client({ connectionString: fresh });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await view.search!(request)).toEqual(before);
  });

  it('says in one line when the database cannot be reached', async () => {
    const store = new PostgresStore('postgres://nobody@127.0.0.1:1/none');
    await expect(store.status()).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
    await expect(store.status()).rejects.toThrow(/^Could not reach the PostgreSQL database at 127\.0\.0\.1:1\/none \(.+\)\. Check DATABASE_URL/);
  });
});
