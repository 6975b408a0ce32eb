/**
 * Collection names, and COLLECTIONS_FILE, which says which collection each Discord server and
 * channel uses (DESIGN.md, "Collections"): `{"guilds": {"<server id>": "<collection>"},
 * "channels": {"<channel id>": "<collection>"}}`, a channel's entry winning over its server's.
 */
import { promises as fs } from 'node:fs';
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
