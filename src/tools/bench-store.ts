/**
 * The store's life as users see it, timed with the command line in fresh processes: an unchanged
 * `verbatim index`, `verbatim add` of one article and the question that quotes it, removing it
 * again, and cold starts (a fresh process's first answer). Also the disk the store takes.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../config.js';

export interface CliRun {
  code: number;
  /** Wall time of the whole process, as a user waits for it. */
  ms: number;
  peakRssMiB: number;
  stdout: string;
}

/** Runs `verbatim ARGS` in a fresh process (through measured-cli.js). */
export async function verbatim(args: readonly string[]): Promise<CliRun> {
  const script = path.join(PROJECT_ROOT, 'dist', 'tools', 'measured-cli.js');
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const ms = Math.round(performance.now() - started);
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<CliRun, 'ms'>;
  return { ...result, ms };
}

/** A made-up report (not from any data set) with one checkable figure. */
const ARTICLE = [
  'Inspectors find corroded cables on the Harbour Bridge',
  '',
  'Inspectors said on Tuesday that 42 of the 160 steel cables holding up the Harbour Bridge were badly corroded, and that the bridge would close to lorries from next month.',
  '',
  'The city engineer said repairs would take two years and cost about 30 million. Cars and buses can still cross while the work goes on, she said.',
  '',
].join('\n');
export const ADDED_QUESTION = 'How many steel cables on the Harbour Bridge were corroded?';
const ADDED_FIGURE = '42 of the 160 steel cables';

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(full) : (await fs.stat(full)).size;
  }
  return total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface ColdStart {
  medianMs: number;
  runsMs: number[];
  /** Peak memory of the median run, and of each. */
  peakRssMiB: number;
  runsPeakRssMiB: number[];
}

/**
 * A fresh process's first answer (model loading included), for several stores taken in turn, so
 * that a busy machine slows them alike; `rounds` runs each.
 */
export async function coldStarts(stores: readonly { corpusDir: string; storeDir: string; question: string }[], rounds = 5): Promise<ColdStart[]> {
  const runs: CliRun[][] = stores.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, { corpusDir, storeDir, question }] of stores.entries()) {
      runs[i]!.push(await verbatim(['ask', '--json', '--corpus', corpusDir, '--store', storeDir, question]));
    }
  }
  return runs.map((list) => ({
    medianMs: median(list.map((r) => r.ms)),
    runsMs: list.map((r) => r.ms),
    peakRssMiB: median(list.map((r) => r.peakRssMiB)),
    runsPeakRssMiB: list.map((r) => r.peakRssMiB),
  }));
}

interface Answer {
  quotes: { text: string; start: number; end: number; source: { path: string } }[];
}

export interface Lifecycle {
  unchangedIndexMs: number;
  addMs: number;
  /** The question that quotes the new article, asked right after `add`, in a fresh process. */
  askAfterAddMs: number;
  /** `add` until a question quotes it: the two above. */
  addToAnswerableMs: number;
  quotedAfterAdd: boolean;
  /** Deleting the file and `verbatim index`. */
  removeMs: number;
  goneAfterRemove: boolean;
  storeBytes: number;
}

/** Times the store's life on one corpus folder and store (which end as they were). */
export async function lifecycle(corpusDir: string, storeDir: string, scratch: string): Promise<Lifecycle> {
  const at = ['--corpus', corpusDir, '--store', storeDir];
  const unchanged = await verbatim(['index', ...at]);
  const source = path.join(scratch, 'harbour-bridge-cables.txt');
  await fs.writeFile(source, ARTICLE);
  const add = await verbatim(['add', '--json', source, ...at]);
  const added = (JSON.parse(add.stdout) as { file: string }).file.split(path.sep).join('/');
  const asked = await verbatim(['ask', '--json', ...at, ADDED_QUESTION]);
  const text = await fs.readFile(path.join(corpusDir, added), 'utf8');
  const quotes = (JSON.parse(asked.stdout) as Answer).quotes;
  const quotedAfterAdd = quotes.some((q) => q.source.path === added && q.text.includes(ADDED_FIGURE) && text.slice(q.start, q.end) === q.text);
  await fs.rm(path.join(corpusDir, added), { force: true });
  const remove = await verbatim(['index', ...at]);
  const after = (JSON.parse((await verbatim(['ask', '--json', ...at, ADDED_QUESTION])).stdout) as Answer).quotes;
  return {
    unchangedIndexMs: unchanged.ms,
    addMs: add.ms,
    askAfterAddMs: asked.ms,
    addToAnswerableMs: add.ms + asked.ms,
    quotedAfterAdd,
    removeMs: remove.ms,
    goneAfterRemove: !after.some((q) => q.source.path === added),
    storeBytes: await folderBytes(storeDir),
  };
}
