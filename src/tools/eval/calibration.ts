/**
 * The no-coverage threshold: with half of SQuAD's articles indexed, how many questions about the
 * other half (and SciFact claims) would still get quotes, and how many answerable ones would not.
 */
import path from 'node:path';
import { Searcher } from '../../answer/searcher.js';
import { loadScifact, loadSquad, type SquadQuestion } from '../datasets.js';
import { containsAnswer, seededSample } from '../metrics.js';
import { DEFAULT_CACHE_ROOT, makeSearcher, prepareIndex } from './prepare.js';
import { formatTable, secondsSince, type DatasetRunner } from './report.js';
import { DEFAULT_SEED } from './settings.js';
import type { AskedQuestion } from './squad.js';

export interface ScoredQuestion {
  /** Best sentence score (what the coverage threshold is compared with); 0 when nothing was retrieved. */
  best: number;
  /** Whether an accepted answer lay inside the first 5 quotes when no threshold applied. */
  answered: boolean;
}

/** Best-sentence score of each question with the threshold disabled, and whether the answer was quoted. */
export async function scoreQuestions(searcher: Searcher, questions: readonly AskedQuestion[]): Promise<ScoredQuestion[]> {
  const open = new Searcher(searcher.store, searcher.embedder, { ...searcher.settings, coverageThreshold: -Infinity });
  const out: ScoredQuestion[] = [];
  for (const q of questions) {
    const answer = await open.ask(q.question, { k: 5 });
    out.push({
      best: answer.quotes.reduce((best, quote) => Math.max(best, quote.relevance), 0),
      answered: answer.quotes.some((quote) => containsAnswer(quote.text, q.answers)),
    });
  }
  return out;
}

export interface CalibrationRow {
  threshold: number;
  /** Held-out questions (their article not indexed) that would still get quotes. */
  falseCoverage: number;
  /** Questions from another domain (SciFact claims) that would get quotes. */
  falseCoverageCross: number;
  /** Indexed questions that would get no quotes. */
  lostQuestions: number;
  /** Indexed questions whose answer was quoted without a threshold but would get no quotes. */
  lostAnswers: number;
}

export function calibrationTable(
  indexed: readonly ScoredQuestion[],
  heldOut: readonly ScoredQuestion[],
  cross: readonly ScoredQuestion[],
  thresholds: readonly number[],
): CalibrationRow[] {
  const share = (xs: readonly ScoredQuestion[], f: (x: ScoredQuestion) => boolean) => (xs.length ? xs.filter(f).length / xs.length : 0);
  const answered = indexed.filter((q) => q.answered);
  return thresholds.map((t) => ({
    threshold: t,
    falseCoverage: share(heldOut, (q) => q.best >= t),
    falseCoverageCross: share(cross, (q) => q.best >= t),
    lostQuestions: share(indexed, (q) => q.best < t),
    lostAnswers: share(answered, (q) => q.best < t),
  }));
}

/**
 * The threshold with the fewest errors of both kinds, counted equally: held-out questions that
 * get quotes plus answerable questions whose quotes are withheld. Ties go to the lower threshold.
 */
export function chooseThreshold(rows: readonly CalibrationRow[]): CalibrationRow | undefined {
  return rows.reduce<CalibrationRow | undefined>((best, row) => {
    const cost = (r: CalibrationRow) => r.falseCoverage + r.lostAnswers;
    return !best || cost(row) < cost(best) - 1e-12 ? row : best;
  }, undefined);
}

export interface CalibrationSummary {
  indexedArticles: number;
  questions: { indexed: number; heldOut: number; crossDomain: number };
  answeredWithoutThreshold: number;
  rows: CalibrationRow[];
  current: CalibrationRow;
  chosen: CalibrationRow | undefined;
  bestScoreQuantiles: { indexed: number[]; heldOut: number[]; crossDomain: number[] };
}

