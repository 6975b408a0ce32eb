/**
 * News QA (realtimeqa-dev): real news-quiz questions over real news articles, asked through
 * `Searcher.ask` exactly as `verbatim ask --json` asks them (k = 5 quotes), and scored as the data
 * set's own `tools/score.py` scores them (see news-score.ts), beside its BM25 baseline.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { asVerbatimError } from '../../errors.js';
import { answerJson } from '../../present/json.js';
import { DEFAULT_K, type Searcher } from '../../answer/searcher.js';
import { resolveFilter } from '../../answer/filter.js';
import type { RetrievalMode } from '../../retrieval/retrieve.js';
import { loadNewsQuestions, newsCorpusDir, type NewsQuestion } from '../datasets.js';
import { diagnoseNews, diagnosisLines, type NewsDiagnosis } from './news-diagnose.js';
import { parseAnswerLines, scoreAnswers, type NewsScoreSummary } from './news-score.js';
import { DEFAULT_CACHE_ROOT, makeSearcher, prepareIndex } from './prepare.js';
import { formatTable, percent, secondsSince, type DatasetRunner } from './report.js';

/** The modes measured unless told otherwise: the one `verbatim ask` uses. */
export const NEWS_MODES: readonly RetrievalMode[] = ['hybrid'];

/**
 * The peer baseline's figures, from the data set's README (plain BM25, 3-sentence passages, top 5;
 * it always gives 5 quotes: zero-quote rate 0, as its answers scored by score.py show).
 */
export const BM25_BASELINE = {
  'answer_verbatim@1': 0.41, 'answer_verbatim@3': 0.6, 'answer_verbatim@5': 0.67,
  'cited_gold@1': 0.615, 'cited_gold@3': 0.775, 'cited_gold@5': 0.83,
  zero_quote_rate: 0, mean_quote_chars: 364,
} as const;

/** One answer as `verbatim ask --json` prints it (a question it cannot take: `{question, error}`), parsed. */
export async function askAsCli(searcher: Searcher, question: string, mode?: RetrievalMode, until?: string | null): Promise<Record<string, unknown>> {
  try {
    // With `until`, as `{"question", "until"}` on standard input asks it.
    const filter = until ? resolveFilter({ until }) : undefined;
    const answer = await searcher.ask(question, { k: DEFAULT_K, ...(mode === undefined ? {} : { mode }), ...(filter ? { filter } : {}) });
    return JSON.parse(answerJson(answer)) as Record<string, unknown>;
  } catch (error) {
    const failure = asVerbatimError(error);
    if (failure.code === 'INTERNAL') throw error;
    return { question, error: { code: failure.code, message: failure.message } };
  }
}

/** Every question's answer, in question order. */
export async function askAll(
  searcher: Searcher,
  questions: readonly NewsQuestion[],
  mode?: RetrievalMode,
  onProgress?: (done: number) => void,
  untilAsked = false,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const q of questions) {
    out.push(await askAsCli(searcher, q.question, mode, untilAsked ? q.date : null));
    if (out.length % 50 === 0) onProgress?.(out.length);
  }
  return out;
}

