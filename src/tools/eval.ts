/**
 * `npm run eval`: retrieval quality against published results, and the instrument to tune with.
 *
 *   --dataset scifact       BEIR SciFact: nDCG@10 / Recall@100 per retrieval mode
 *   --dataset squad         SQuAD v1.1 dev: answer inside the first 1 / 3 / 5 quotes of Searcher.ask
 *   --dataset calibration   the no-coverage threshold: held-out vs indexed SQuAD questions
 *
 * Data sets are read from ../shared/datasets (or --datasets DIR); each is written as corpus files
 * and indexed by the project's own pipeline into embeddings/cache/eval/<name>/ (incremental, so a
 * re-run after a retrieval change does not re-embed). The table goes to stdout; with --json one
 * JSON summary is the last line. Progress goes to stderr.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../config.js';
import { buildIndex, type IndexReport } from '../index/build.js';
import { Embedder } from '../index/embedder.js';
import { DEFAULT_PACKING, type PackOptions } from '../index/segment.js';
import { openStore } from '../index/backend.js';
import type { IndexView } from '../index/store.js';
import { DEFAULT_SEARCH, Searcher, type SearchSettings } from '../answer/searcher.js';
import { normalizeQuestion } from '../retrieval/question.js';
import { DEFAULT_SELECTION, type SelectionSettings } from '../retrieval/quotes.js';
import { FUSION_WEIGHTS, retrieve, RETRIEVER_DEPTH, RRF_K, type RetrievalMode, type RetrieveOptions } from '../retrieval/retrieve.js';
import {
  DEFAULT_DATASETS_DIR,
  loadScifact,
  loadSquad,
  scifactSample,
  writeDatasetCorpus,
  type BeirQuery,
  type DatasetName,
  type Qrels,
  type SquadQuestion,
} from './datasets.js';
import { containsAnswer, documentRanking, mean, mrrAtK, ndcgAtK, recallAtK, seededSample } from './metrics.js';

export const MODES: readonly RetrievalMode[] = ['lexical', 'vector', 'hybrid'];
/** Passages taken from each retriever when measuring Recall@100 (documents have several passages). */
export const RECALL_DEPTH = 1000;
export const DEFAULT_CACHE_ROOT = path.join(PROJECT_ROOT, 'embeddings', 'cache', 'eval');
export const DEFAULT_SQUAD_SAMPLE = 2000;
export const DEFAULT_SEED = 20240601;

// ---------------------------------------------------------------------------------------------
// Indexes

export interface PreparedIndex {
  store: IndexView;
  /** Corpus ids written, in data set order. */
  ids: string[];
  corpusDir: string;
  storeDir: string;
  report: IndexReport;
}

export interface PrepareOptions {
  dataset: DatasetName;
  datasetsDir: string;
  /** Folder holding this index's corpus/ and store-*\/ (one store per packing, so packings can be compared). */
  folder: string;
  embedder: Embedder;
  packing?: PackOptions;
  limit?: number;
  only?: ReadonlySet<string>;
  log?: (message: string) => void;
}

export function packingTag(packing: PackOptions): string {
  return `t${packing.maxTokens}-o${packing.overlapSentences}`;
}

/** Writes the data set's corpus files and builds (or reuses) the index over them. */
export async function prepareIndex(options: PrepareOptions): Promise<PreparedIndex> {
  const packing = options.packing ?? DEFAULT_PACKING;
  const corpusDir = path.join(options.folder, 'corpus');
  const storeDir = path.join(options.folder, `store-${packingTag(packing)}`);
  const log = options.log ?? (() => {});
  const written = await writeDatasetCorpus(options.dataset, options.datasetsDir, corpusDir, options.limit, { only: options.only });
  log(`${options.dataset}: ${written.ids.length} documents in ${path.relative(PROJECT_ROOT, corpusDir) || corpusDir} (${written.changed} written, ${written.removed} removed)`);
  let lastLog = 0;
  const report = await buildIndex({
    corpusDir,
    storeDir,
    embedder: options.embedder,
    packing,
    onProgress: ({ phase, done, total }) => {
      const now = Date.now();
      if (now - lastLog < 10_000 && done !== total) return;
      lastLog = now;
      log(`  ${phase} ${done}/${total}`);
    },
  });
  log(
    report.upToDate
      ? `  index up to date (${report.passages} passages)`
      : `  indexed: ${report.documents} documents, ${report.passages} passages, ${report.embeddedPassages} embedded in ${report.seconds.toFixed(0)} s`,
  );
  const store = await openStore(storeDir).view();
  return { store, ids: written.ids, corpusDir, storeDir, report };
}

