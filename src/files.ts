import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

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
