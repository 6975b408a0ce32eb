import { createHash } from 'node:crypto';
import path from 'node:path';
import { loadCorpus } from '../corpus/load.js';
import { corpusStamp } from '../corpus/stamp.js';
import type { CorpusDocument, SkippedFile } from '../corpus/types.js';
import { EmbeddingCache, type DocumentEmbedding } from './cache.js';
import type { Embedder } from './embedder.js';
import { LexicalIndex } from './lexical.js';
import { DEFAULT_PACKING, packPassages, segmentSentences, type PackOptions } from './segment.js';
import { readManifest, updateCorpusStamp, writeStore } from './store.js';
import type { DocumentRecord, IndexData, Manifest } from './types.js';
import { VectorIndex } from './vector.js';

export interface IndexProgress {
  phase: 'reading' | 'embedding' | 'writing';
  done: number;
  total: number;
}

export interface IndexOptions {
  corpusDir: string;
  storeDir: string;
  embedder: Embedder;
  packing?: PackOptions;
  /** Rebuild even when the manifest says the index is current (its files may be damaged). */
  force?: boolean;
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
  skipped: SkippedFile[];
  warnings: string[];
  seconds: number;
}

/** Passages sent to the model at once; a finished group is cached, so a killed run resumes. */
const EMBED_GROUP_PASSAGES = 256;

/** Changes whenever what a document contributes to the index changes: its bytes or its metadata. */
function fingerprint(doc: CorpusDocument): string {
  return createHash('sha256').update(JSON.stringify([doc.hash, doc.meta, doc.boilerplate])).digest('hex').slice(0, 32);
}

function cacheKey(doc: CorpusDocument, modelId: string, packing: PackOptions): string {
  return EmbeddingCache.key([modelId, packing, doc.hash, doc.boilerplate]);
}

/** True when the stored index no longer matches the corpus and model. */
export function isStale(manifest: Manifest, documents: readonly CorpusDocument[], modelId: string, packing: PackOptions): boolean {
  if (manifest.modelId !== modelId || JSON.stringify(manifest.packing) !== JSON.stringify(packing)) return true;
  if (manifest.documents.length !== documents.length) return true;
  const stored = new Map(manifest.documents.map((d) => [d.path, d.fingerprint]));
  return documents.some((doc) => stored.get(doc.path) !== fingerprint(doc));
}

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

/** Embeds the documents that are not cached yet, group by group, caching each finished document. */
type Segmented = ReturnType<typeof segmentDocument>;

async function embedMissing(
  pending: { key: string; segmented: Segmented }[],
  embedder: Embedder,
  cache: EmbeddingCache,
  onPassages: (count: number) => void,
): Promise<Map<string, DocumentEmbedding>> {
  const results = new Map<string, DocumentEmbedding>();
  const dims = embedder.dimensions;
  let group: { key: string; segmented: Segmented }[] = [];
  const flush = async () => {
    const inputs = group.flatMap(({ segmented }) =>
      segmented.passages.map((span) => segmented.tokens.slice(span.first, span.end)),
    );
    let done = 0;
    const embedded = await embedder.embedPassages(inputs, (count) => {
      onPassages(count - done);
      done = count;
    });
    let next = 0;
    for (const { key, segmented } of group) {
      const mine = embedded.slice(next, next + segmented.passages.length);
      next += segmented.passages.length;
      const entry: DocumentEmbedding = {
        sentences: segmented.sentences,
        passages: segmented.passages,
        passageVectors: concatRows(mine.map((e) => e.passage)),
        sentenceVectors: concatRows(mine.flatMap((e) => e.sentences)),
      };
      await cache.put(key, entry, dims);
      results.set(key, entry);
    }
    group = [];
  };
  let groupPassages = 0;
  for (const { key, segmented } of pending) {
    group.push({ key, segmented });
    groupPassages += segmented.passages.length;
    if (groupPassages >= EMBED_GROUP_PASSAGES) {
      await flush();
      groupPassages = 0;
    }
  }
  if (group.length) await flush();
  return results;
}

