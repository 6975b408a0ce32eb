/**
 * What `npm run eval` can be told: the run options, and the tuning settings. Each tuning setting is
 * one row (name, type, default, help, and where it goes), from which the argument parser, the
 * settings the pipeline runs with and the usage text are all derived: add a knob by adding a row.
 */
import { DEFAULT_PACKING, type PackOptions } from '../../index/segment.js';
import { DEFAULT_SEARCH, type SearchSettings } from '../../answer/searcher.js';
import { DEFAULT_SELECTION } from '../../retrieval/quotes.js';
import { DEFAULT_RECENCY } from '../../retrieval/recency.js';
import { FUSION_WEIGHTS, RETRIEVER_DEPTH, RRF_K, type RetrieveOptions } from '../../retrieval/retrieve.js';
import { usageLines, type OptionSpec, type OptionValues } from './options.js';

export const DEFAULT_SQUAD_SAMPLE = 2000;
export const DEFAULT_SEED = 20240601;

/** Everything the pipeline runs with in one evaluation. */
export interface EvalSettings {
  packing: PackOptions;
  retrieval: Required<RetrieveOptions>;
  search: SearchSettings;
}

interface TuningSpec extends OptionSpec {
  readonly type: 'number';
  readonly default: number;
  /** Puts the value where the pipeline reads it. */
  apply(settings: EvalSettings, value: number): void;
}

const tuning = <const T extends readonly TuningSpec[]>(rows: T) => rows;

/** The tuning settings: defaults are the constants in `src/`, so a run without overrides measures production. */
export const TUNING = tuning([
  { name: 'max-tokens', type: 'number', default: DEFAULT_PACKING.maxTokens, help: 'passage size in model tokens (a new store folder)', apply: (s, v) => (s.packing.maxTokens = v) },
  { name: 'overlap', type: 'number', default: DEFAULT_PACKING.overlapSentences, help: 'sentences shared by consecutive passages', apply: (s, v) => (s.packing.overlapSentences = v) },
  { name: 'depth', type: 'number', default: RETRIEVER_DEPTH, help: 'passages taken from each retriever before fusion', apply: (s, v) => (s.retrieval.depth = v) },
  { name: 'rrf-k', type: 'number', default: RRF_K, help: 'reciprocal rank fusion constant', apply: (s, v) => (s.retrieval.rrfK = v) },
  { name: 'vector-weight', type: 'number', default: FUSION_WEIGHTS.vector, help: "weight of the vector ranking in the fusion", apply: (s, v) => (s.retrieval.weights.vector = v) },
  { name: 'lexical-weight', type: 'number', default: FUSION_WEIGHTS.lexical, help: 'weight of the BM25 ranking in the fusion', apply: (s, v) => (s.retrieval.weights.lexical = v) },
  { name: 'threshold', type: 'number', default: DEFAULT_SEARCH.coverageThreshold, help: 'no-coverage threshold on the best sentence (-1: off)', apply: (s, v) => (s.search.coverageThreshold = v) },
  { name: 'quote-passages', type: 'number', default: DEFAULT_SELECTION.passages, help: 'fused passages looked inside for quotes', apply: (s, v) => (s.search.selection.passages = v) },
  { name: 'overlap-weight', type: 'number', default: DEFAULT_SELECTION.overlapWeight, help: "weight of the question's terms in a sentence", apply: (s, v) => (s.search.selection.overlapWeight = v) },
  { name: 'passage-weight', type: 'number', default: DEFAULT_SELECTION.passageWeight, help: "weight of the surrounding passage's similarity", apply: (s, v) => (s.search.selection.passageWeight = v) },
  { name: 'relative-floor', type: 'number', default: DEFAULT_SELECTION.relativeFloor, help: 'quotes below best relevance × this are dropped', apply: (s, v) => (s.search.selection.relativeFloor = v) },
  { name: 'heading-factor', type: 'number', default: DEFAULT_SELECTION.headingFactor, help: 'rank factor of a bare heading', apply: (s, v) => (s.search.selection.headingFactor = v) },
  { name: 'answer-weight', type: 'number', default: DEFAULT_SELECTION.answerWeight, help: 'rank bonus of a sentence holding a new answer of the kind asked for', apply: (s, v) => (s.search.selection.answerWeight = v) },
  { name: 'span-chars', type: 'number', default: DEFAULT_SELECTION.spanChars, help: 'longest multi-sentence quote (0: single sentences)', apply: (s, v) => (s.search.selection.spanChars = v) },
  { name: 'recency-weight', type: 'number', default: DEFAULT_RECENCY.weight, help: 'rank bonus of the freshest source, for questions about the present', apply: (s, v) => (s.search.recency = { ...(s.search.recency ?? DEFAULT_RECENCY), weight: v }) },
  { name: 'recency-half-life', type: 'number', default: DEFAULT_RECENCY.halfLifeDays, help: 'days behind the freshest source at which the recency bonus halves', apply: (s, v) => (s.search.recency = { ...(s.search.recency ?? DEFAULT_RECENCY), halfLifeDays: v }) },
  { name: 'rank-prior', type: 'number', default: DEFAULT_SELECTION.rankPrior, help: "power of the passage's fused rank in a sentence's score", apply: (s, v) => (s.search.selection.rankPrior = v) },
]);