/** `FILE` for one mode; `FILE` with the mode before its extension when several are written. */
function answersFile(file: string, mode: string, several: boolean): string {
  if (!several) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.${mode}${ext}`;
}

export interface NewsSummary {
  documents: number | null;
  passages: number | null;
  questions: number;
  /** The corpus folder the verbatim check read (the data set's own). */
  corpus: string;
  /** score.py's summary, key for key, per mode (or per scored file). */
  results: Record<string, NewsScoreSummary>;
  baseline: typeof BM25_BASELINE;
  diagnosis?: NewsDiagnosis;
  answersOut?: string[];
}

export const runNews: DatasetRunner<NewsSummary> = async ({ datasetsDir, settings, embedder, modes = NEWS_MODES, options, log }) => {
  const started = performance.now();
  const all = await loadNewsQuestions(datasetsDir);
  const questions = all.slice(0, options.queries ?? all.length);
  const corpus = newsCorpusDir(datasetsDir);
  const results: Record<string, NewsScoreSummary> = {};
  const failures: string[] = [];
  let documents: number | null = null;
  let passages: number | null = null;
  let diagnosis: NewsDiagnosis | undefined;
  const answersOut: string[] = [];

  if (options.score !== undefined) {
    const answers = parseAnswerLines(await fs.readFile(options.score, 'utf8'));
    const scored = scoreAnswers(questions, answers, corpus);
    results[path.basename(options.score)] = scored.summary;
    failures.push(...scored.failures);
  } else {
    const prepared = await prepareIndex({ dataset: 'news', datasetsDir, folder: path.join(DEFAULT_CACHE_ROOT, 'news'), embedder, packing: settings.packing, log, backend: options.backend });
    documents = prepared.store.documentCount;
    passages = prepared.store.passageCount;
    const searcher = makeSearcher(prepared.store, embedder, settings.search);
    for (const mode of modes) {
      log(`  asking ${questions.length} news questions (${mode}) …`);
      const answers = await askAll(searcher, questions, mode, (done) => log(`  ${done}/${questions.length}`), options['until-asked'] ?? false);
      const scored = scoreAnswers(questions, answers, corpus);
      results[mode] = scored.summary;
      failures.push(...scored.failures);
      if (options['answers-out'] !== undefined) {
        const file = answersFile(options['answers-out'], mode, modes.length > 1);
        await fs.writeFile(file, answers.map((a) => `${JSON.stringify(a)}\n`).join(''));
        answersOut.push(file);
      }
      if (options.diagnose && diagnosis === undefined) diagnosis = await diagnoseNews(searcher, questions, answers, mode, corpus);
    }
  }

  const seconds = secondsSince(started);
  const b = BM25_BASELINE;
  const row = (name: string, r: NewsScoreSummary) => [
    name, r['answer_verbatim@1']!, r['answer_verbatim@3']!, r['answer_verbatim@5']!, r['cited_gold@1']!, r['cited_gold@3']!, r['cited_gold@5']!,
    percent(r.zero_quote_rate), r.mean_quote_chars === null ? '-' : r.mean_quote_chars.toFixed(0),
  ];
  const notes = Object.entries(results).map(([name, r]) =>
    `  ${name}: verbatim rate ${r.verbatim_rate ?? '-'}, quotes/answer ${r.mean_quotes}, answer@1/3/5 counting every quote ` +
      `${r['answer@1']}/${r['answer@3']}/${r['answer@5']}${r.warnings.length ? `; warnings: ${r.warnings.join('; ')}` : ''}`,
  );
  return {
    summary: {
      documents, passages, questions: questions.length, corpus, results, baseline: b,
      ...(diagnosis ? { diagnosis } : {}), ...(answersOut.length ? { answersOut } : {}), seconds,
    },
    lines: [
      `News QA (realtimeqa-dev): ${questions.length} questions` +
        (documents === null ? `, answers from ${options.score}` : `, ${documents} articles, ${passages} passages; Searcher.ask, k ${DEFAULT_K}`) +
        (options['until-asked'] ? ', each with until = the day it was asked' : '') +
        `; scored as tools/score.py (answer@k: verbatim quotes only) (${seconds} s)`,
      formatTable(
        ['mode', 'answer@1', 'answer@3', 'answer@5', 'gold file@1', 'gold file@3', 'gold file@5', 'zero quotes', 'mean quote chars'],
        [
          ...Object.entries(results).map(([name, r]) => row(name, r)),
          ['BM25 baseline (its README)', b['answer_verbatim@1'], b['answer_verbatim@3'], b['answer_verbatim@5'], b['cited_gold@1'], b['cited_gold@3'], b['cited_gold@5'], percent(b.zero_quote_rate), String(b.mean_quote_chars)],
        ],
      ),
      ...notes,
      ...failures.map((f) => `  not verbatim: ${f}`),
      ...(answersOut.length ? [`  answers written to ${answersOut.join(', ')} (check: python3 tools/score.py --questions … --answers FILE --corpus … --json)`] : []),
      ...(diagnosis ? diagnosisLines(diagnosis) : []),
    ],
  };
};
