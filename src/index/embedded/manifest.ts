/**
 * The commit point of the embedded store. `index/CURRENT` names the manifest in force
 * (`manifest-<generation>.json`), which lists the segments and, for each, the documents removed
 * from it since it was written (tombstones). A write puts its new segment in place first, then
 * writes the next manifest, then switches CURRENT in one rename: a process killed at any moment
 * leaves CURRENT naming a complete manifest whose segments are all there.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { createError, withCause } from '../../errors.js';
import { writeFileAtomic } from '../../files.js';
import { checkJson } from '../../validate.js';
import type { PackOptions } from '../segment.js';
import type { OwnerNote } from '../store.js';

export const FORMAT_VERSION = 3;
const CURRENT = 'CURRENT';

export interface SegmentEntry {
  /** Folder name under `index/segments/`. */
  name: string;
  documents: number;
  passages: number;
  sentences: number;
  /** Numbers (within the segment) of its documents removed since it was written, ascending. */
  dead: number[];
  /** Passages and sentences of those documents, so live totals need no segment read. */
  deadPassages: number;
  deadSentences: number;
  /** SHA-256 of its header (docs.json), checked whenever the segment is opened. */
  headerSha256: string;
}

export interface Manifest {
  formatVersion: number;
  generation: number;
  createdAt: string;
  modelId: string;
  dimensions: number;
  packing: PackOptions;
  corpusStamp: string | null;
  corpusSignatures: string | null;
  segments: SegmentEntry[];
  /**
   * The file (under `index/`) of notes about corpus files whose documents were not rewritten:
   * touched but unchanged, or unreadable (`Record<owner, OwnerNote>`). Kept apart, so that a
   * write that changes no note does not copy them; null when there are none.
   */
  notes: string | null;
}

export const indexRoot = (storeDir: string) => path.join(storeDir, 'index');
export const segmentsRoot = (storeDir: string) => path.join(indexRoot(storeDir), 'segments');
const manifestName = (generation: number) => `manifest-${String(generation).padStart(8, '0')}.json`;

const count = z.int({ error: 'is not a whole number' }).nonnegative({ error: 'is negative' });
const digest = z.string().regex(/^[0-9a-f]{64}$/, { error: 'is not a SHA-256 digest' });

/** A manifest, checked before anything it lists is read (fields added later pass through). */
const manifestSchema: z.ZodType<Manifest, unknown> = z.looseObject({
  formatVersion: z.literal(FORMAT_VERSION, { error: `is not format ${FORMAT_VERSION}` }),
  generation: count,
  createdAt: z.string(),
  modelId: z.string(),
  dimensions: count.positive({ error: 'is not positive' }),
  packing: z.looseObject({ maxTokens: count, overlapSentences: count }),
  corpusStamp: z.string().nullable(),
  segments: z.array(
    z.looseObject({
      name: z.string(),
      documents: count,
      passages: count,
      sentences: count,
      dead: z.array(count),
      deadPassages: count,
      deadSentences: count,
      headerSha256: digest,
    }),
  ),
  notes: z
    .string()
    .nullish()
    .transform((notes) => notes ?? null),
  corpusSignatures: z
    .string()
    .nullish()
    .transform((signatures) => signatures ?? null),
});

/**
 * Parses and checks a manifest: the one place that knows its shape. A bad one is STORE_DAMAGED
 * with one line naming the file, the field and the problem.
 */
export function parseManifest(text: string, name = 'manifest'): Manifest {
  const checked = checkJson(manifestSchema, text);
  if (!checked.ok) throw createError('STORE_DAMAGED', `${name}: ${checked.problem}`);
  return checked.value;
}

export function liveTotals(manifest: Manifest): { documents: number; passages: number; sentences: number } {
  let documents = 0;
  let passages = 0;
  let sentences = 0;
  for (const s of manifest.segments) {
    documents += s.documents - s.dead.length;
    passages += s.passages - s.deadPassages;
    sentences += s.sentences - s.deadSentences;
  }
  return { documents, passages, sentences };
}