export type TuningValues = OptionValues<typeof TUNING>;

/** The settings for one run: each tuning setting's value when given, else its default. */
export function evalSettings(values: TuningValues = {}): EvalSettings {
  const settings: EvalSettings = {
    packing: { ...DEFAULT_PACKING },
    retrieval: { depth: RETRIEVER_DEPTH, rrfK: RRF_K, weights: { ...FUSION_WEIGHTS } },
    search: { ...DEFAULT_SEARCH, selection: { ...DEFAULT_SELECTION } },
  };
  const given = values as Readonly<Record<string, number | undefined>>;
  for (const row of TUNING) row.apply(settings, given[row.name] ?? row.default);
  settings.search.retrieval = settings.retrieval;
  return settings;
}

export const DATASET_CHOICES = ['all', 'scifact', 'squad', 'news', 'calibration'] as const;
export type DatasetChoice = (typeof DATASET_CHOICES)[number];

const options = <const T extends readonly OptionSpec[]>(rows: T) => rows;

/** The run options: which data, how much of it, and what to print. */
export const RUN_OPTIONS = options([
  { name: 'dataset', type: 'string', arg: 'NAME', default: 'all', help: `${DATASET_CHOICES.join('|')}; all is SciFact, SQuAD and news in one report` },
  { name: 'datasets', type: 'string', arg: 'DIR', default: '../shared/datasets', help: 'data sets folder (or env DATASETS_DIR)' },
  { name: 'json', type: 'boolean', help: 'print one JSON summary as the last line' },
  { name: 'backend', type: 'string', arg: 'NAME', default: 'embedded', help: 'embedded|postgres: the store searched (postgres: DATABASE_URL; the eval index is copied into it)' },
  { name: 'modes', type: 'string', arg: 'LIST', help: 'retrieval modes, comma-separated (default lexical,vector,hybrid; news: hybrid, as ask)' },
  { name: 'limit', type: 'number', help: 'SciFact: a corpus sample of N abstracts keeping the queries\' judged ones; SQuAD: the first N articles' },
  { name: 'queries', type: 'number', help: 'SciFact and news: only the first N queries' },
  { name: 'sample', type: 'number', default: DEFAULT_SQUAD_SAMPLE, help: 'SQuAD: a seeded sample of N questions (calibration: 1000 per side)' },
  { name: 'all', type: 'boolean', help: 'SQuAD: every question instead of a sample' },
  { name: 'seed', type: 'number', default: DEFAULT_SEED, help: 'sample seed' },
  { name: 'diagnose', type: 'boolean', help: 'SciFact: also whole-document vectors as MTEB; news: where the answers are, counted' },
  { name: 'answers-out', type: 'string', arg: 'FILE', help: 'news: write the answers as `ask --json` lines (for tools/score.py)' },
  { name: 'until-asked', type: 'boolean', help: "news: ask each question with until = the day it was asked (only sources published by then)" },
  { name: 'score', type: 'string', arg: 'FILE', help: 'news: score this file of `ask --json` lines instead of asking' },
  { name: 'help', type: 'boolean', help: 'this text' },
]);

export type RunValues = OptionValues<typeof RUN_OPTIONS>;

export const ALL_OPTIONS = [...RUN_OPTIONS, ...TUNING] as const;

export const USAGE = [
  'usage: npm run eval -- [--dataset all|scifact|squad|news|calibration] [options]',
  ...usageLines(RUN_OPTIONS),
  'tuning (defaults are the constants in src/):',
  ...usageLines(TUNING),
].join('\n');
