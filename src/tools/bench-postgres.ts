/**
 * `npm run bench -- --backend postgres`: the same SciFact questions answered from the embedded
 * store and from its copy in PostgreSQL (`DATABASE_URL`), in one run. The questions alternate
 * between the two stores (A then B, then B then A), after a warm-up of both, so that a shared
 * machine's changing load weighs on both alike. Two timings per question: retrieval (both
 * searches and fusion, the part the store changes) and the whole answer (`Searcher.ask`:
 * embedding the question, retrieval, quote selection and coverage). The warm-up waits until the
 * PostgreSQL view's in-memory graph (coverage's nearest passages, built in the background once per
 * view) is there, and reports how long that took.
 */
import os from 'node:os';
import { buildIndex } from '../index/build.js';
import type { Embedder } from '../index/embedder.js';
import { EmbeddedStore } from '../index/embedded/store.js';
import type { IndexView } from '../index/store.js';
import { PostgresView } from '../index/postgres/view.js';
import { Searcher } from '../answer/searcher.js';
import { retrieve } from '../retrieval/retrieve.js';
import { postgresCopy } from './eval/prepare.js';
import { percentile, round } from './metrics.js';

/** The collection the bench's SciFact store is copied into. */
const COLLECTION = 'bench-scifact';
const WARM_UP = 10;
/** Passages compared between the two stores' rankings of a question. */
const TOP = 10;


interface Timings {
  p50Ms: number;
  p95Ms: number;
}

function timings(latencies: number[]): Timings {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) };
}

/** Both stores' timings of one measure, and PostgreSQL's over the embedded store's. */
function compared(embedded: number[], postgres: number[]) {
  const [a, b] = [timings(embedded), timings(postgres)];
  return { embedded: a, postgres: b, ratioP50: round(b.p50Ms / a.p50Ms, 2), ratioP95: round(b.p95Ms / a.p95Ms, 2) };
}

/** A passage by its document's id and its place in the document, the same in both stores. */
function passageKey(view: IndexView, passage: number): string {
  const { doc } = view.passage(passage);
  return `${view.document(doc).id}#${passage - view.passageRange(doc)[0]}`;
}

const elapsed = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
};

export interface StoreComparison {
  collection: string;
  passages: number;
  questions: number;
  /** The load average (1, 5, 15 minutes) before and after the timed questions. */
  loadAverage: { before: number[]; after: number[] };
  /** Both searches and fusion (`retrieve`), the question's vector computed once for both. */
  retrieval: ReturnType<typeof compared>;
  /** The whole answer (`Searcher.ask`). */
  answer: ReturnType<typeof compared>;
  /** Mean share of the first ten fused passages the two stores have in common. */
  top10Agreement: number;
  /** Seconds from the end of the warm-up questions until the PostgreSQL view's graph was built. */
  graphWaitSeconds: number;
}

/** Copies the bench's SciFact store into PostgreSQL (unless it holds it already) and times both stores. */
export async function postgresRun(corpusDir: string, storeDir: string, questions: readonly string[], embedder: Embedder, log: (message: string) => void): Promise<StoreComparison> {
  const source = new EmbeddedStore(storeDir);
  log('[postgres] the SciFact store…');
  await buildIndex({ corpusDir, storeDir, store: source, embedder });
  const [embedded, postgres] = [await source.view(), await postgresCopy(source, COLLECTION, log)];
  try {
    const stores = [embedded, postgres] as const;
    const searchers = stores.map((view) => new Searcher(view, embedder));
    for (const q of questions.slice(0, WARM_UP)) for (const searcher of searchers) await searcher.ask(q);
    const waited = performance.now();
    if (postgres instanceof PostgresView) await postgres.nearestGraphReady();
    const graphWaitSeconds = round((performance.now() - waited) / 1000, 2);
    const retrieval: [number[], number[]] = [[], []];
    const answer: [number[], number[]] = [[], []];
    const agreement: number[] = [];
    const before = os.loadavg();
    log(`[postgres] ${questions.length} questions, alternating between the embedded store and PostgreSQL…`);
    for (const [i, q] of questions.entries()) {
      const vector = await embedder.embedQuery(q);
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      const tops: string[][] = [[], []];
      for (const s of order) {
        const [ms, candidates] = await elapsed(() => retrieve(stores[s]!, q, vector));
        retrieval[s]!.push(ms);
        tops[s] = candidates.slice(0, TOP).map((c) => passageKey(stores[s]!, c.passage));
      }
      for (const s of order) answer[s]!.push((await elapsed(() => searchers[s]!.ask(q)))[0]);
      const common = tops[0]!.filter((key) => tops[1]!.includes(key)).length;
      agreement.push(common / Math.max(1, tops[0]!.length));
    }
    return {
      collection: COLLECTION,
      passages: postgres.passageCount,
      questions: questions.length,
      loadAverage: { before: before.map((x) => round(x, 2)), after: os.loadavg().map((x) => round(x, 2)) },
      retrieval: compared(...retrieval),
      answer: compared(...answer),
      top10Agreement: round(agreement.reduce((a, b) => a + b, 0) / agreement.length, 3),
      graphWaitSeconds,
    };
  } finally {
    embedded.close();
    postgres.close();
  }
}
