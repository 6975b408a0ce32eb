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
import { openStore } from '../../index/backend.js';
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

/** A Searcher over a prepared index (the default settings unless told otherwise). */
export function makeSearcher(store: IndexView, embedder: Embedder, settings: SearchSettings = DEFAULT_SEARCH): Searcher {
  return new Searcher(store, embedder, settings);
}