// ---------------------------------------------------------------------------------------------
// Ranking (SciFact)

export interface RankingScores {
  queries: number;
  ndcg10: number;
  recall100: number;
  mrr10: number;
}

export interface RankingOptions extends RetrieveOptions {
  /** Passages per retriever for Recall@100; nDCG@10 and MRR@10 use the production depth. */
  recallDepth?: number;
}

/** The documents of a passage ranking, each at the rank of its best passage. */
export function rankDocuments(store: IndexView, passages: readonly { passage: number }[]): string[] {
  return documentRanking(passages.map((c) => store.document(store.passage(c.passage).doc).id));
}

/**
 * nDCG@10, Recall@100 and MRR@10 of each retrieval mode, a document scored by its best passage.
 * `queryVectors` may be given to skip embedding (they are the model's vectors of the normalised queries).
 */
export async function evaluateRanking(
  store: IndexView,
  embedder: Embedder,
  queries: readonly BeirQuery[],
  qrels: Qrels,
  modes: readonly RetrievalMode[] = MODES,
  options: RankingOptions = {},
): Promise<Record<string, RankingScores>> {
  const perMode = new Map(modes.map((m) => [m, { ndcg: [] as number[], recall: [] as number[], mrr: [] as number[] }]));
  const depth = options.depth ?? RETRIEVER_DEPTH;
  const recallDepth = Math.max(depth, options.recallDepth ?? RECALL_DEPTH);
  for (const query of queries) {
    const judged = qrels.get(query.id);
    if (!judged) continue;
    const question = normalizeQuestion(query.text);
    const vector = await embedder.embedQuery(question);
    for (const mode of modes) {
      const scores = perMode.get(mode)!;
      const top = rankDocuments(store, retrieve(store, question, vector, mode, { ...options, depth }));
      const deep = recallDepth === depth ? top : rankDocuments(store, retrieve(store, question, vector, mode, { ...options, depth: recallDepth }));
      scores.ndcg.push(ndcgAtK(top, judged, 10));
      scores.mrr.push(mrrAtK(top, judged, 10));
      scores.recall.push(recallAtK(deep, judged, 100));
    }
  }
  return Object.fromEntries(
    [...perMode].map(([mode, s]) => [mode, { queries: s.ndcg.length, ndcg10: mean(s.ndcg), recall100: mean(s.recall), mrr10: mean(s.mrr) }]),
  );
}

// ---------------------------------------------------------------------------------------------
// Quotes (SQuAD)

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

// ---------------------------------------------------------------------------------------------
// No-coverage calibration

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

