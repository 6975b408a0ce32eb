/**
 * What changed between the corpus folder and the store, found by reading only what may have
 * changed: files whose signature (size, times, inode of the file, its sidecar and its extracted
 * text) differs from the one stored, files that are new, and files that are gone. Cleaning needs
 * to know how many documents share each short line; the store answers that for its documents, so
 * no unchanged article is read, except the few whose boilerplate a change tips over the
 * repeated-line threshold (they are read again and re-cleaned, as a full read would).
 */
import { createHash } from 'node:crypto';
import { REPEATED_LINE_MIN_DOCUMENTS, shortLineKeys } from '../corpus/clean.js';
import { settleDocument } from '../corpus/load.js';
import { readOwner } from '../corpus/read.js';
import { ownerSignature, type CorpusListing } from '../corpus/stamp.js';
import type { CorpusDocument, RawDocument, SkippedFile } from '../corpus/types.js';
import type { OwnerNote, OwnerState, Store, StoredDocument } from './store.js';

/** Changes whenever what a document contributes to the index changes: its bytes or its metadata. */
export function fingerprint(doc: CorpusDocument): string {
  return createHash('sha256').update(JSON.stringify([doc.hash, doc.meta, doc.boilerplate])).digest('hex').slice(0, 32);
}

/** The store's key for a short line (see `shortLineKeys`). */
export function lineHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export interface CorpusChanges {
  /** New or changed documents, settled (boilerplate, metadata), in corpus order. */
  add: { doc: CorpusDocument; owner: string; signature: string; lineKeys: string[] }[];
  /** Paths of stored documents to remove (gone, or replaced by a document in `add`). */
  remove: string[];
  /** Notes for files read whose documents are not all rewritten. */
  owners: Record<string, OwnerNote | null>;
  /** Files read this time and their signatures. */
  read: number;
  skipped: SkippedFile[];
  warnings: string[];
  /** Live documents once the changes are written. */
  documents: number;
}

interface OwnerRead {
  owner: string;
  signature: string;
  documents: RawDocument[];
  skipped: SkippedFile[];
  warnings: string[];
}

export async function findChanges(
  corpusDir: string,
  listing: CorpusListing,
  store: Store,
  /** What the store holds; null when it is being replaced (its contents are not consulted). */
  stored: ReadonlyMap<string, OwnerState> | null,
  onRead?: (done: number, total: number) => void,
): Promise<CorpusChanges> {
  const emptyStore = stored === null;
  stored ??= new Map();
  const gone = [...stored.keys()].filter((owner) => !listing.owners.has(owner));
  const toRead = [...listing.owners].filter(([owner, signature]) => stored.get(owner)?.signature !== signature).map(([owner]) => owner);
  const reads = new Map<string, OwnerRead>();
  const storedPaths = new Map<string, string>();
  for (const [owner, state] of stored) for (const doc of state.documents) storedPaths.set(doc.path, owner);
  const readAll = async (owners: string[]) => {
    for (const owner of owners) {
      const read = await readOwner(corpusDir, owner);
      const signature = (await ownerSignature(corpusDir, owner)) ?? listing.owners.get(owner)!;
      reads.set(owner, { owner, signature, ...read });
      onRead?.(reads.size, Math.max(reads.size, toRead.length));
    }
  };
  await readAll(toRead);

  // Short-line counts: the store's documents (less those being replaced) plus the new ones.
  let counts = new Map<string, number>();
  const keysOf = new Map<RawDocument, string[]>();
  for (;;) {
    const replaced = new Set<string>();
    for (const owner of [...gone, ...reads.keys()]) for (const doc of stored.get(owner)?.documents ?? []) replaced.add(doc.path);
    const fresh = [...reads.values()].flatMap((r) => r.documents);
    const keyHash = new Map<string, string>();
    const added = new Map<string, number>();
    for (const doc of fresh) {
      if (!keysOf.has(doc)) keysOf.set(doc, shortLineKeys(doc.text));
      for (const key of keysOf.get(doc)!) {
        const hash = keyHash.get(key) ?? lineHash(key);
        keyHash.set(key, hash);
        added.set(hash, (added.get(hash) ?? 0) + 1);
      }
    }
    const removedHashes = emptyStore ? [] : await store.lineKeysOf([...replaced]);
    const removed = new Map<string, number>();
    for (const hash of removedHashes) removed.set(hash, (removed.get(hash) ?? 0) + 1);
    const hashes = [...new Set([...added.keys(), ...removed.keys()])];
    const others = emptyStore ? new Map(hashes.map((h) => [h, [] as string[]])) : await store.lineDocuments(hashes, replaced, REPEATED_LINE_MIN_DOCUMENTS);
    const threshold = (n: number) => n >= REPEATED_LINE_MIN_DOCUMENTS;
    const tipped = new Set<string>();
    for (const hash of hashes) {
      const rest = others.get(hash)!;
      const before = rest.length + (removed.get(hash) ?? 0);
      const after = rest.length + (added.get(hash) ?? 0);
      if (threshold(before) !== threshold(after)) for (const path of rest) tipped.add(storedPaths.get(path)!);
    }
    counts = new Map([...keyHash].map(([key, hash]) => [key, others.get(hash)!.length + (added.get(hash) ?? 0)]));
    const more = [...tipped].filter((owner) => !reads.has(owner));
    if (more.length === 0) break;
    await readAll(more);
  }

  // Ids are unique: a new document whose id another already has keeps its extension.
  const taken = new Set<string>();
  for (const [owner, state] of stored) if (!reads.has(owner) && !gone.includes(owner)) for (const doc of state.documents) taken.add(doc.id);
  const changes: CorpusChanges = { add: [], remove: [], owners: {}, read: reads.size, skipped: [], warnings: [], documents: 0 };
  for (const owner of gone) changes.remove.push(...stored.get(owner)!.documents.map((d) => d.path));
  for (const read of [...reads.values()].sort((a, b) => (a.owner < b.owner ? -1 : 1))) {
    const before = new Map<string, StoredDocument>((stored.get(read.owner)?.documents ?? []).map((d) => [d.path, d]));
    let unchanged = 0;
    for (const raw of read.documents) {
      if (taken.has(raw.id)) raw.id = raw.original ?? raw.path;
      taken.add(raw.id);
      const doc = settleDocument(raw, counts);
      const previous = before.get(doc.path);
      before.delete(doc.path);
      if (previous && previous.fingerprint === fingerprint(doc) && previous.id === doc.id) unchanged += 1;
      else changes.add.push({ doc, owner: read.owner, signature: read.signature, lineKeys: keysOf.get(raw)!.map(lineHash) });
    }
    changes.remove.push(...before.keys());
    const needsNote = read.documents.length === 0 || unchanged > 0 || read.skipped.length > 0;
    if (needsNote) changes.owners[read.owner] = { signature: read.signature, skipped: read.skipped };
    else if (stored.get(read.owner)?.noted) changes.owners[read.owner] = null;
    changes.skipped.push(...read.skipped);
    changes.warnings.push(...read.warnings);
  }
  for (const [owner, state] of stored) if (!reads.has(owner) && !gone.includes(owner)) changes.skipped.push(...state.skipped);
  for (const owner of gone) if (stored.get(owner)!.noted) changes.owners[owner] = null;
  const storedCount = [...stored.values()].reduce((n, s) => n + s.documents.length, 0);
  const replacing = new Set([...changes.remove, ...changes.add.map((a) => a.doc.path)]);
  const removedStored = [...stored.values()].flatMap((s) => s.documents).filter((d) => replacing.has(d.path)).length;
  changes.documents = storedCount - removedStored + changes.add.length;
  return changes;
}
