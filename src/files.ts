import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod';
import { createError } from './errors.js';
import { checkJson } from './validate.js';

/**
 * Writes a file whole or not at all: a hidden temporary name beside it, flushed to disk, then a
 * rename, and the folder flushed so the rename itself survives a power cut (a killed process
 * alone cannot lose it, but a crashed machine could). A reader (or a crash) never sees half a
 * file, and folder scans skip the hidden temporary.
 */
export async function writeFileAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  const folder = path.dirname(file);
  const temporary = path.join(folder, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(contents);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
  await syncFolder(folder);
}

/** Flushes a folder's entries (renames, new names) to disk. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A JSON file the program keeps (feeds, watches), checked against its schema: undefined when it
 * cannot be read (not written yet); a broken one is FILE_INVALID, naming the field.
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | undefined> {
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const checked = checkJson(schema, raw);
  if (!checked.ok) throw createError('FILE_INVALID', file, checked.problem);
  return checked.value;
}

/** Writes a kept JSON file whole (see `writeFileAtomic`), making its folder first. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
