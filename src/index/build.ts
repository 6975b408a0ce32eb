/**
 * Brings the store up to date with the corpus folder, doing work in proportion to what changed:
 * one `stat` per file to find what may have changed, then only those files are read, and only
 * new or changed documents go through the model. Documents are committed in groups as they are
 * embedded, so a run that is killed keeps what it finished and the next run resumes after it.
 */
import path from 'node:path';
import { listCorpus } from '../corpus/stamp.js';
import type { CorpusDocument, SkippedFile } from '../corpus/types.js';
import { createError, VerbatimError } from '../errors.js';
import { openStore } from './backend.js';
import { findChanges, fingerprint, type CorpusChanges } from './changes.js';
import type { Embedder } from './embedder.js';
import { checkCorpusFolder } from './folder-identity.js';
import { LegacyEmbeddingCache, type DocumentEmbedding } from './legacy-cache.js';
import { DEFAULT_PACKING, packPassages, segmentSentences, type PackOptions } from './segment.js';
import type { DocumentInput, Store, StoreSettings } from './store.js';

export interface IndexProgress {
  phase: 'reading' | 'embedding' | 'writing';
  done: number;
  total: number;
}

export interface IndexOptions {
  corpusDir: string;
  storeDir: string;
  /** The collection's name, which keys it in a database (`default` unless given). */
  collection?: string;
  embedder: Embedder;
  /** The store to write (the store folder's own by default). */
  store?: Store;
  packing?: PackOptions;
  /** Rebuild everything, whatever the store holds (its files may be damaged). */
  force?: boolean;
  /** Passages that merging may rewrite in this run, beyond twice what it embedded. */
  mergeBudget?: number;
  onProgress?: (progress: IndexProgress) => void;
}

export interface IndexReport {
  upToDate: boolean;
  documents: number;
  passages: number;
  sentences: number;
  /** Documents whose passages went through the model in this run. */
  embeddedDocuments: number;
  embeddedPassages: number;
  removedDocuments: number;
  /** Files read in this run (unchanged files are not read). */
  filesRead: number;
  skipped: SkippedFile[];
  warnings: string[];
  seconds: number;
}

/** Passages embedded and committed at once: a killed run loses at most one group. */
const EMBED_GROUP_PASSAGES = 256;
/**
 * Passages a write may spend merging, besides twice what it embedded: small merges happen as
 * part of a write, larger ones in the background (the bot) or with `verbatim index --merge`.
 */
export const MERGE_BUDGET = 1000;

function segmentDocument(doc: CorpusDocument, embedder: Embedder, packing: PackOptions) {
  const sentences = segmentSentences(doc.text, doc.boilerplate);
  const tokens = sentences.map((s) => embedder.tokenize(doc.text.slice(s.start, s.end)));
  const limit = Math.min(packing.maxTokens, embedder.contentTokenLimit);
  const passages = packPassages(
    tokens.map((t) => t.length),
    { ...packing, maxTokens: limit },
  );
  return { sentences, tokens, passages };
}

/** Row-major matrices (or single rows) stacked into one. */
function concatRows(blocks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const block of blocks) {
    out.set(block, offset);
    offset += block.length;
  }
  return out;
}

type Segmented = ReturnType<typeof segmentDocument>;
type Pending = CorpusChanges['add'][number] & { segmented: Segmented | null; cacheKey: string | null; retrieved: string | null };

/**
 * When the re-read documents whose bytes did not change (a sidecar edit, new boilerplate) were
 * first indexed: they keep that "retrieved" time; a document with new bytes is a new version.
 */
async function keptRetrieved(store: Store, docs: readonly CorpusDocument[], known: ReadonlySet<string>): Promise<Map<string, string>> {
  const kept = new Map<string, string>();
  const again = docs.filter((doc) => known.has(doc.path));
  if (again.length === 0) return kept;
  const view = await store.view({ eager: false });
  try {
    for (const doc of again) {
      const number = view.findDocument(doc.path);
      const before = number === undefined ? undefined : view.document(number);
      if (before?.retrieved && before.hash === doc.hash) kept.set(doc.path, before.retrieved);
    }
  } finally {
    view.close();
  }
  return kept;
}

