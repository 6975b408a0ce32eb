/**
 * `npm run eval`: retrieval and quote quality against published results, and the instrument to tune with.
 *
 *   --dataset all           (the default) SciFact, SQuAD and news in one report, so that no change
 *                           buys one at another's expense
 *   --dataset scifact       BEIR SciFact: nDCG@10 / Recall@100 per retrieval mode
 *   --dataset squad         SQuAD v1.1 dev: answer inside the first 1 / 3 / 5 quotes of Searcher.ask
 *   --dataset news          realtimeqa-dev: news questions asked as `verbatim ask` asks them, scored
 *                           exactly as the data set's tools/score.py, beside its BM25 baseline
 *   --dataset calibration   the no-coverage threshold: held-out vs indexed SQuAD questions
 *
 * Data sets are read from ../shared/datasets (or --datasets DIR, or env DATASETS_DIR); each is
 * written as corpus files and indexed by the project's own pipeline into
 * embeddings/cache/eval/<name>/ (incremental, so a re-run after a retrieval change does not
 * re-embed). The report goes to stdout; with --json one JSON summary is the last line. Progress
 * goes to stderr. The options and tuning settings are tables in eval/settings.ts; each data set
 * has its runner in eval/<name>.ts.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, PROJECT_ROOT } from '../config.js';
import { Embedder } from '../index/embedder.js';
import type { RetrievalMode } from '../retrieval/retrieve.js';
import { DEFAULT_DATASETS_DIR } from './datasets.js';
import { runCalibration } from './eval/calibration.js';
import { runNews } from './eval/news.js';
import { parseOptions, UsageError } from './eval/options.js';
import { packingTag } from './eval/prepare.js';
import { MODES, secondsSince, type DatasetRunner, type RunContext } from './eval/report.js';
import { runScifact } from './eval/scifact.js';
import { runSquad } from './eval/squad.js';
import { ALL_OPTIONS, DATASET_CHOICES, evalSettings, USAGE, type DatasetChoice } from './eval/settings.js';

type DatasetRun = Exclude<DatasetChoice, 'all'>;

/** One runner per data set. */
export const RUNNERS: { readonly [D in DatasetRun]: DatasetRunner<object> } = {
  scifact: runScifact,
  squad: runSquad,
  news: runNews,
  calibration: runCalibration,
};

/** What `--dataset all` runs: every quality measure (calibration is a tuning tool, run on its own). */
export const ALL_DATASETS: readonly DatasetRun[] = ['scifact', 'squad', 'news'];

const isChoice = (name: string): name is DatasetChoice => (DATASET_CHOICES as readonly string[]).includes(name);
const isMode = (name: string): name is RetrievalMode => (MODES as readonly string[]).includes(name);

export async function runEval(argv: readonly string[], out: (line: string) => void, log: (line: string) => void): Promise<number> {
  const usage = (message: string) => {
    log(message);
    log(USAGE);
    return 2;
  };
  let values;
  try {
    values = parseOptions(ALL_OPTIONS, argv);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const dataset = values.dataset ?? 'all';
  if (!isChoice(dataset)) return usage(`unknown data set "${dataset}"`);
  const modes = values.modes?.split(',').map((m) => m.trim());
  const unknown = modes?.find((m) => !isMode(m));
  if (unknown !== undefined) return usage(`unknown mode "${unknown}"`);

  if (!['embedded', 'postgres'].includes(values.backend ?? 'embedded')) return usage(`unknown backend "${values.backend}" (embedded or postgres)`);
  const settings = evalSettings(values);
  const config = loadConfig();
  const context: RunContext = {
    datasetsDir: path.resolve(PROJECT_ROOT, values.datasets ?? DEFAULT_DATASETS_DIR),
    settings,
    embedder: await Embedder.load(config.modelDir, config.modelName),
    ...(modes ? { modes: modes.filter(isMode) } : {}),
    options: values,
    log,
  };
  const started = performance.now();
  const names = dataset === 'all' ? ALL_DATASETS : [dataset];
  const parts: Record<string, object> = {};
  const lines: string[] = [];
  try {
    for (const name of names) {
      const report = await RUNNERS[name](context);
      parts[name] = report.summary;
      lines.push(...report.lines, '');
    }
  } finally {
    await context.embedder.dispose();
  }
  const summary = {
    dataset,
    model: context.embedder.modelId,
    packing: settings.packing,
    retrieval: settings.retrieval,
    selection: settings.search.selection,
    coverageThreshold: settings.search.coverageThreshold,
    ...(names.length === 1 ? parts[names[0]!] : parts),
    seconds: secondsSince(started),
  };
  for (const line of lines) out(line);
  const { retrieval } = settings;
  out(
    `(${summary.seconds} s; ${packingTag(settings.packing)}, depth ${retrieval.depth}, RRF k ${retrieval.rrfK}, ` +
      `weights ${retrieval.weights.vector}/${retrieval.weights.lexical}, threshold ${settings.search.coverageThreshold})`,
  );
  if (values.json) out(JSON.stringify(summary));
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
