/**
 * Which corpus folder a shared collection is indexed from. A build makes the store match its
 * folder, so a process whose folder for a collection is another one (a machine without the
 * shared file system, a mistyped CORPUS_DIR) would remove from the shared database every
 * article that folder lacks. So the first folder indexed into a shared store gets a random id,
 * in a hidden file in the folder (the corpus listing skips hidden files) and in the collection's
 * state in the database; a folder with another id, or none, is refused. A collection with no id
 * yet (indexed before, or copied in by copy-to-postgres from elsewhere) adopts the folder that
 * builds next. The embedded store serves one folder and process: nothing is written or checked.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { createError, VerbatimError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { PostgresStore } from './postgres/store.js';
import type { Store } from './store.js';

/** The file in the corpus folder that holds its id. */
export const FOLDER_ID_FILE = '.verbatim-folder';
/** The collection's state document that records the id of its folder. */
const RECORD = 'corpus-folder';
const recordSchema = z.object({ id: z.string().min(1) });

const recordOf = (store: PostgresStore) => store.state(RECORD, recordSchema);

/** The folder's id, or null when it has none (or an empty file). */
export async function readFolderId(corpusDir: string): Promise<string | null> {
  const text = await fs.readFile(path.join(corpusDir, FOLDER_ID_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text?.trim() || null;
}

/**
 * The folder's id, given one first when it has none. The new file is written whole beside it,
 * then linked into place, which fails when another process got there first: every process
 * sharing the folder ends up with the one id (a rename would replace the other's).
 */
async function folderId(corpusDir: string): Promise<string> {
  const found = await readFolderId(corpusDir);
  if (found) return found;
  const file = path.join(corpusDir, FOLDER_ID_FILE);
  const id = randomUUID();
  const temporary = `${file}.${id}.tmp`;
  await writeFileAtomic(temporary, `${id}\n`);
  try {
    await fs.link(temporary, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Without hard links (some file systems), the rename of writeFileAtomic is the next best.
    if (code !== 'EEXIST') await fs.rename(temporary, file);
  } finally {
    await fs.rm(temporary, { force: true });
  }
  const kept = await readFolderId(corpusDir);
  if (kept) return kept;
  await writeFileAtomic(file, `${id}\n`);
  return id;
}

const foreign = (corpusDir: string, store: PostgresStore, recorded: string) => createError('CORPUS_FOLDER_FOREIGN', corpusDir, store.collection, recorded);

/**
 * Before a build writes `store` from `corpusDir`: throws CORPUS_FOLDER_FOREIGN when the shared
 * collection was indexed from another folder, and records this folder as the collection's when
 * none is recorded yet (only once it holds articles: an empty folder claims nothing). Runs while
 * the build holds the collection's write lock, so two processes never name one folder twice.
 */
export async function checkCorpusFolder(store: Store, corpusDir: string, hasArticles: boolean): Promise<void> {
  if (!(store instanceof PostgresStore)) return;
  const record = recordOf(store);
  const recorded = (await record.load())?.id;
  if (recorded !== undefined) {
    if (recorded !== (await readFolderId(corpusDir))) throw foreign(corpusDir, store, recorded);
    return;
  }
  if (!hasArticles) return;
  const id = await folderId(corpusDir).catch((error: NodeJS.ErrnoException) => {
    // A folder verbatim may not write to (mounted read-only) is indexed as before, without an id.
    if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') return null;
    throw error;
  });
  if (id === null) return;
  const kept = await record.update((current) => (current ? { value: current, result: current.id } : { value: { id }, result: id }));
  if (kept !== id) throw foreign(corpusDir, store, kept);
}

/** Makes `corpusDir` the collection's folder, whatever was recorded (copy-to-postgres); its id. */
export async function recordCorpusFolder(store: PostgresStore, corpusDir: string): Promise<string> {
  const id = await folderId(corpusDir);
  await recordOf(store).update(() => ({ value: { id }, result: undefined }));
  return id;
}

export const isForeignFolder = (error: unknown): error is VerbatimError => error instanceof VerbatimError && error.code === 'CORPUS_FOLDER_FOREIGN';