/** The group's documents with their vectors: from the earlier format's cache when it has them, else the model. */
async function embedGroup(group: readonly Pending[], embedder: Embedder, packing: PackOptions, legacy: LegacyEmbeddingCache | null, onPassages: (n: number) => void) {
  const found: (DocumentEmbedding | null)[] = [];
  for (const pending of group) {
    const entry = legacy && pending.cacheKey ? await legacy.get(pending.cacheKey, embedder.dimensions) : null;
    if (!entry) pending.segmented ??= segmentDocument(pending.doc, embedder, packing);
    found.push(entry);
  }
  const inputs = group.flatMap(({ segmented: s }, i) => (s && !found[i] ? s.passages.map((span) => s.tokens.slice(span.first, span.end)) : []));
  let reported = 0;
  const embedded = await embedder.embedPassages(inputs, (count) => {
    onPassages(count - reported);
    reported = count;
  });
  let next = 0;
  // What an export calls "retrieved": when these bytes entered the index (a changed file is a new version).
  const retrieved = new Date().toISOString();
  return group.map(({ doc, owner, signature, lineKeys, segmented, retrieved: kept }, i): DocumentInput => {
    let entry = found[i];
    if (!entry) {
      const s = segmented!;
      const mine = embedded.slice(next, next + s.passages.length);
      next += s.passages.length;
      entry = {
        sentences: s.sentences,
        passages: s.passages,
        passageVectors: concatRows(mine.map((e) => e.passage)),
        sentenceVectors: concatRows(mine.flatMap((e) => e.sentences)),
      };
    }
    const { id, path: file, original, hash, meta, boilerplate } = doc;
    return {
      record: { id, path: file, ...(original ? { original } : {}), hash, meta, boilerplate, retrieved: kept ?? retrieved },
      owner,
      signature,
      fingerprint: fingerprint(doc),
      text: doc.text,
      ...entry,
      lineKeys,
    };
  });
}

const sameSettings = (a: StoreSettings, b: StoreSettings) =>
  a.modelId === b.modelId && a.dimensions === b.dimensions && JSON.stringify(a.packing) === JSON.stringify(b.packing);