const quantiles = (xs: readonly ScoredQuestion[]) => {
  const s = xs.map((x) => x.best).sort((a, b) => a - b);
  return [0.1, 0.5, 0.9].map((p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
};

export const runCalibration: DatasetRunner<CalibrationSummary> = async ({ datasetsDir, settings, embedder, options, log }) => {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const data = await loadSquad(datasetsDir);
  // Even-numbered articles are indexed; questions about odd-numbered ones have no coverage.
  const indexedArticles = new Set(data.articles.map((_, i) => i).filter((i) => i % 2 === 0));
  const prepared = await prepareIndex({
    dataset: 'squad', datasetsDir, folder: path.join(DEFAULT_CACHE_ROOT, 'squad-even'),
    embedder, packing: settings.packing, only: new Set([...indexedArticles].map(String)), log,
  });
  const perSide = options.all ? Infinity : (options.sample ?? 1000);
  const pick = (qs: SquadQuestion[]) => seededSample(qs, Math.min(perSide, qs.length), seed);
  const inside = pick(data.questions.filter((q) => indexedArticles.has(q.article)));
  const outside = pick(data.questions.filter((q) => !indexedArticles.has(q.article)));
  const claims = (await loadScifact(datasetsDir)).queries.map((q) => ({ question: q.text, answers: [] as string[] }));
  const searcher = makeSearcher(prepared.store, embedder, settings.search);
  log(`  scoring ${inside.length} indexed, ${outside.length} held-out SQuAD questions and ${claims.length} SciFact claims …`);
  const indexed = await scoreQuestions(searcher, inside);
  const heldOut = await scoreQuestions(searcher, outside);
  const cross = await scoreQuestions(searcher, claims);
  const thresholds = Array.from({ length: 21 }, (_, i) => Math.round((0.3 + i * 0.02) * 100) / 100);
  const rows = calibrationTable(indexed, heldOut, cross, thresholds);
  const chosen = chooseThreshold(rows);
  const currentThreshold = settings.search.coverageThreshold;
  const current = calibrationTable(indexed, heldOut, cross, [currentThreshold])[0]!;
  const answeredWithoutThreshold = indexed.filter((q) => q.answered).length / Math.max(1, indexed.length);
  const bestScoreQuantiles = { indexed: quantiles(indexed), heldOut: quantiles(heldOut), crossDomain: quantiles(cross) };
  const fixed = (xs: number[]) => xs.map((x) => x.toFixed(3)).join('/');
  return {
    summary: {
      indexedArticles: indexedArticles.size,
      questions: { indexed: inside.length, heldOut: outside.length, crossDomain: claims.length },
      answeredWithoutThreshold, rows, current, chosen, bestScoreQuantiles,
      seconds: secondsSince(started),
    },
    lines: [
      `No-coverage calibration: ${indexedArticles.size} of ${data.articles.length} SQuAD articles indexed (${prepared.store.passageCount} passages); ` +
        `${inside.length} questions about indexed articles, ${outside.length} about held-out ones, ${claims.length} SciFact claims (cross-domain)`,
      `answer in top 5 with no threshold: ${(answeredWithoutThreshold * 100).toFixed(1)}% of indexed questions`,
      `best-sentence score p10/p50/p90: indexed ${fixed(bestScoreQuantiles.indexed)}, held-out ${fixed(bestScoreQuantiles.heldOut)}, SciFact ${fixed(bestScoreQuantiles.crossDomain)}`,
      formatTable(
        ['threshold', 'false coverage (held-out)', 'false coverage (SciFact)', 'lost questions', 'lost answers'],
        [...rows, ...(rows.some((r) => r.threshold === current.threshold) ? [] : [current])]
          .sort((a, b) => a.threshold - b.threshold)
          .map((r) => [
            `${r.threshold.toFixed(2)}${r.threshold === chosen?.threshold ? ' (chosen)' : ''}${r.threshold === currentThreshold ? ' (current)' : ''}`,
            r.falseCoverage, r.falseCoverageCross, r.lostQuestions, r.lostAnswers,
          ]),
      ),
      `chosen: ${chosen?.threshold.toFixed(2)} (fewest held-out questions with quotes + answerable questions without, counted equally)`,
    ],
  };
};
