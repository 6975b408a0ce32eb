/**
 * Collection names, and COLLECTIONS_FILE, which says which collection each Discord server and
 * channel uses (DESIGN.md, "Collections"): `{"guilds": {"<server id>": "<collection>"},
 * "channels": {"<channel id>": "<collection>"}}`, a channel's entry winning over its server's.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { createError, withCause } from './errors.js';
import { checkJson } from './validate.js';

/** What a collection may be called: it becomes a folder name, so nothing that could climb out of one. */
export const COLLECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const collectionNameSchema = z
  .string()
  .regex(COLLECTION_NAME, { error: 'is not a collection name (a-z, 0-9, _ and -, starting with a letter or digit, at most 64 characters)' });

export function isCollectionName(name: string): boolean {
  return COLLECTION_NAME.test(name);
}

/** The name, checked: anything else is COLLECTION_INVALID (exit code 2), before anything is created. */
export function collectionName(name: string): string {
  if (!isCollectionName(name)) throw createError('COLLECTION_INVALID', name);
  return name;
}

/** The collection that is today's CORPUS_DIR + STORE_DIR. */
export const DEFAULT_COLLECTION = 'default';

/** Where collections live: `default` at CORPUS_DIR + STORE_DIR, any other under COLLECTIONS_DIR. */
export interface CollectionsLayout {
  corpusDir: string;
  storeDir: string;
  collectionsDir: string;
}

export interface CollectionDirs {
  name: string;
  corpusDir: string;
  storeDir: string;
}

/** A collection's folders: `collections/NAME/corpus/` and `collections/NAME/store/` (absolute). */
export function collectionDirs(layout: CollectionsLayout, name: string): CollectionDirs {
  collectionName(name);
  if (name === DEFAULT_COLLECTION) return { name, corpusDir: path.resolve(layout.corpusDir), storeDir: path.resolve(layout.storeDir) };
  const root = path.resolve(layout.collectionsDir, name);
  return { name, corpusDir: path.join(root, 'corpus'), storeDir: path.join(root, 'store') };
}

/** Whether a collection exists: `default` always does; another once its folder was created (by adding to it). */
export async function collectionExists(layout: CollectionsLayout, name: string): Promise<boolean> {
  if (name === DEFAULT_COLLECTION) return true;
  const stat = await fs.stat(path.dirname(collectionDirs(layout, name).corpusDir)).catch(() => null);
  return Boolean(stat?.isDirectory());
}

/** Every collection: `default` first, then the folders under COLLECTIONS_DIR with a collection's name, sorted. */
export async function collectionNames(layout: CollectionsLayout): Promise<string[]> {
  const entries = await fs.readdir(path.resolve(layout.collectionsDir), { withFileTypes: true }).catch(() => []);
  const others = entries.filter((e) => e.isDirectory() && isCollectionName(e.name) && e.name !== DEFAULT_COLLECTION).map((e) => e.name);
  return [DEFAULT_COLLECTION, ...others.sort()];
}

/** A server or channel id: a Discord snowflake, written as a string of digits. */
const discordId = z.string().regex(/^\d{1,20}$/, { error: 'is not a Discord id (digits)' });

export const collectionsFileSchema = z.strictObject({
  guilds: z.record(discordId, collectionNameSchema).default({}),
  channels: z.record(discordId, collectionNameSchema).default({}),
});

export type CollectionsFile = z.output<typeof collectionsFileSchema>;

/**
 * Reads and checks a COLLECTIONS_FILE. Anything wrong with it is FILE_INVALID in one line naming
 * the file and the field: `Cannot use collections.json: guilds.123: "News" is not a collection name (…).`
 */
export async function loadCollectionsFile(file: string): Promise<CollectionsFile> {
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw withCause(createError('FILE_INVALID', file, missing ? 'there is no such file' : 'it cannot be read'), error);
  }
  const checked = checkJson(collectionsFileSchema, raw);
  if (!checked.ok) throw createError('FILE_INVALID', file, checked.problem);
  return checked.value;
}

/** Where a Discord request comes from: a server (null in DMs) and a channel. */
export interface Place {
  guildId: string | null;
  channelId: string | null;
}

export interface PlaceCollections {
  /** The collection the place adds to and forgets from (null in DMs: nothing). */
  writes: string | null;
  /** What its questions read, as one corpus: its own collection(s), then the shared ones. */
  reads: string[];
}

/**
 * Which collections a place reads and writes. A server's collection is named after its id (ids
 * are digits, so valid names) unless COLLECTIONS_FILE maps the server, or the channel (which
 * wins), to another. A place mapped to a shared collection reads it but still writes only to the
 * server's own, so that nothing in Discord changes a shared collection; DMs read only shared ones.
 */
export function collectionsOfPlace(file: CollectionsFile | undefined, shared: readonly string[], place: Place): PlaceCollections {
  if (place.guildId === null) return { writes: null, reads: [...shared] };
  const mapped = (place.channelId !== null ? file?.channels[place.channelId] : undefined) ?? file?.guilds[place.guildId] ?? place.guildId;
  const writes = shared.includes(mapped) ? place.guildId : mapped;
  return { writes, reads: [...new Set([writes, mapped, ...shared])] };
}