/** Builds or updates the index: only new or changed files are read, only new or changed documents embedded. */
export async function buildIndex(options: IndexOptions): Promise<IndexReport> {
  const started = performance.now();
  const packing = options.packing ?? DEFAULT_PACKING;
  const { embedder, onProgress } = options;
  const store = options.store ?? openStore(options.storeDir, options.collection);
  const settings: StoreSettings = { modelId: embedder.modelId, dimensions: embedder.dimensions, packing };
  return store.exclusive(async () => {
    // Listed before reading, so that a file changed while this runs makes the next run look again.
    const listing = await listCorpus(options.corpusDir);
    // A shared store is only ever made to match the folder it was indexed from.
    await checkCorpusFolder(store, options.corpusDir, listing.owners.size > 0);
    const status = options.force
      ? null
      : await store.status().catch((error: unknown) => {
          if (error instanceof VerbatimError && error.code === 'STORE_DAMAGED') return null;
          throw error;
        });
    const replace = !status || !sameSettings(status.settings, settings);
    if (!replace && status!.corpusSignatures === listing.signatures) {
      // No article's files changed since the store last matched the corpus: nothing to read at all.
      if (status!.corpusStamp !== listing.stamp) await store.write({ settings, corpusStamp: listing.stamp });
      return {
        upToDate: true,
        ...status!,
        embeddedDocuments: 0,
        embeddedPassages: 0,
        removedDocuments: 0,
        filesRead: 0,
        skipped: await store.skipped(),
        warnings: [],
        seconds: (performance.now() - started) / 1000,
      };
    }
    const stored = replace ? null : await store.owners();
    const changes = await findChanges(options.corpusDir, listing, store, stored, (done, total) => onProgress?.({ phase: 'reading', done, total }));
    const report = (extra: Partial<IndexReport>): IndexReport => ({
      upToDate: false,
      documents: changes.documents,
      passages: 0,
      sentences: 0,
      embeddedDocuments: 0,
      embeddedPassages: 0,
      removedDocuments: 0,
      filesRead: changes.read,
      skipped: changes.skipped,
      warnings: changes.warnings,
      seconds: (performance.now() - started) / 1000,
      ...extra,
    });
    if (changes.documents === 0) throw createError('CORPUS_EMPTY', options.corpusDir);
    const removed = new Set(changes.remove);
    for (const { doc } of changes.add) removed.delete(doc.path);
    if (!replace && changes.add.length === 0 && changes.remove.length === 0) {
      if (status!.corpusStamp !== listing.stamp || Object.keys(changes.owners).length > 0) {
        await store.write({ settings, owners: changes.owners, corpusStamp: listing.stamp, corpusSignatures: listing.signatures });
      }
      return report({ upToDate: true, passages: status!.passages, sentences: status!.sentences });
    }

    const legacyCache = new LegacyEmbeddingCache(path.join(options.storeDir, 'cache', embedder.modelId.replace(/[^\w.-]/g, '_')));
    const legacy = (await legacyCache.exists()) ? legacyCache : null;
    const pending: Pending[] = [];
    const storedPaths = new Set(stored ? [...stored.values()].flatMap((owner) => owner.documents.map((d) => d.path)) : []);
    const kept = await keptRetrieved(store, changes.add.map((c) => c.doc), storedPaths);
    for (const change of changes.add) {
      const key = legacy ? LegacyEmbeddingCache.key([embedder.modelId, packing, change.doc.hash, change.doc.boilerplate]) : null;
      const cached = key !== null && (await legacy!.has(key));
      pending.push({ ...change, cacheKey: cached ? key : null, segmented: cached ? null : segmentDocument(change.doc, embedder, packing), retrieved: kept.get(change.doc.path) ?? null });
    }
    const total = pending.reduce((n, p) => n + (p.segmented?.passages.length ?? 0), 0);
    let embeddedPassages = 0;
    let storedPassages = 0;
    let first = true;
    let group: Pending[] = [];
    let groupPassages = 0;
    const commit = async () => {
      const add = await embedGroup(group, embedder, packing, legacy, (n) => {
        embeddedPassages += n;
        onProgress?.({ phase: 'embedding', done: embeddedPassages, total: Math.max(total, embeddedPassages) });
      });
      storedPassages += add.reduce((n, d) => n + d.passages.length, 0);
      await store.write({ settings, replace: first && replace, add, remove: first ? [...removed] : [] });
      first = false;
      group = [];
      groupPassages = 0;
    };
    for (const p of pending) {
      group.push(p);
      groupPassages += p.segmented?.passages.length ?? 4;
      if (groupPassages >= EMBED_GROUP_PASSAGES) await commit();
    }
    if (group.length > 0 || first) await commit();
    onProgress?.({ phase: 'writing', done: 0, total: 1 });
    await store.write({ settings, owners: changes.owners, corpusStamp: listing.stamp, corpusSignatures: listing.signatures });
    // After a bulk write (as much as the store held before), the whole store is merged into one segment.
    const everything = storedPassages >= (status?.passages ?? 0);
    await store.maintain({ budget: (options.mergeBudget ?? MERGE_BUDGET) + 2 * storedPassages, everything });
    if (legacy && everything) await legacy.remove();
    onProgress?.({ phase: 'writing', done: 1, total: 1 });
    const after = (await store.status())!;
    return report({
      documents: after.documents,
      passages: after.passages,
      sentences: after.sentences,
      embeddedDocuments: changes.add.length,
      embeddedPassages,
      removedDocuments: removed.size,
      seconds: (performance.now() - started) / 1000,
    });
  });
}
