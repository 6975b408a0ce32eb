/**
 * `npm run bench`: speed and memory of indexing and answering, on the seed corpus and on a corpus
 * of more than 10,000 passages built from ../shared/datasets. Prints one JSON document.
 * Options: --datasets DIR (default ../shared/datasets), --skip-large, --queries N (default 200),
 * --large-docs N (SciFact abstracts in the large corpus; default 2,300, about 10,400 passages; 0 = all 5,183).
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { pipeline } from '@huggingface/transformers';
import { PROJECT_ROOT } from '../config.js';
import { buildIndex } from '../index/build.js';
import { Embedder } from '../index/embedder.js';
import { openStore } from '../index/backend.js';
import { passageText } from '../index/lookup.js';
import { Searcher } from '../answer/searcher.js';
import { readQueries, writeDatasetCorpus } from './datasets.js';

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

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The model alone, through transformers.js's own feature-extraction pipeline, on the same passages. */
async function rawModelRate(texts: string[]): Promise<number> {
  const extract = await pipeline('feature-extraction', MODEL_NAME, { dtype: 'q8', device: 'cpu' });
  const started = performance.now();
  for (let i = 0; i < texts.length; i += RAW_BATCH) {
    await extract(texts.slice(i, i + RAW_BATCH), { pooling: 'mean', normalize: true });
  }
  const seconds = (performance.now() - started) / 1000;
  await extract.dispose();
  return texts.length / seconds;
}

async function coldStart(corpus: string, store: string, question: string) {
  const script = path.join(PROJECT_ROOT, 'dist', 'tools', 'cold-start.js');
  const runs = [];
  for (let i = 0; i < 3; i += 1) {
    const { stdout } = await promisify(execFile)(process.execPath, [script, corpus, store, question], { cwd: PROJECT_ROOT });
    runs.push(JSON.parse(stdout) as { msToFirstAnswer: number; peakRssMiB: number; quotes: number });
  }
  runs.sort((a, b) => a.msToFirstAnswer - b.msToFirstAnswer);
  return { medianMs: runs[1]!.msToFirstAnswer, runsMs: runs.map((r) => r.msToFirstAnswer), peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)) };
}

async function benchCorpus(name: string, corpus: string, questions: string[], embedder: Embedder) {
  const store = await fs.mkdtemp(path.join(os.tmpdir(), `verbatim-bench-${name}-`));
  try {
    process.stderr.write(`[${name}] indexing…\n`);
    const report = await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const loaded = await openStore(store).view();
    const texts = loaded.documentNumbers().flatMap((doc) => {
      const [first, end] = loaded.passageRange(doc);
      return Array.from({ length: end - first }, (_, i) => passageText(loaded, first + i));
    });
    process.stderr.write(`[${name}] raw model on the same ${texts.length} passages…\n`);
    const raw = await rawModelRate(texts);
    const searcher = new Searcher(loaded, embedder);
    for (const q of questions.slice(0, 5)) await searcher.ask(q);
    const latencies: number[] = [];
    let answered = 0;
    for (const q of questions) {
      const started = performance.now();
      const answer = await searcher.ask(q);
      latencies.push(performance.now() - started);
      if (answer.quotes.length) answered += 1;
    }
    latencies.sort((a, b) => a - b);
    process.stderr.write(`[${name}] cold starts…\n`);
    const cold = await coldStart(corpus, store, questions[0]!);
    const build = report.passages / report.seconds;
    return {
      corpus: name,
      documents: report.documents,
      passages: report.passages,
      indexBuild: { seconds: round(report.seconds), passagesPerSecond: round(build) },
      rawModel: { passagesPerSecond: round(raw) },
      indexingShareOfRawModel: round(build / raw, 3),
      query: { count: latencies.length, answered, p50Ms: round(percentile(latencies, 50)), p95Ms: round(percentile(latencies, 95)) },
      coldStartToFirstAnswer: cold,
      peakRssMiB: peakRssMiB(),
    };
  } finally {
    await fs.rm(store, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      datasets: { type: 'string', default: path.join(PROJECT_ROOT, '..', 'shared', 'datasets') },
      'skip-large': { type: 'boolean', default: false },
      queries: { type: 'string', default: '200' },
      'large-docs': { type: 'string', default: '2300' },
    },
  });
  const count = Math.max(100, Number(values.queries));
  const datasets = values.datasets!;
  const embedder = await Embedder.load(MODEL_DIR, MODEL_NAME);
  const claims = (await readQueries('scifact', datasets)).map((q) => q.text);
  // Half answered questions, half off-topic claims (which must come back with no coverage).
  const seedQuestions = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? SEED_QUESTIONS[(i / 2) % SEED_QUESTIONS.length]! : claims[i]!));
  const results = [await benchCorpus('seeds', path.join(PROJECT_ROOT, 'corpus'), seedQuestions, embedder)];
  if (!values['skip-large']) {
    const corpus = await fs.mkdtemp(path.join(os.tmpdir(), 'verbatim-bench-scifact-corpus-'));
    try {
      const documents = Number(values['large-docs']);
      await writeDatasetCorpus('scifact', datasets, corpus, documents > 0 ? documents : undefined);
      results.push(await benchCorpus('scifact', corpus, claims.slice(0, count), embedder));
    } finally {
      await fs.rm(corpus, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `${JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version, model: embedder.modelId }, results }, null, 2)}\n`,
  );
}

await main();
