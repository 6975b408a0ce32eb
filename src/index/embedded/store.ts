/**
 * The embedded store: immutable segments under `embeddings/index/segments/`, listed by a manifest
 * (see manifest.ts). A write costs what it writes: one new segment for the documents added,
 * tombstones for those removed, a new manifest (a few hundred bytes per segment). Searches run
 * over all segments with collection-wide BM25 statistics; merges keep the segments few.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { promises as fs } from 'node:fs';
import type { SkippedFile } from '../../corpus/types.js';
import { createError } from '../../errors.js';
import { LexicalIndex } from '../lexical.js';
import { NameTable } from '../names.js';
import type { IndexView, MaintenanceOptions, OwnerState, Store, StoreStatus, StoreSettings, ViewOptions, WriteBatch } from '../store.js';
import { VectorIndex } from '../vector.js';
import { toSegmentInput } from './input.js';
import { withWriteLock } from './lock.js';
import { collectGarbage, commitManifest, FORMAT_VERSION, indexRoot, liveTotals, readManifest, readNotes, segmentsRoot, writeNotes, type Manifest, type SegmentEntry } from './manifest.js';
import { planMerge, writeMerged } from './merge.js';
import { acquireSegments, releaseSegment, type SegmentReader } from './segment-reader.js';
import { SegmentWriter, type SegmentHeader } from './segment-writer.js';
import { SegmentedView } from './view.js';

const holdsLock = new AsyncLocalStorage<string>();
const hex = (key: bigint) => key.toString(16).padStart(16, '0');

function entryFor(name: string, header: SegmentHeader, headerSha256: string, dead: number[] = []): SegmentEntry {
  const gone = dead.map((d) => header.documents[d]!);
  return {
    name,
    documents: header.documents.length,
    passages: header.passages,
    sentences: header.sentences,
    dead,
    deadPassages: gone.reduce((n, d) => n + d.passages, 0),
    deadSentences: gone.reduce((n, d) => n + d.sentences, 0),
    headerSha256,
  };
}

const sameSettings = (m: Manifest, s: StoreSettings) =>
  m.modelId === s.modelId && m.dimensions === s.dimensions && JSON.stringify(m.packing) === JSON.stringify(s.packing);

export class EmbeddedStore implements Store {
  readonly shared = false;
  constructor(readonly storeDir: string) {}

  get location(): string {
    return this.storeDir;
  }

  private get segmentsDir(): string {
    return segmentsRoot(this.storeDir);
  }

  async status(): Promise<StoreStatus | null> {
    const current = await readManifest(this.storeDir);
    if (!current) return null;
    const { manifest } = current;
    return {
      version: current.name,
      settings: { modelId: manifest.modelId, dimensions: manifest.dimensions, packing: manifest.packing },
      corpusStamp: manifest.corpusStamp,
      corpusSignatures: manifest.corpusSignatures,
      ...liveTotals(manifest),
      parts: manifest.segments.length,
    };
  }

  /** Runs `use` with a reader of every segment of `manifest` and the set of its removed documents. */
  private async withReaders<T>(manifest: Manifest, use: (segments: { reader: SegmentReader; dead: Set<number> }[]) => T): Promise<T> {
    const readers = acquireSegments(this.segmentsDir, manifest.segments, manifest.dimensions);
    try {
      return use(readers.map((reader, i) => ({ reader, dead: new Set(manifest.segments[i]!.dead) })));
    } finally {
      readers.forEach(releaseSegment);
    }
  }

  async owners(): Promise<Map<string, OwnerState>> {
    const current = await readManifest(this.storeDir);
    const owners = new Map<string, OwnerState>();
    if (!current) return owners;
    await this.withReaders(current.manifest, (segments) => {
      for (const { reader, dead } of segments) {
        reader.documents.forEach((doc, local) => {
          if (dead.has(local)) return;
          const state = owners.get(doc.owner) ?? { signature: doc.signature, documents: [], skipped: [], noted: false };
          const { id, path, original, owner, signature, fingerprint, passages } = doc;
          state.documents.push({ id, path, ...(original ? { original } : {}), owner, signature, fingerprint, passages });
          owners.set(doc.owner, state);
        });
      }
    });
    for (const [owner, note] of Object.entries(await readNotes(this.storeDir, current.manifest))) {
      const state = owners.get(owner) ?? { signature: note.signature, documents: [], skipped: [], noted: true };
      owners.set(owner, { ...state, signature: note.signature, skipped: note.skipped, noted: true });
    }
    return owners;
  }

  async skipped(): Promise<SkippedFile[]> {
    const current = await readManifest(this.storeDir);
    return current ? Object.values(await readNotes(this.storeDir, current.manifest)).flatMap((note) => note.skipped) : [];
  }

  async lineKeysOf(paths: readonly string[]): Promise<string[]> {
    const current = await readManifest(this.storeDir);
    if (!current || paths.length === 0) return [];
    const wanted = new Set(paths);
    return this.withReaders(current.manifest, (segments) =>
      segments.flatMap(({ reader, dead }) => {
        const locals = new Set(reader.documents.map((d, i) => (!dead.has(i) && wanted.has(d.path) ? i : -1)).filter((i) => i >= 0));
        if (locals.size === 0) return [];
        const { keys, docs } = reader.lines();
        return [...keys].filter((_, i) => locals.has(docs[i]!)).map(hex);
      }),
    );
  }

  async lineDocuments(keys: readonly string[], excluding: ReadonlySet<string>, limit: number): Promise<Map<string, string[]>> {
    const current = await readManifest(this.storeDir);
    const found = new Map<string, string[]>(keys.map((k) => [k, []]));
    if (!current || keys.length === 0) return found;
    await this.withReaders(current.manifest, (segments) => {
      for (const { reader, dead } of segments) {
        const table = reader.lines();
        for (const key of keys) {
          const paths = found.get(key)!;
          const wanted = BigInt(`0x${key}`);
          let low = 0;
          let high = table.keys.length;
          while (low < high) {
            const middle = (low + high) >> 1;
            if (table.keys[middle]! < wanted) low = middle + 1;
            else high = middle;
          }
          for (let i = low; i < table.keys.length && table.keys[i] === wanted && paths.length < limit; i += 1) {
            const doc = table.docs[i]!;
            const path = reader.documents[doc]!.path;
            if (!dead.has(doc) && !excluding.has(path)) paths.push(path);
          }
        }
      }
    });
    return found;
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (holdsLock.getStore() === this.storeDir) return work();
    return withWriteLock(this.storeDir, () => holdsLock.run(this.storeDir, work));
  }

  write(batch: WriteBatch): Promise<void> {
    return this.exclusive(() => this.commit(batch));
  }

  private async nextGeneration(current: Manifest | null): Promise<number> {
    if (current) return current.generation + 1;
    const names = await fs.readdir(indexRoot(this.storeDir)).catch(() => [] as string[]);
    return 1 + Math.max(0, ...names.map((n) => Number(/^manifest-(\d+)\.json$/.exec(n)?.[1] ?? 0)));
  }

  private async commit(batch: WriteBatch): Promise<void> {
    const current = await readManifest(this.storeDir).catch((error: unknown) => {
      if (batch.replace) return null;
      throw error;
    });
    if (current && !batch.replace && !sameSettings(current.manifest, batch.settings)) {
      throw new Error(`the store holds ${current.manifest.modelId} vectors; a write with ${batch.settings.modelId} must replace it`);
    }
    const keep = current && !batch.replace ? current.manifest : null;
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      generation: await this.nextGeneration(current?.manifest ?? null),
      createdAt: new Date().toISOString(),
      ...batch.settings,
      corpusStamp: keep?.corpusStamp ?? null,
      corpusSignatures: keep?.corpusSignatures ?? null,
      segments: keep ? keep.segments.map((s) => ({ ...s, dead: [...s.dead] })) : [],
      notes: keep?.notes ?? null,
    };
    const remove = new Set([...(batch.remove ?? []), ...(batch.add ?? []).map((d) => d.record.path)]);
    if (remove.size > 0 && keep) {
      await this.withReaders(keep, (segments) =>
        segments.forEach(({ reader, dead }, i) => {
          const entry = manifest.segments[i]!;
          reader.documents.forEach((doc, local) => {
            if (dead.has(local) || !remove.has(doc.path)) return;
            entry.dead.push(local);
            entry.deadPassages += doc.passages;
            entry.deadSentences += doc.sentences;
          });
          entry.dead.sort((a, b) => a - b);
        }),
      );
    }
    manifest.segments = manifest.segments.filter((s) => s.dead.length < s.documents);
    if (batch.add?.length) manifest.segments.push(await this.writeSegment(batch));
    if (Object.keys(batch.owners ?? {}).length > 0) {
      const notes = keep ? await readNotes(this.storeDir, keep) : {};
      for (const [owner, note] of Object.entries(batch.owners!)) {
        if (note) notes[owner] = note;
        else delete notes[owner];
      }
      manifest.notes = await writeNotes(this.storeDir, manifest.generation, notes);
    }
    // A write that changes documents without saying what corpus it matches matches none for certain.
    const changesDocuments = (batch.add?.length ?? 0) + (batch.remove?.length ?? 0) > 0;
    manifest.corpusStamp = batch.corpusStamp !== undefined ? batch.corpusStamp : changesDocuments ? null : manifest.corpusStamp;
    manifest.corpusSignatures = batch.corpusSignatures !== undefined ? batch.corpusSignatures : changesDocuments ? null : manifest.corpusSignatures;
    await commitManifest(this.storeDir, manifest);
    await collectGarbage(this.storeDir, manifest).catch(() => undefined);
  }

  /** The added documents as one new segment, published (still unlisted until the manifest names it). */
  private async writeSegment(batch: WriteBatch): Promise<SegmentEntry> {
    const { dimensions } = batch.settings;
    const writer = await SegmentWriter.create(this.segmentsDir, dimensions);
    try {
      const passageVectors: Float32Array[] = [];
      const passageTexts: string[] = [];
      const names: string[][] = [];
      for (const doc of batch.add!) {
        const { input, texts, names: docNames } = toSegmentInput(doc, dimensions);
        writer.add(input);
        names.push(docNames);
        for (let p = 0; p < doc.passages.length; p += 1) passageVectors.push(doc.passageVectors.subarray(p * dimensions, (p + 1) * dimensions));
        passageTexts.push(...texts);
      }
      const vectors = await VectorIndex.build(passageVectors.length, dimensions, (i) => passageVectors[i]!);
      const { header, headerSha256 } = await writer.finish(vectors, LexicalIndex.build(passageTexts), NameTable.build(names));
      return entryFor(await writer.publish(), header, headerSha256);
    } catch (error) {
      await writer.abandon();
      throw error;
    }
  }

  async maintain(options: MaintenanceOptions): Promise<boolean> {
    let budget = options.budget;
    let changed = false;
    for (;;) {
      const current = await readManifest(this.storeDir);
      const plan = current && planMerge(current.manifest.segments, budget, options.everything);
      if (!current || !plan) return changed;
      const { dimensions } = current.manifest;
      const readers = acquireSegments(this.segmentsDir, plan, dimensions);
      const sources = plan.map((entry, i) => ({ entry, reader: readers[i]! }));
      let merged: Awaited<ReturnType<typeof writeMerged>>;
      try {
        merged = await writeMerged(this.segmentsDir, dimensions, sources, options.yieldEvery);
      } finally {
        for (const { reader } of sources) releaseSegment(reader);
      }
      const committed = await this.exclusive(async () => {
        const now = await readManifest(this.storeDir);
        const positions = plan.map((p) => now?.manifest.segments.findIndex((s) => s.name === p.name) ?? -1);
        if (!now || positions.some((i) => i < 0)) {
          await merged.writer.abandon();
          return false;
        }
        // Documents removed while the merge ran are removed from its result too.
        const dead = plan.flatMap((p, i) =>
          now.manifest.segments[positions[i]!]!.dead.filter((d) => !p.dead.includes(d)).map((d) => merged.documentMaps[i]![d]!),
        );
        const entry = entryFor(await merged.writer.publish(), merged.header, merged.headerSha256, dead.filter((d) => d >= 0).sort((a, b) => a - b));
        const segments = now.manifest.segments.filter((s) => !plan.some((p) => p.name === s.name));
        if (entry.dead.length < entry.documents) segments.splice(Math.min(...positions), 0, entry);
        const manifest: Manifest = { ...now.manifest, generation: now.manifest.generation + 1, createdAt: new Date().toISOString(), segments };
        await commitManifest(this.storeDir, manifest);
        await collectGarbage(this.storeDir, manifest).catch(() => undefined);
        return true;
      });
      if (!committed) return changed;
      changed = true;
      budget -= merged.header.passages;
      if (options.everything || budget <= 0) return changed;
    }
  }

  async view(options: ViewOptions = {}): Promise<IndexView> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await readManifest(this.storeDir);
      if (!current) throw createError('STORE_MISSING', this.storeDir);
      let readers: SegmentReader[] = [];
      try {
        readers = acquireSegments(this.segmentsDir, current.manifest.segments, current.manifest.dimensions);
        const view = new SegmentedView(current.name, current.manifest, readers);
        return options.eager === false ? view : view.load();
      } catch (error) {
        readers.forEach(releaseSegment);
        // A writer may have replaced the manifest (and removed its segments) in the meantime.
        const again = await readManifest(this.storeDir).catch(() => null);
        if (attempt < 10 && again && again.name !== current.name) continue;
        throw error;
      }
    }
  }
}