/**
 * The manifest in force, or null when there is none (no store yet, or one written by an older
 * version, which is rebuilt). A manifest that CURRENT names but that cannot be read is damage.
 */
export async function readManifest(storeDir: string): Promise<{ manifest: Manifest; name: string } | null> {
  const current = () => fs.readFile(path.join(indexRoot(storeDir), CURRENT), 'utf8').then((text) => text.trim());
  for (let attempt = 0; ; attempt += 1) {
    let name: string;
    try {
      name = await current();
    } catch {
      return null;
    }
    if (!name.startsWith('manifest-')) return null; // an earlier format (generation folders)
    let text: string;
    try {
      text = await fs.readFile(path.join(indexRoot(storeDir), name), 'utf8');
    } catch (cause) {
      // A writer may have moved on (and removed this manifest) between the two reads.
      if (attempt < 10 && (await current().catch(() => name)) !== name) continue;
      throw withCause(createError('STORE_DAMAGED', `${name} is missing`), cause);
    }
    return { manifest: parseManifest(text, name), name };
  }
}

/** Writes the next manifest and makes it current. */
/** The notes a manifest refers to. */
export async function readNotes(storeDir: string, manifest: Manifest): Promise<Record<string, OwnerNote>> {
  if (!manifest.notes) return {};
  try {
    return JSON.parse(await fs.readFile(path.join(indexRoot(storeDir), manifest.notes), 'utf8')) as Record<string, OwnerNote>;
  } catch (cause) {
    throw withCause(createError('STORE_DAMAGED', `${manifest.notes} unreadable`), cause);
  }
}

/** Writes notes for the manifest of `generation`; returns the file name (null for none). */
export async function writeNotes(storeDir: string, generation: number, notes: Record<string, OwnerNote>): Promise<string | null> {
  if (Object.keys(notes).length === 0) return null;
  const name = `notes-${String(generation).padStart(8, '0')}.json`;
  await fs.mkdir(indexRoot(storeDir), { recursive: true });
  await writeFileAtomic(path.join(indexRoot(storeDir), name), JSON.stringify(notes));
  return name;
}

export async function commitManifest(storeDir: string, manifest: Manifest): Promise<void> {
  const root = indexRoot(storeDir);
  await fs.mkdir(root, { recursive: true });
  const name = manifestName(manifest.generation);
  await writeFileAtomic(path.join(root, name), JSON.stringify(manifest));
  await writeFileAtomic(path.join(root, CURRENT), name);
}

/**
 * Removes what no manifest in force needs: older manifests (the previous one stays for a reader
 * that just read CURRENT), segments they no longer list, unfinished segments of writers that
 * died, and the folders of the earlier store format.
 */
export async function collectGarbage(storeDir: string, manifest: Manifest): Promise<void> {
  const root = indexRoot(storeDir);
  const keep = new Set(manifest.segments.map((s) => s.name));
  for (const entry of await fs.readdir(root, { withFileTypes: true }).catch(() => [])) {
    const generation = /^manifest-(\d+)\.json$/.exec(entry.name);
    const notes = /^notes-(\d+)\.json$/.exec(entry.name);
    const stale =
      (generation && Number(generation[1]) < manifest.generation - 1) ||
      (notes && entry.name !== manifest.notes && Number(notes[1]) < manifest.generation - 1) ||
      (entry.isDirectory() && entry.name.startsWith('gen-'));
    if (stale) await fs.rm(path.join(root, entry.name), { recursive: true, force: true });
  }
  for (const entry of await fs.readdir(segmentsRoot(storeDir), { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || keep.has(entry.name)) continue;
    const building = /^\.tmp-(\d+)-/.exec(entry.name);
    if (building && processAlive(Number(building[1]))) continue;
    await fs.rm(path.join(segmentsRoot(storeDir), entry.name), { recursive: true, force: true });
  }
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
