/**
 * `npm run bench -- --backend postgres` on the seeds against the suite's real PostgreSQL: both
 * stores timed over the same questions, the store copied into the database once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../src/index/embedded/store.js';
import type { Embedder } from '../../src/index/embedder.js';
import { postgresRun } from '../../src/tools/bench-postgres.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { ANSWERED } from '../helpers/seed-questions.js';
import { copySeedCorpus, foldersRemovedAfterAll, temporaryFolder } from '../helpers/seeds.js';

const folders = foldersRemovedAfterAll();
let embedder: Embedder;

beforeAll(async () => {
  embedder = await sharedEmbedder();
  process.env.DATABASE_URL = await freshDatabase();
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await dropDatabases();
});

describe('the bench against PostgreSQL', () => {
  it('times the same questions through both stores, and copies the store into the database only once', async () => {
    // A copy: the copy into the database marks its corpus folder as the collection's (.verbatim-folder).
    const corpus = await copySeedCorpus();
    const store = await temporaryFolder('verbatim-bench-store-');
    folders.push(corpus, store);
    const questions = ANSWERED.slice(0, 6).map(([question]) => question);
    const logged: string[] = [];
    const first = await postgresRun(corpus, store, questions, embedder, (line) => logged.push(line));
    expect(logged.some((line) => line.includes('copying'))).toBe(true);
    const view = await new EmbeddedStore(store).view();
    expect(first).toMatchObject({ collection: 'bench-scifact', passages: view.passageCount, questions: questions.length });
    view.close();
    for (const measure of [first.retrieval, first.answer]) {
      for (const timing of [measure.embedded, measure.postgres]) {
        expect(timing.p50Ms).toBeGreaterThan(0);
        expect(timing.p95Ms).toBeGreaterThanOrEqual(timing.p50Ms);
      }
      expect(measure.ratioP95).toBeCloseTo(measure.postgres.p95Ms / measure.embedded.p95Ms, 1);
    }
    // Both stores rank the seeds' passages alike (the copy's vectors are the int8 rows, so a near tie may swap at the tenth).
    expect(first.top10Agreement).toBeGreaterThan(0.9);

    logged.length = 0;
    await postgresRun(corpus, store, questions.slice(0, 2), embedder, (line) => logged.push(line));
    expect(logged.some((line) => line.includes('copying'))).toBe(false);
  });
});
