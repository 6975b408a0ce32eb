/**
 * The indexes an evaluation runs on: a data set written as corpus files and indexed by the
 * project's own pipeline under `embeddings/cache/eval/<name>/` (incremental, so a re-run after a
 * retrieval change embeds nothing; one store folder per passage packing, so packings can be compared).
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../../config.js';
import { buildIndex, type IndexReport } from '../../index/build.js';
import type { Embedder } from '../../index/embedder.js';
import { DEFAULT_PACKING, type PackOptions } from '../../index/segment.js';
import { copyStore } from '../../index/copy.js';
import { EmbeddedStore } from '../../index/embedded/store.js';
import { PostgresStore } from '../../index/postgres/store.js';
import type { IndexView } from '../../index/store.js';
import { DEFAULT_SEARCH, Searcher, type SearchSettings } from '../../answer/searcher.js';
import { writeDatasetCorpus, type DatasetName } from '../datasets.js';

export const DEFAULT_CACHE_ROOT = path.join(PROJECT_ROOT, 'embeddings', 'cache', 'eval');

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
  /** Where the searches run: the embedded store (the default), or a copy of it in PostgreSQL (`DATABASE_URL`). */
  backend?: string;
}

/**
 * The index in PostgreSQL: a collection per eval (or bench) store, copied from the embedded one
 * unless it already matches it (same corpus signatures and settings), so a re-run copies nothing.
 */
export async function postgresCopy(source: EmbeddedStore, collection: string, log: (message: string) => void): Promise<IndexView> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('--backend postgres searches the database DATABASE_URL names; set it (scripts/postgres.sh start DIR starts one)');
  const target = new PostgresStore(url, collection);
  const [have, want] = [await target.status(), (await source.status())!];
  const same = have && have.corpusSignatures === want.corpusSignatures && JSON.stringify(have.settings) === JSON.stringify(want.settings);
  if (!same || have.passages !== want.passages) {
    log(`  copying ${want.passages} passages into PostgreSQL (${target.location}) …`);
    const copied = await copyStore(source, target, (done, total) => done % 2000 === 0 && log(`  copied ${done}/${total} documents`));
    log(`  copied ${copied.documents} documents in ${copied.seconds.toFixed(1)} s`);
  }
  return target.view();
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
  // The eval's own index is always the embedded one; --backend postgres searches a copy of it.
  const embedded = new EmbeddedStore(storeDir);
  const report = await buildIndex({
    corpusDir,
    storeDir,
    store: embedded,
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
  const store =
    options.backend === 'postgres'
      ? await postgresCopy(embedded, `eval-${path.basename(options.folder)}-${packingTag(packing)}`, log)
      : await embedded.view();
  return { store, ids: written.ids, corpusDir, storeDir, report };
}

/** A Searcher over a prepared index (the default settings unless told otherwise). */
export function makeSearcher(store: IndexView, embedder: Embedder, settings: SearchSettings = DEFAULT_SEARCH): Searcher {
  return new Searcher(store, embedder, settings);
}