/** Joins the per-document embeddings into one index, numbering sentences and passages globally. */
function assemble(documents: readonly CorpusDocument[], entries: readonly DocumentEmbedding[]): IndexData {
  const data: IndexData = {
    documents: documents.map(
      (doc): DocumentRecord => ({
        id: doc.id,
        path: doc.path,
        ...(doc.original ? { original: doc.original } : {}),
        hash: doc.hash,
        meta: doc.meta,
        boilerplate: doc.boilerplate,
      }),
    ),
    texts: documents.map((doc) => doc.text),
    sentences: [],
    passages: [],
    passageVectors: concatRows(entries.map((e) => e.passageVectors)),
    sentenceVectors: concatRows(entries.map((e) => e.sentenceVectors)),
  };
  let sentenceRow = 0;
  entries.forEach((entry, doc) => {
    const base = data.sentences.length;
    for (const s of entry.sentences) data.sentences.push({ doc, start: s.start, end: s.end, paragraph: s.paragraph });
    for (const span of entry.passages) {
      data.passages.push({ doc, first: base + span.first, end: base + span.end, sentenceRow });
      sentenceRow += span.end - span.first;
    }
  });
  return data;
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

/** The text of a passage as the lexical index sees it: its sentences, without skipped boilerplate. */
export function passageText(data: IndexData, passage: number): string {
  const p = data.passages[passage]!;
  const text = data.texts[p.doc]!;
  return data.sentences
    .slice(p.first, p.end)
    .map((s) => text.slice(s.start, s.end))
    .join(' ');
}

/** Builds or updates the index: only new or changed documents go through the model. */
export async function buildIndex(options: IndexOptions): Promise<IndexReport> {
  const started = performance.now();
  const packing = options.packing ?? DEFAULT_PACKING;
  const { embedder, storeDir, onProgress } = options;
  // Taken before reading, so that a file changed while this build runs makes the next start check again.
  const stamp = await corpusStamp(options.corpusDir).catch(() => undefined);
  const corpus = await loadCorpus(options.corpusDir);
  const { documents } = corpus;
  const previous = await readManifest(storeDir).catch(() => null);
  const report = (extra: Partial<IndexReport>): IndexReport => ({
    upToDate: false,
    documents: documents.length,
    passages: 0,
    sentences: 0,
    embeddedDocuments: 0,
    embeddedPassages: 0,
    removedDocuments: 0,
    skipped: corpus.skipped,
    warnings: corpus.warnings,
    seconds: (performance.now() - started) / 1000,
    ...extra,
  });
  if (previous && !options.force && !isStale(previous.manifest, documents, embedder.modelId, packing)) {
    // Files touched but unchanged: remember the new stamp so the next start need not read them.
    if (stamp && previous.manifest.corpusStamp !== stamp) await updateCorpusStamp(previous.folder, previous.manifest, stamp);
    return report({ upToDate: true, passages: previous.manifest.passageCount, sentences: previous.manifest.sentenceCount });
  }

  const cache = new EmbeddingCache(path.join(storeDir, 'cache', embedder.modelId.replace(/[^\w.-]/g, '_')));
  const keys = documents.map((doc) => cacheKey(doc, embedder.modelId, packing));
  const entries: (DocumentEmbedding | null)[] = [];
  for (const [i, key] of keys.entries()) {
    entries.push(await cache.get(key, embedder.dimensions));
    onProgress?.({ phase: 'reading', done: i + 1, total: keys.length });
  }
  const pending = documents
    .map((doc, i) => ({ key: keys[i]!, cached: entries[i] !== null, doc }))
    .filter((p) => !p.cached)
    .map(({ key, doc }) => ({ key, segmented: segmentDocument(doc, embedder, packing) }));
  const pendingPassages = pending.reduce((n, p) => n + p.segmented.passages.length, 0);
  let embeddedPassages = 0;
  const fresh = await embedMissing(pending, embedder, cache, (count) => {
    embeddedPassages += count;
    onProgress?.({ phase: 'embedding', done: embeddedPassages, total: pendingPassages });
  });
  const complete = entries.map((entry, i) => entry ?? fresh.get(keys[i]!)!);

  onProgress?.({ phase: 'writing', done: 0, total: 1 });
  const data = assemble(documents, complete);
  const vectors = VectorIndex.build(data.passageVectors, embedder.dimensions);
  const lexical = LexicalIndex.build(data.passages.map((_, i) => passageText(data, i)));
  const passageCounts = complete.map((entry) => entry.passages.length);
  await writeStore(
    storeDir,
    {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      packing,
      createdAt: new Date().toISOString(),
      documents: documents.map((doc, i) => ({ id: doc.id, path: doc.path, hash: doc.hash, fingerprint: fingerprint(doc), passages: passageCounts[i]! })),
      corpusStamp: stamp,
      passageCount: data.passages.length,
      sentenceCount: data.sentences.length,
    },
    data,
    vectors,
    lexical,
  );
  await cache.prune(new Set(keys));
  onProgress?.({ phase: 'writing', done: 1, total: 1 });
  const previousPaths = new Set(previous?.manifest.documents.map((d) => d.path) ?? []);
  for (const doc of documents) previousPaths.delete(doc.path);
  return report({
    passages: data.passages.length,
    sentences: data.sentences.length,
    embeddedDocuments: pending.length,
    embeddedPassages,
    removedDocuments: previousPaths.size,
  });
}
