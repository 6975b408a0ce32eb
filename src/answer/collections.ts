/**
 * Reading collections: a question to collection `own` searches it and the shared collections as
 * one corpus (a JoinedView), so one ranking, corroboration and discrepancies span them all.
 */
import { collectionDirs, collectionExists, collectionNames, type CollectionDirs, type CollectionsLayout } from '../collections.js';
import { asVerbatimError, createError } from '../errors.js';
import type { Embedder } from '../index/embedder.js';
import { openStore } from '../index/backend.js';
import { JoinedView, type NamedView } from '../index/joined.js';
import { loadEmbedder, openView, type OpenOptions } from './open.js';
import { Searcher } from './searcher.js';

export interface CollectionSettings extends CollectionsLayout {
  /** Readable by every reader (SHARED_COLLECTIONS). */
  sharedCollections: readonly string[];
  modelDir: string;
  modelName: string;
}

/** What opening tells its caller (progress, indexing reports, warnings). */
export type OpenCallbacks = Pick<OpenOptions, 'onProgress' | 'onIndexed' | 'onWarning'>;

/** The collections a reader of `own` may read, `own` first; `null` (a DM) reads only the shared ones. */
export function readableCollections(own: string | null, shared: readonly string[]): string[] {
  return [...new Set([...(own === null ? [] : [own]), ...shared])];
}

/** A collection's folders, with the model settings that opening it needs. */
export function collectionOptions(settings: CollectionSettings, name: string, callbacks: OpenCallbacks = {}): OpenOptions & CollectionDirs {
  return { ...collectionDirs(settings, name), collection: name, modelDir: settings.modelDir, modelName: settings.modelName, ...callbacks };
}

/** Refuses a collection that does not exist (COLLECTION_UNKNOWN): reading never creates one. */
export async function requireCollection(settings: CollectionsLayout, name: string): Promise<void> {
  if (!(await collectionExists(settings, name))) throw createError('COLLECTION_UNKNOWN', name);
}

/**
 * Opens `own` (which must exist) and the shared collections, indexing what changed, and returns
 * one Searcher over them all. A shared collection that is missing or cannot be read (an empty
 * corpus) is left out with a warning rather than failing every question.
 */
export async function openCollections(settings: CollectionSettings, own: string, callbacks: OpenCallbacks = {}, embedder?: Embedder): Promise<Searcher> {
  await requireCollection(settings, own);
  const model = embedder ?? (await loadEmbedder(settings));
  const views: NamedView[] = [];
  for (const name of readableCollections(own, settings.sharedCollections)) {
    if (name !== own && !(await collectionExists(settings, name))) continue;
    try {
      views.push({ name, view: await openView(collectionOptions(settings, name, callbacks), model) });
    } catch (error) {
      if (name === own || asVerbatimError(error).kind !== 'user') throw error;
      callbacks.onWarning?.(`shared collection ${name} left out: ${asVerbatimError(error).message}`);
    }
  }
  return new Searcher(new JoinedView(views), model);
}

export interface CollectionListing {
  name: string;
  /** Absolute. */
  corpusDir: string;
  documents: number;
  passages: number;
  shared: boolean;
}

/** Every collection with its size as last indexed (nothing is indexed or loaded to say it). */
export async function listCollections(settings: CollectionSettings): Promise<CollectionListing[]> {
  const names = await collectionNames(settings);
  return Promise.all(
    names.map(async (name) => {
      const { corpusDir, storeDir } = collectionDirs(settings, name);
      const status = await openStore(storeDir, name)
        .status()
        .catch(() => null);
      return { name, corpusDir, documents: status?.documents ?? 0, passages: status?.passages ?? 0, shared: settings.sharedCollections.includes(name) };
    }),
  );
}
