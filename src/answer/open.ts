import { buildIndex, isStale, type IndexProgress, type IndexReport } from '../index/build.js';
import { Embedder } from '../index/embedder.js';
import { loadStore, readManifest } from '../index/store.js';
import { loadCorpus } from '../corpus/load.js';
import { corpusStamp } from '../corpus/stamp.js';
import { DEFAULT_PACKING } from '../index/segment.js';
import { VerbatimError } from '../errors.js';
import { Searcher } from './searcher.js';

export interface OpenOptions {
  corpusDir: string;
  storeDir: string;
  modelDir: string;
  modelName: string;
  onProgress?: (progress: IndexProgress) => void;
  /** Told what happened when the index had to be built or rebuilt. */
  onIndexed?: (report: IndexReport) => void;
  onWarning?: (message: string) => void;
}

export async function loadEmbedder(options: Pick<OpenOptions, 'modelDir' | 'modelName'>): Promise<Embedder> {
  return Embedder.load(options.modelDir, options.modelName);
}

/** Builds or updates the index for the corpus. */
export async function indexCorpus(options: OpenOptions, embedder?: Embedder, force = false): Promise<IndexReport> {
  const model = embedder ?? (await loadEmbedder(options));
  return buildIndex({ ...options, embedder: model, force, onProgress: options.onProgress });
}

/** Whether the stored index matches the corpus and model: by the corpus stamp alone when it can. */
async function indexIsCurrent(options: OpenOptions, modelId: string): Promise<boolean> {
  const current = await readManifest(options.storeDir).catch(() => null);
  if (!current) return false;
  const { manifest } = current;
  const sameSetup = manifest.modelId === modelId && JSON.stringify(manifest.packing) === JSON.stringify(DEFAULT_PACKING);
  if (sameSetup && manifest.corpusStamp && manifest.corpusStamp === (await corpusStamp(options.corpusDir).catch(() => null))) return true;
  const corpus = await loadCorpus(options.corpusDir);
  return !isStale(manifest, corpus.documents, modelId, DEFAULT_PACKING);
}

/**
 * A searcher over an up-to-date index: builds the index first when it is missing or stale, and
 * rebuilds it when its files are damaged.
 */
export async function openSearcher(options: OpenOptions): Promise<Searcher> {
  const embedder = await loadEmbedder(options);
  if (!(await indexIsCurrent(options, embedder.modelId))) {
    const report = await indexCorpus(options, embedder);
    options.onIndexed?.(report);
  }
  try {
    return new Searcher(await loadStore(options.storeDir), embedder);
  } catch (error) {
    if (!(error instanceof VerbatimError) || error.code !== 'STORE_DAMAGED') throw error;
    options.onWarning?.(`${error.message} Rebuilding it now.`);
    const report = await indexCorpus(options, embedder, true);
    options.onIndexed?.(report);
    return new Searcher(await loadStore(options.storeDir), embedder);
  }
}
