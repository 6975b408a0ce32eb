import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file whole or not at all: a hidden temporary name beside it, then a rename. A reader
 * (or a crash) never sees half a file, and folder scans skip the hidden temporary.
 */
export async function writeFileAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.writeFile(temporary, contents);
  await fs.rename(temporary, file);
}
