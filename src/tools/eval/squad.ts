/** SQuAD v1.1 dev: whether an accepted answer lies inside the first 1 / 3 / 5 quotes of `Searcher.ask`. */
import path from 'node:path';
import type { Searcher } from '../../answer/searcher.js';
import type { RetrievalMode } from '../../retrieval/retrieve.js';
import { loadSquad } from '../datasets.js';
import { containsAnswer, mean, seededSample } from '../metrics.js';
import { DEFAULT_CACHE_ROOT, makeSearcher, prepareIndex } from './prepare.js';
import { formatTable, MODES, secondsSince, type DatasetRunner } from './report.js';
import { DEFAULT_SEED, DEFAULT_SQUAD_SAMPLE } from './settings.js';

export interface QuoteScores {
  questions: number;
  /** Share of questions whose accepted answer lies inside one of the first 1 / 3 / 5 quotes. */
  top1: number;
  top3: number;
  top5: number;
  /** Share of questions answered with no quotes at all (below the coverage threshold). */
  noQuotes: number;
  /** Mean length in characters over every quote returned, and over first quotes only. */
  meanQuoteChars: number;
  meanFirstQuoteChars: number;
}

export interface AskedQuestion {
  question: string;
  answers: readonly string[];
}

/** Asks every question through `Searcher.ask` in each mode and checks the quotes for the answer. */
export async function evaluateQuotes(
  searcher: Searcher,
  questions: readonly AskedQuestion[],
  modes: readonly RetrievalMode[] = MODES,
  onProgress?: (done: number) => void,
): Promise<Record<string, QuoteScores>> {
  const results: Record<string, QuoteScores> = {};
  for (const mode of modes) {
    const hits = [0, 0, 0];
    let none = 0;
    const lengths: number[] = [];
    const firstLengths: number[] = [];
    for (const [i, q] of questions.entries()) {
      const answer = await searcher.ask(q.question, { mode, k: 5 });
      const texts = answer.quotes.map((quote) => quote.text);
      const at = texts.findIndex((text) => containsAnswer(text, q.answers));
      if (at >= 0 && at < 1) hits[0]! += 1;
      if (at >= 0 && at < 3) hits[1]! += 1;
      if (at >= 0 && at < 5) hits[2]! += 1;
      if (texts.length === 0) none += 1;
      lengths.push(...texts.map((t) => t.length));
      if (texts[0] !== undefined) firstLengths.push(texts[0].length);
      if ((i + 1) % 500 === 0) onProgress?.(i + 1);
    }
    const n = Math.max(1, questions.length);
    results[mode] = {
      questions: questions.length,
      top1: hits[0]! / n,
      top3: hits[1]! / n,
      top5: hits[2]! / n,
      noQuotes: none / n,
      meanQuoteChars: mean(lengths),
      meanFirstQuoteChars: mean(firstLengths),
    };
  }
  return results;
}

export interface SquadSummary {
  documents: number;
  passages: number;
  questions: number;
  seed: number;
  results: Record<string, QuoteScores>;
}

export const runSquad: DatasetRunner<SquadSummary> = async ({ datasetsDir, settings, embedder, modes = MODES, options, log }) => {
  const started = performance.now();
  const { limit } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const data = await loadSquad(datasetsDir);
  const prepared = await prepareIndex({
    dataset: 'squad', datasetsDir, folder: path.join(DEFAULT_CACHE_ROOT, limit === undefined ? 'squad' : `squad-${limit}`),
    embedder, packing: settings.packing, limit, log, backend: options.backend,
  });
  const indexedArticles = limit === undefined ? data.questions : data.questions.filter((q) => q.article < limit);
  const questions = seededSample(indexedArticles, options.all ? indexedArticles.length : (options.sample ?? DEFAULT_SQUAD_SAMPLE), seed);
  log(`  asking ${questions.length} questions × ${modes.length} modes …`);
  const searcher = makeSearcher(prepared.store, embedder, settings.search);
  const results = await evaluateQuotes(searcher, questions, modes, (done) => log(`  ${done}/${questions.length}`));
  const { documentCount: documents, passageCount: passages } = prepared.store;
  const seconds = secondsSince(started);
  return {
    summary: { documents, passages, questions: questions.length, seed, results, seconds },
    lines: [
      `SQuAD v1.1 dev: ${questions.length} questions (seed ${seed}), ${documents} articles, ${passages} passages; answer inside the first k quotes of Searcher.ask (${seconds} s)`,
      formatTable(
        ['mode', 'top-1', 'top-3', 'top-5', 'no quotes', 'mean quote chars', 'mean 1st quote chars'],
        Object.entries(results).map(([mode, r]) => [
          mode, r.top1, r.top3, r.top5, r.noQuotes, r.meanQuoteChars.toFixed(0), r.meanFirstQuoteChars.toFixed(0),
        ]),
      ),
    ],
  };
};