/** A Searcher over a prepared index (the default settings unless told otherwise). */
export function makeSearcher(store: IndexView, embedder: Embedder, settings: SearchSettings = DEFAULT_SEARCH): Searcher {
  return new Searcher(store, embedder, settings);
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

// ---------------------------------------------------------------------------------------------
// Diagnostics: SciFact as MTEB embeds it (one vector per document, title + " " + text, first 256 tokens)

/** Ranks the corpus by exact cosine with whole-document vectors (cached beside the index). */
export async function wholeDocumentVectors(
  embedder: Embedder,
  docs: readonly { id: string; title: string; text: string }[],
  cacheFile: string,
  log: (message: string) => void = () => {},
): Promise<Float32Array> {
  const dims = embedder.dimensions;
  const cached = await fs.readFile(cacheFile).catch(() => null);
  if (cached && cached.byteLength === docs.length * dims * 4) return new Float32Array(new Uint8Array(cached).buffer);
  log(`  embedding ${docs.length} whole documents (MTEB style) …`);
  const inputs = docs.map((d) => [embedder.tokenize(`${d.title} ${d.text}`.trim()).slice(0, embedder.contentTokenLimit)]);
  const out = new Float32Array(docs.length * dims);
  const embedded = await embedder.embedPassages(inputs, (done) => {
    if (done % 1024 === 0) log(`  ${done}/${docs.length}`);
  });
  embedded.forEach((e, i) => out.set(e.passage, i * dims));
  await fs.mkdir(path.dirname(cacheFile), { recursive: true });
  await fs.writeFile(cacheFile, new Uint8Array(out.buffer));
  return out;
}

export async function evaluateWholeDocuments(
  embedder: Embedder,
  docIds: readonly string[],
  vectors: Float32Array,
  queries: readonly BeirQuery[],
  qrels: Qrels,
): Promise<RankingScores> {
  const dims = embedder.dimensions;
  const ndcg: number[] = [];
  const recall: number[] = [];
  const mrr: number[] = [];
  for (const query of queries) {
    const judged = qrels.get(query.id);
    if (!judged) continue;
    const q = await embedder.embedQuery(normalizeQuestion(query.text));
    const scores = docIds.map((id, i) => {
      let s = 0;
      for (let d = 0; d < dims; d += 1) s += q[d]! * vectors[i * dims + d]!;
      return { id, s };
    });
    const ranked = scores.sort((a, b) => b.s - a.s).slice(0, 100).map((x) => x.id);
    ndcg.push(ndcgAtK(ranked, judged, 10));
    recall.push(recallAtK(ranked, judged, 100));
    mrr.push(mrrAtK(ranked, judged, 10));
  }
  return { queries: ndcg.length, ndcg10: mean(ndcg), recall100: mean(recall), mrr10: mean(mrr) };
}

// ---------------------------------------------------------------------------------------------
// Output

export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Command line

interface Settings {
  packing: PackOptions;
  retrieval: Required<RetrieveOptions>;
  search: SearchSettings;
}

function numberOption(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got "${raw}"`);
  return value;
}

function settingsFrom(values: Record<string, string | boolean | undefined>): Settings {
  const num = (name: string) => numberOption(values[name] as string | undefined, name);
  const packing: PackOptions = {
    maxTokens: num('max-tokens') ?? DEFAULT_PACKING.maxTokens,
    overlapSentences: num('overlap') ?? DEFAULT_PACKING.overlapSentences,
  };
  const retrieval: Required<RetrieveOptions> = {
    depth: num('depth') ?? RETRIEVER_DEPTH,
    rrfK: num('rrf-k') ?? RRF_K,
    weights: { vector: num('vector-weight') ?? FUSION_WEIGHTS.vector, lexical: num('lexical-weight') ?? FUSION_WEIGHTS.lexical },
  };
  const selection: SelectionSettings = {
    ...DEFAULT_SELECTION,
    passages: num('quote-passages') ?? DEFAULT_SELECTION.passages,
    overlapWeight: num('overlap-weight') ?? DEFAULT_SELECTION.overlapWeight,
    passageWeight: num('passage-weight') ?? DEFAULT_SELECTION.passageWeight,
    relativeFloor: num('relative-floor') ?? DEFAULT_SELECTION.relativeFloor,
    headingFactor: num('heading-factor') ?? DEFAULT_SELECTION.headingFactor,
    figureBonus: num('figure-bonus') ?? DEFAULT_SELECTION.figureBonus,
  };
  const search: SearchSettings = {
    ...DEFAULT_SEARCH,
    selection,
    coverageThreshold: num('threshold') ?? DEFAULT_SEARCH.coverageThreshold,
    retrieval,
  };
  return { packing, retrieval, search };
}

const USAGE = `usage: npm run eval -- --dataset scifact|squad|calibration [options]
  --datasets DIR        data sets folder (default ../shared/datasets)
  --json                print one JSON summary as the last line
  --modes LIST          retrieval modes, comma-separated (default lexical,vector,hybrid)
  --limit N             SciFact: a corpus sample of N abstracts keeping the chosen queries' judged ones;
                        SQuAD: index only the first N articles
  --queries N           SciFact: only the first N queries
  --sample N | --all    SQuAD: seeded sample of N questions (default ${DEFAULT_SQUAD_SAMPLE}) or all
  --seed N              sample seed (default ${DEFAULT_SEED})
  --diagnose            SciFact: also rank whole-document vectors as MTEB does
  tuning overrides (defaults are the constants in src/): --max-tokens N --overlap N --depth N
  --rrf-k N --vector-weight W --lexical-weight W --threshold T --quote-passages N
  --overlap-weight W --passage-weight W --relative-floor F --heading-factor F --figure-bonus B`;

export async function runEval(argv: readonly string[], out: (line: string) => void, log: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dataset: { type: 'string' },
      datasets: { type: 'string' },
      json: { type: 'boolean', default: false },
      modes: { type: 'string' },
      limit: { type: 'string' },
      queries: { type: 'string' },
      sample: { type: 'string' },
      all: { type: 'boolean', default: false },
      seed: { type: 'string' },
      diagnose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      'max-tokens': { type: 'string' },
      overlap: { type: 'string' },
      depth: { type: 'string' },
      'rrf-k': { type: 'string' },
      'vector-weight': { type: 'string' },
      'lexical-weight': { type: 'string' },
      threshold: { type: 'string' },
      'quote-passages': { type: 'string' },
      'overlap-weight': { type: 'string' },
      'passage-weight': { type: 'string' },
      'relative-floor': { type: 'string' },
      'heading-factor': { type: 'string' },
      'figure-bonus': { type: 'string' },
    },
  });
  const dataset = values.dataset;
  if (values.help || !dataset || !['scifact', 'squad', 'calibration'].includes(dataset)) {
    (values.help ? out : log)(USAGE);
    return values.help ? 0 : 2;
  }
  const datasetsDir = path.resolve(PROJECT_ROOT, values.datasets ?? DEFAULT_DATASETS_DIR);
  const modes = (values.modes?.split(',').map((m) => m.trim()) ?? [...MODES]) as RetrievalMode[];
  for (const mode of modes) if (!MODES.includes(mode)) throw new Error(`unknown mode ${mode}`);
  const settings = settingsFrom(values);
  const limit = numberOption(values.limit, 'limit');
  const seed = numberOption(values.seed, 'seed') ?? DEFAULT_SEED;
  const config = loadConfig();
  const embedder = await Embedder.load(config.modelDir, config.modelName);
  const started = performance.now();
  const summary: Record<string, unknown> = {
    dataset,
    model: embedder.modelId,
    packing: settings.packing,
    retrieval: settings.retrieval,
    selection: settings.search.selection,
    coverageThreshold: settings.search.coverageThreshold,
  };
  const lines: string[] = [];

  if (dataset === 'scifact') {
    const data = await loadScifact(datasetsDir);
    const queryLimit = numberOption(values.queries, 'queries') ?? data.queries.length;
    // With --limit, the corpus is a sample that keeps the judged documents of the chosen queries.
    const sample = limit === undefined ? undefined : scifactSample(data, queryLimit, limit);
    const queries = sample?.queries ?? data.queries.slice(0, queryLimit);
    const folder = path.join(DEFAULT_CACHE_ROOT, limit === undefined ? 'scifact' : 'scifact-sample');
    const prepared = await prepareIndex({ dataset: 'scifact', datasetsDir, folder, embedder, packing: settings.packing, only: sample?.only, log });
    log(`  ranking ${queries.length} queries …`);
    const results: Record<string, RankingScores> = await evaluateRanking(prepared.store, embedder, queries, data.qrels, modes, settings.retrieval);
    if (values.diagnose) {
      const docs = sample ? data.corpus.filter((d) => sample.only.has(d.id)) : data.corpus;
      const cacheFile = path.join(folder, `whole-docs-${docs.length}-${embedder.modelId.replace(/[^\w.-]/g, '_')}.f32`);
      const vectors = await wholeDocumentVectors(embedder, docs, cacheFile, log);
      results['vector, whole doc (MTEB style)'] = await evaluateWholeDocuments(embedder, docs.map((d) => d.id), vectors, queries, data.qrels);
    }
    summary.documents = prepared.store.documentCount;
    summary.passages = prepared.store.passageCount;
    summary.queries = queries.length;
    summary.results = results;
    lines.push(
      `SciFact (BEIR test): ${queries.length} queries, ${prepared.store.documentCount} documents, ${prepared.store.passageCount} passages (${packingTag(settings.packing)})`,
      formatTable(
        ['mode', 'nDCG@10', 'Recall@100', 'MRR@10'],
        Object.entries(results).map(([mode, r]) => [mode, r.ndcg10, r.recall100, r.mrr10]),
      ),
      'published nDCG@10: BM25 0.665 (multifield) / 0.679 (flat); all-MiniLM-L6-v2 0.645 (MTEB). Recall@100: 0.908 / 0.925; 0.925',
    );
  }

  if (dataset === 'squad') {
    const data = await loadSquad(datasetsDir);
    const prepared = await prepareIndex({
      dataset: 'squad', datasetsDir, folder: path.join(DEFAULT_CACHE_ROOT, limit === undefined ? 'squad' : `squad-${limit}`),
      embedder, packing: settings.packing, limit, log,
    });
    const indexedArticles = limit === undefined ? data.questions : data.questions.filter((q) => q.article < limit);
    const sampleSize = values.all ? indexedArticles.length : (numberOption(values.sample, 'sample') ?? DEFAULT_SQUAD_SAMPLE);
    const questions = seededSample(indexedArticles, sampleSize, seed);
    log(`  asking ${questions.length} questions × ${modes.length} modes …`);
    const searcher = makeSearcher(prepared.store, embedder, settings.search);
    const results = await evaluateQuotes(searcher, questions, modes, (done) => log(`  ${done}/${questions.length}`));
    summary.documents = prepared.store.documentCount;
    summary.passages = prepared.store.passageCount;
    summary.questions = questions.length;
    summary.seed = seed;
    summary.results = results;
    lines.push(
      `SQuAD v1.1 dev: ${questions.length} questions (seed ${seed}), ${prepared.store.documentCount} articles, ${prepared.store.passageCount} passages; answer inside the first k quotes of Searcher.ask`,
      formatTable(
        ['mode', 'top-1', 'top-3', 'top-5', 'no quotes', 'mean quote chars', 'mean 1st quote chars'],
        Object.entries(results).map(([mode, r]) => [
          mode, r.top1, r.top3, r.top5, r.noQuotes, r.meanQuoteChars.toFixed(0), r.meanFirstQuoteChars.toFixed(0),
        ]),
      ),
    );
  }

  if (dataset === 'calibration') {
    const data = await loadSquad(datasetsDir);
    // Even-numbered articles are indexed; questions about odd-numbered ones have no coverage.
    const indexedArticles = new Set(data.articles.map((_, i) => i).filter((i) => i % 2 === 0));
    const prepared = await prepareIndex({
      dataset: 'squad', datasetsDir, folder: path.join(DEFAULT_CACHE_ROOT, 'squad-even'),
      embedder, packing: settings.packing, only: new Set([...indexedArticles].map(String)), log,
    });
    const perSide = values.all ? Infinity : (numberOption(values.sample, 'sample') ?? 1000);
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
    const current = calibrationTable(indexed, heldOut, cross, [settings.search.coverageThreshold])[0]!;
    summary.indexedArticles = indexedArticles.size;
    summary.questions = { indexed: inside.length, heldOut: outside.length, crossDomain: claims.length };
    summary.answeredWithoutThreshold = indexed.filter((q) => q.answered).length / Math.max(1, indexed.length);
    summary.rows = rows;
    summary.current = current;
    summary.chosen = chosen;
    const quantiles = (xs: readonly ScoredQuestion[]) => {
      const s = xs.map((x) => x.best).sort((a, b) => a - b);
      return [0.1, 0.5, 0.9].map((p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
    };
    summary.bestScoreQuantiles = { indexed: quantiles(indexed), heldOut: quantiles(heldOut), crossDomain: quantiles(cross) };
    lines.push(
      `No-coverage calibration: ${indexedArticles.size} of ${data.articles.length} SQuAD articles indexed (${prepared.store.passageCount} passages); ` +
        `${inside.length} questions about indexed articles, ${outside.length} about held-out ones, ${claims.length} SciFact claims (cross-domain)`,
      `answer in top 5 with no threshold: ${((summary.answeredWithoutThreshold as number) * 100).toFixed(1)}% of indexed questions`,
      `best-sentence score p10/p50/p90: indexed ${quantiles(indexed).map((x) => x.toFixed(3)).join('/')}, held-out ${quantiles(heldOut).map((x) => x.toFixed(3)).join('/')}, SciFact ${quantiles(cross).map((x) => x.toFixed(3)).join('/')}`,
      formatTable(
        ['threshold', 'false coverage (held-out)', 'false coverage (SciFact)', 'lost questions', 'lost answers'],
        [...rows, ...(rows.some((r) => r.threshold === current.threshold) ? [] : [current])]
          .sort((a, b) => a.threshold - b.threshold)
          .map((r) => [
            `${r.threshold.toFixed(2)}${r.threshold === chosen?.threshold ? ' (chosen)' : ''}${r.threshold === settings.search.coverageThreshold ? ' (current)' : ''}`,
            r.falseCoverage, r.falseCoverageCross, r.lostQuestions, r.lostAnswers,
          ]),
      ),
      `chosen: ${chosen?.threshold.toFixed(2)} (fewest held-out questions with quotes + answerable questions without, counted equally)`,
    );
  }

  summary.seconds = Math.round((performance.now() - started) / 100) / 10;
  for (const line of lines) out(line);
  out(`(${summary.seconds} s; ${packingTag(settings.packing)}, depth ${settings.retrieval.depth}, RRF k ${settings.retrieval.rrfK}, weights ${settings.retrieval.weights.vector}/${settings.retrieval.weights.lexical}, threshold ${settings.search.coverageThreshold})`);
  if (values.json) out(JSON.stringify(summary));
  await embedder.dispose();
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  runEval(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`eval failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
