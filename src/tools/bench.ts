/**
 * `npm run bench`: speed, memory and disk of indexing and answering, measured in one run on the
 * seed corpus and on all of SciFact (23,494 passages), plus the indexing rate on long articles.
 * Prints one JSON document. Options:
 *   --datasets DIR     data sets (default ../shared/datasets)
 *   --skip-large       the seeds and long articles only
 *   --large-dir DIR    where the SciFact corpus and store are kept between runs (built when missing;
 *                      default embeddings/cache/bench/scifact); the run adds an article and removes it
 *   --large-docs N     SciFact abstracts in the large corpus (default 0 = all 5,183)
 *   --queries N        warm questions per corpus (default 200)
 *   --scale N          also build index structures for N passages from synthetic vectors (see bench-scale.ts)
 *   --collections N    collections opened in one process, for the cold-collection and memory figures (default 8)
 *   --backend postgres only the SciFact questions, timed against the embedded store and its copy in
 *                      the PostgreSQL database DATABASE_URL names, in one run (see bench-postgres.ts)
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pipeline } from '@huggingface/transformers';
import { PROJECT_ROOT } from '../config.js';
import { buildIndex, type IndexReport } from '../index/build.js';
import { openStore } from '../index/backend.js';
import { Embedder } from '../index/embedder.js';
import { passageText } from '../index/lookup.js';
import type { IndexView } from '../index/store.js';
import { Searcher } from '../answer/searcher.js';
import { coldStarts, lifecycle, type ColdStart, type Lifecycle } from './bench-store.js';
import { scaleRun } from './bench-scale.js';
import { collectionsRun } from './bench-collections.js';
import { DEFAULT_DATASETS_DIR, readQueries, writeDatasetCorpus } from './datasets.js';
import { writeLongArticles } from './long-articles.js';
import { percentile, round } from './metrics.js';
import { postgresRun } from './bench-postgres.js';

const MODEL_DIR = path.join(PROJECT_ROOT, 'embeddings', 'models');
const MODEL_NAME = 'all-MiniLM-L6-v2';
const RAW_BATCH = 16;
/** Questions the seed articles answer, so the seed workload includes full answers with coverage. */
const SEED_QUESTIONS = [
  'How much territory does Ukraine still hold in Kursk?',
  'How many troops did North Korea send to Kursk?',
  'When did the incursion into Kursk begin?',
  'How many North Korean soldiers were killed?',
  'What did Syrsky say about strikes on Russia?',
  'Why does Ukraine need permission to use Storm Shadow missiles?',
  'Which brigades defended Malaya Loknya?',
  'What did Zelensky say the operation achieved?',
];

const log = (message: string) => process.stderr.write(`${message}\n`);
/** A wrong command line: one line, exit code 2. */
const fail = (message: string) => {
  log(`bench: ${message}`);
  process.exitCode = 2;
};

/** Processor seconds this process (all its threads) has used: unlike wall time, not slowed by other processes. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** The model alone, through transformers.js's own feature-extraction pipeline, on the same passages: per wall and per processor second. */
async function rawModelRate(texts: string[]): Promise<{ passagesPerSecond: number; passagesPerCpuSecond: number }> {
  const extract = await pipeline('feature-extraction', MODEL_NAME, { dtype: 'q8', device: 'cpu' });
  const started = performance.now();
  const cpu = cpuSeconds();
  for (let i = 0; i < texts.length; i += RAW_BATCH) await extract(texts.slice(i, i + RAW_BATCH), { pooling: 'mean', normalize: true });
  const seconds = (performance.now() - started) / 1000;
  const used = cpuSeconds() - cpu;
  await extract.dispose();
  return { passagesPerSecond: round(texts.length / seconds), passagesPerCpuSecond: round(texts.length / used) };
}

function passageTexts(view: IndexView): string[] {
  return view.documentNumbers().flatMap((doc) => {
    const [first, end] = view.passageRange(doc);
    return Array.from({ length: end - first }, (_, i) => passageText(view, first + i));
  });
}

async function warmQueries(view: IndexView, embedder: Embedder, questions: string[]) {
  const searcher = new Searcher(view, embedder);
  for (const q of questions.slice(0, 5)) await searcher.ask(q);
  const latencies: number[] = [];
  let answered = 0;
  for (const q of questions) {
    const started = performance.now();
    if ((await searcher.ask(q)).quotes.length) answered += 1;
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, answered, p50Ms: round(percentile(latencies, 50)), p95Ms: round(percentile(latencies, 95)) };
}

const buildSummary = (report: IndexReport) => ({ seconds: round(report.seconds), passagesPerSecond: round(report.passages / report.seconds) });

