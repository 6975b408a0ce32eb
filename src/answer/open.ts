import { buildIndex, type IndexProgress, type IndexReport } from '../index/build.js';
import { openStore } from '../index/backend.js';
import { Embedder } from '../index/embedder.js';
import type { IndexView, Store } from '../index/store.js';
import { corpusStamp } from '../corpus/stamp.js';
import { DEFAULT_PACKING } from '../index/segment.js';
import { VerbatimError } from '../errors.js';
import { isForeignFolder } from '../index/folder-identity.js';
import { Searcher } from './searcher.js';

export interface OpenOptions {
  corpusDir: string;
  storeDir: string;
  /** The collection's name, which keys it in a database (`default` unless given). */
  collection?: string;
  modelDir: string;
  modelName: string;
  onProgress?: (progress: IndexProgress) => void;
  /** Told what happened when the index had to be built or updated. */
  onIndexed?: (report: IndexReport) => void;
  onWarning?: (message: string) => void;
}

export async function loadEmbedder(options: Pick<OpenOptions, 'modelDir' | 'modelName'>): Promise<Embedder> {
  return Embedder.load(options.modelDir, options.modelName);
}

/** Builds or updates the index for the corpus (only what changed is read and embedded). */
export async function indexCorpus(options: OpenOptions, embedder?: Embedder, force = false): Promise<IndexReport> {
  const model = embedder ?? (await loadEmbedder(options));
  return buildIndex({ ...options, embedder: model, force, onProgress: options.onProgress });
}

/** Does every merge the store's segments are due, whatever it costs; true when any was done. */
export async function mergeIndex(options: Pick<OpenOptions, 'storeDir' | 'collection'>): Promise<boolean> {
  return openStore(options.storeDir, options.collection).maintain({ budget: Infinity });
}

/** Whether the store matches the corpus and model, by the corpus stamp alone (no article is read). */
async function indexIsCurrent(store: Store, corpusDir: string, modelId: string): Promise<boolean> {
  const status = await store.status().catch(() => null);
  if (!status) return false;
  const { settings } = status;
  const sameSetup = settings.modelId === modelId && JSON.stringify(settings.packing) === JSON.stringify(DEFAULT_PACKING);
  const stamp = await corpusStamp(corpusDir).catch(() => null);
  // A shared database answers from what it holds when this process has no corpus folder.
  if (stamp === null && store.shared) return sameSetup && status.documents > 0;
  return sameSetup && status.corpusStamp !== null && status.corpusStamp === stamp;
}

/**
 * A view of an up-to-date index: updates the index first when the corpus folder changed (reading
 * only the files that did), and rebuilds it when its files are damaged. A shared collection
 * indexed from another folder is answered from as it is, with a warning (folder-identity.ts).
 */
export async function openView(options: OpenOptions, embedder: Embedder): Promise<IndexView> {
  const store = openStore(options.storeDir, options.collection);
  if (!(await indexIsCurrent(store, options.corpusDir, embedder.modelId))) {
    // A folder the shared collection was not indexed from changes nothing: the database answers as it is.
    const report = await indexCorpus(options, embedder).catch((error: unknown) => {
      if (!isForeignFolder(error)) throw error;
      options.onWarning?.(error.message);
      return null;
    });
    if (report && !report.upToDate) options.onIndexed?.(report);
  }
  try {
    return await store.view();
  } catch (error) {
    if (!(error instanceof VerbatimError) || error.code !== 'STORE_DAMAGED') throw error;
    options.onWarning?.(`${error.message} Rebuilding it now.`);
    const report = await indexCorpus(options, embedder, true);
    options.onIndexed?.(report);
    return store.view();
  }
}

/** A searcher over an up-to-date index of one corpus folder (see `openView`). */
export async function openSearcher(options: OpenOptions): Promise<Searcher> {
  const embedder = await loadEmbedder(options);
  return new Searcher(await openView(options, embedder), embedder);
}
