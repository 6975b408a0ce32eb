import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * A digest of every file's path, size and modification time in the corpus folder: equal stamps
 * mean nothing was added, changed or removed, which a start-up can check without reading a
 * single article. (Any difference sends it down the full, content-hashing path.)
 */
export async function corpusStamp(corpusDir: string): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (dir: string): Promise<void> => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile()) {
        const stat = await fs.stat(full);
        hash.update(`${path.relative(corpusDir, full)}\0${stat.size}\0${Math.floor(stat.mtimeMs)}\n`);
      }
    }
  };
  await visit(corpusDir);
  return hash.digest('hex');
}