interface CorpusResult {
  corpus: string;
  documents: number;
  passages: number;
  /** Built in this run; or reused from an earlier run; or imported from an earlier format's embedding cache. */
  indexBuild: ReturnType<typeof buildSummary> | 'reused' | 'imported';
  rawModel?: Awaited<ReturnType<typeof rawModelRate>>;
  indexingShareOfRawModel?: number;
  query: Awaited<ReturnType<typeof warmQueries>>;
  store: Lifecycle;
  coldStart?: ColdStart;
}

/** Builds (or reuses) the corpus's store, times its life from the command line, and asks warm questions. */
async function benchCorpus(name: string, corpusDir: string, storeDir: string, questions: string[], embedder: Embedder, options: { raw: boolean }): Promise<CorpusResult> {
  const existing = await openStore(storeDir).status().catch(() => null);
  log(`[${name}] ${existing ? 'updating' : 'indexing'}…`);
  const report = await buildIndex({ corpusDir, storeDir, embedder });
  const view = await openStore(storeDir).view();
  const result: CorpusResult = {
    corpus: name,
    documents: view.documentCount,
    passages: view.passageCount,
    indexBuild: existing ? 'reused' : report.embeddedPassages < report.passages ? 'imported' : buildSummary(report),
    query: await warmQueries(view, embedder, questions),
    store: undefined as unknown as Lifecycle,
  };
  if (options.raw && !existing && report.embeddedPassages === report.passages) {
    log(`[${name}] raw model on the same ${view.passageCount} passages…`);
    const raw = await rawModelRate(passageTexts(view));
    result.rawModel = raw;
    result.indexingShareOfRawModel = round(report.passages / report.seconds / raw.passagesPerSecond, 3);
  }
  view.close();
  log(`[${name}] add, ask, remove, cold starts (command line)…`);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'verbatim-bench-article-'));
  try {
    result.store = await lifecycle(corpusDir, storeDir, scratch);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return result;
}

/** Parts the long articles are split into, each indexed then run through the raw model, in turn. */
const LONG_PARTS = 4;

/**
 * Indexing rate on long, news-shaped articles against the raw model on the same passages. The
 * articles are split into parts and each part indexed, then given to the raw model, one part after
 * another, so that a shared machine's changing load weighs on both alike.
 */
async function longArticles(datasets: string, embedder: Embedder) {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'verbatim-bench-long-'));
  try {
    const all = path.join(folder, 'all');
    const files = await writeLongArticles(datasets, all);
    let characters = 0;
    for (const file of files) characters += (await fs.stat(path.join(all, file))).size;
    const parts: { passages: number; seconds: number; cpu: number; rawSeconds: number; rawCpu: number }[] = [];
    for (let part = 0; part < LONG_PARTS; part += 1) {
      const corpus = path.join(folder, `corpus-${part}`);
      await fs.mkdir(corpus);
      for (const [i, file] of files.entries()) if (i % LONG_PARTS === part) await fs.copyFile(path.join(all, file), path.join(corpus, file));
      log(`[long articles] part ${part + 1} of ${LONG_PARTS}: indexing, then the raw model…`);
      const cpu = cpuSeconds();
      const report = await buildIndex({ corpusDir: corpus, storeDir: path.join(folder, `store-${part}`), embedder });
      const indexCpu = cpuSeconds() - cpu;
      const view = await openStore(path.join(folder, `store-${part}`)).view();
      const texts = passageTexts(view);
      view.close();
      const raw = await rawModelRate(texts);
      parts.push({ passages: report.passages, seconds: report.seconds, cpu: indexCpu, rawSeconds: texts.length / raw.passagesPerSecond, rawCpu: texts.length / raw.passagesPerCpuSecond });
    }
    const sum = (key: keyof (typeof parts)[number]) => parts.reduce((n, p) => n + p[key], 0);
    const shares = parts.map((p) => round(p.rawSeconds / p.seconds, 3));
    return {
      documents: files.length,
      meanCharacters: Math.round(characters / files.length),
      passages: sum('passages'),
      indexBuild: { seconds: round(sum('seconds')), passagesPerSecond: round(sum('passages') / sum('seconds')), passagesPerCpuSecond: round(sum('passages') / sum('cpu')) },
      rawModel: { passagesPerSecond: round(sum('passages') / sum('rawSeconds')), passagesPerCpuSecond: round(sum('passages') / sum('rawCpu')) },
      /** Indexing rate ÷ raw model rate, all parts pooled, by wall time and by processor time; and per part. */
      indexingShareOfRawModel: round(sum('rawSeconds') / sum('seconds'), 3),
      indexingShareOfRawModelByCpu: round(sum('rawCpu') / sum('cpu'), 3),
      indexingShareByPart: shares,
    };
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}

