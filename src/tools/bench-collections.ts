/**
 * The bench's collections figures: the first question to a collection not open yet (its store
 * opened and searched together with the shared one) against a question to one already open, and
 * memory with several collections open, all in this process with the model loaded once.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenCollections, collectionBytes } from '../answer/open-collections.js';
import type { Embedder } from '../index/embedder.js';
import { buildIndex } from '../index/build.js';
import { PROJECT_ROOT } from '../config.js';
import { round } from './metrics.js';

const MIB = 1024 * 1024;

export interface CollectionsFigures {
  collections: number;
  passagesEach: number;
  /** Median over the collections: opening one (its index already built) and answering a question with the shared one. */
  firstQuestionColdMs: number;
  /** Median: the same question again, the collection open. */
  questionWarmMs: number;
  /** Resident memory before any collection was opened, and with all of them open. */
  rssMiB: { none: number; allOpen: number };
  /** What the memory budget counts for one such collection. */
  budgetedMiBEach: number;
  /** Collections still open after asking each in turn under a budget for the shared one and two more. */
  openUnderSmallBudget: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rssMiB = () => round(process.memoryUsage().rss / MIB);

export async function collectionsRun(embedder: Embedder, count: number, question: string, log: (line: string) => void): Promise<CollectionsFigures> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'verbatim-bench-collections-'));
  try {
    const layout = { corpusDir: path.join(root, 'corpus'), storeDir: path.join(root, 'store'), collectionsDir: path.join(root, 'collections') };
    const names = Array.from({ length: count }, (_, i) => `group-${i + 1}`);
    log(`[collections] indexing ${count} collections and the shared one (each a copy of the seeds)…`);
    const dirs = [{ corpusDir: layout.corpusDir, storeDir: layout.storeDir }, ...names.map((name) => ({ corpusDir: path.join(layout.collectionsDir, name, 'corpus'), storeDir: path.join(layout.collectionsDir, name, 'store') }))];
    for (const dir of dirs) {
      await fs.cp(path.join(PROJECT_ROOT, 'corpus'), dir.corpusDir, { recursive: true });
      await buildIndex({ ...dir, embedder });
    }
    const settings = { ...layout, sharedCollections: ['default'], modelDir: '', modelName: '' };
    const open = new OpenCollections({ ...settings, memoryBytes: Infinity }, embedder);
    await (await open.reader(['default'])).ask(question);
    const none = rssMiB();
    const cold: number[] = [];
    const warm: number[] = [];
    for (const name of names) {
      let started = performance.now();
      await (await open.reader([name, 'default'])).ask(question);
      cold.push(performance.now() - started);
      started = performance.now();
      await (await open.reader([name, 'default'])).ask(question);
      warm.push(performance.now() - started);
    }
    const allOpen = rssMiB();
    const passagesEach = (await open.reader([names[0]!])).store.passageCount;
    await open.close();

    const small = new OpenCollections({ ...settings, memoryBytes: 3 * collectionBytes(passagesEach) }, embedder);
    for (const name of names) await small.reader([name, 'default']);
    const openUnderSmallBudget = small.names.length;
    await small.close();
    return {
      collections: count,
      passagesEach,
      firstQuestionColdMs: round(median(cold)),
      questionWarmMs: round(median(warm)),
      rssMiB: { none, allOpen },
      budgetedMiBEach: round(collectionBytes(passagesEach) / MIB),
      openUnderSmallBudget,
    };
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