/** The large corpus against the seeds: what the store's size costs. */
function compare(seeds: CorpusResult, large: CorpusResult) {
  const ratio = (a: number, b: number) => round(a / b, 2);
  const extraPassages = large.passages - seeds.passages;
  return {
    addRatio: ratio(large.store.addMs, seeds.store.addMs),
    addToAnswerableRatio: ratio(large.store.addToAnswerableMs, seeds.store.addToAnswerableMs),
    unchangedIndexRatio: ratio(large.store.unchangedIndexMs, seeds.store.unchangedIndexMs),
    removeRatio: ratio(large.store.removeMs, seeds.store.removeMs),
    coldStartRatio: ratio(large.coldStart!.medianMs, seeds.coldStart!.medianMs),
    /** Peak memory of a cold start beyond the seeds' (which is the model and the program), per extra passage. */
    memoryPerPassageKiB: round(((large.coldStart!.peakRssMiB - seeds.coldStart!.peakRssMiB) * 1024) / extraPassages, 2),
    diskPerPassageKiB: round(large.store.storeBytes / 1024 / large.passages, 2),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      datasets: { type: 'string', default: DEFAULT_DATASETS_DIR },
      'skip-large': { type: 'boolean', default: false },
      'large-dir': { type: 'string', default: path.join(PROJECT_ROOT, 'embeddings', 'cache', 'bench', 'scifact') },
      'large-docs': { type: 'string', default: '0' },
      queries: { type: 'string', default: '200' },
      scale: { type: 'string' },
      collections: { type: 'string', default: '8' },
      backend: { type: 'string', default: 'embedded' },
    },
  });
  if (!['embedded', 'postgres'].includes(values.backend!)) return fail(`unknown backend "${values.backend}" (embedded or postgres)`);
  if (values.backend === 'postgres' && !process.env.DATABASE_URL) {
    return fail('--backend postgres times the database DATABASE_URL names; set it (scripts/postgres.sh start DIR starts one)');
  }
  const count = Math.max(100, Number(values.queries));
  const datasets = values.datasets!;
  const embedder = await Embedder.load(MODEL_DIR, MODEL_NAME);
  const claims = (await readQueries('scifact', datasets)).map((q) => q.text);
  // Half answered questions, half off-topic claims (which must come back with no coverage).
  const seedQuestions = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? SEED_QUESTIONS[(i / 2) % SEED_QUESTIONS.length]! : claims[i]!));
  const output: Record<string, unknown> = { machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => round(x, 2)), node: process.version, model: embedder.modelId } };
  if (values.backend === 'postgres') {
    const dir = values['large-dir']!;
    await writeDatasetCorpus('scifact', datasets, path.join(dir, 'corpus'), Number(values['large-docs']) || undefined);
    output.postgres = await postgresRun(path.join(dir, 'corpus'), path.join(dir, 'store'), claims.slice(0, count), embedder, log);
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return;
  }
  const seedsFolder = await fs.mkdtemp(path.join(os.tmpdir(), 'verbatim-bench-seeds-'));
  try {
    const corpus = path.join(seedsFolder, 'corpus');
    await fs.cp(path.join(PROJECT_ROOT, 'corpus'), corpus, { recursive: true });
    const seeds = await benchCorpus('seeds', corpus, path.join(seedsFolder, 'store'), seedQuestions, embedder, { raw: true });
    const results = [seeds];
    if (!values['skip-large']) {
      const dir = values['large-dir']!;
      const documents = Number(values['large-docs']);
      await writeDatasetCorpus('scifact', datasets, path.join(dir, 'corpus'), documents > 0 ? documents : undefined);
      const large = await benchCorpus('scifact', path.join(dir, 'corpus'), path.join(dir, 'store'), claims.slice(0, count), embedder, { raw: true });
      results.push(large);
    }
    log('[cold starts] a fresh process answering one question, the corpora in turn…');
    const cold = await coldStarts(
      results.map((_, i) => ({
        corpusDir: i === 0 ? corpus : path.join(values['large-dir']!, 'corpus'),
        storeDir: i === 0 ? path.join(seedsFolder, 'store') : path.join(values['large-dir']!, 'store'),
        question: i === 0 ? seedQuestions[0]! : claims[0]!,
      })),
    );
    results.forEach((r, i) => (r.coldStart = cold[i]));
    if (results[1]) output.largeAgainstSeeds = compare(seeds, results[1]);
    output.results = results;
    output.longArticles = await longArticles(datasets, embedder);
    output.collections = await collectionsRun(embedder, Math.max(2, Number(values.collections)), SEED_QUESTIONS[0]!, log);
    if (values.scale) output.scale = await scaleRun(Number(values.scale), values['large-dir']!, embedder, log);
  } finally {
    await fs.rm(seedsFolder, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

await main();
