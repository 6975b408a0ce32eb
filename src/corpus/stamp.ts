import { createHash } from 'node:crypto';
import { promises as fs, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { isArticleFile, isExtractable, SIDECAR_SUFFIX, toPosix } from './layout.js';
import { createError } from '../errors.js';

interface ListedFile {
  /** Relative to the corpus folder, with the platform's separators. */
  relative: string;
  stat: Stats;
}

/** Every file of the corpus folder (hidden ones left out), folder by folder in name order. */
async function walk(corpusDir: string): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile()) {
        // Synchronous: thousands of small stats finish far sooner than through the thread pool.
        const stat = statSync(full, { throwIfNoEntry: false });
        if (stat) files.push({ relative: path.relative(corpusDir, full), stat });
      }
    }
  };
  await visit(corpusDir);
  return files;
}

function stampOf(files: readonly ListedFile[]): string {
  const hash = createHash('sha256');
  for (const { relative, stat } of files) hash.update(`${relative}\0${stat.size}\0${Math.floor(stat.mtimeMs)}\n`);
  return hash.digest('hex');
}

/**
 * A digest of every file's path, size and modification time in the corpus folder: equal stamps
 * mean nothing was added, changed or removed, which a start-up can check without reading a
 * single article. (Any difference sends it down the per-file check of `listCorpus`.)
 */
export async function corpusStamp(corpusDir: string): Promise<string> {
  return stampOf(await walk(corpusDir));
}

export interface CorpusListing {
  /** The same value as `corpusStamp`. */
  stamp: string;
  /**
   * Every article or original (relative path, forward slashes) with the signature of its files:
   * the file itself, its sidecar and the text files extracted from it (size, times, inode). A
   * changed signature means the owner is read again; an equal one that it is unchanged.
   */
  owners: Map<string, string>;
  /** A digest of every owner with its signature: equal digests mean no article needs reading. */
  signatures: string;
}

const signatureLine = (name: string, stat: Stats) => `${name}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}\0${stat.ino}\n`;

/**
 * 64-bit FNV-1a of a text, as 16 hex digits: a signature only has to change when its files do
 * (it guards nothing against an adversary), and this is far cheaper than SHA-256 per file.
 */
function fnv64(text: string): string {
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < text.length; i += 1) {
    low ^= text.charCodeAt(i);
    // Multiply the 64-bit value by the FNV prime 0x100000001b3, in 32-bit halves.
    const lowProduct = Math.imul(low, 0x1b3);
    const carry = Math.floor(((low >>> 0) * 0x1b3) / 0x100000000);
    high = (Math.imul(high, 0x1b3) + Math.imul(low, 0x100) + carry) >>> 0;
    low = lowProduct >>> 0;
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

/** The names of a sorted list that start with `prefix` (binary search, then a scan). */
function withPrefix(sorted: readonly string[], prefix: string): string[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  const found: string[] = [];
  for (let i = low; i < sorted.length && sorted[i]!.startsWith(prefix); i += 1) found.push(sorted[i]!);
  return found;
}

/** Lists the corpus folder without reading any article: one `stat` per file. */
export async function listCorpus(corpusDir: string): Promise<CorpusListing> {
  const stat = await fs.stat(corpusDir).catch(() => null);
  if (!stat?.isDirectory()) throw createError('CORPUS_NOT_FOUND', corpusDir);
  const files = await walk(corpusDir);
  const byFolder = new Map<string, ListedFile[]>();
  for (const file of files) {
    const folder = path.dirname(file.relative);
    const list = byFolder.get(folder);
    if (list) list.push(file);
    else byFolder.set(folder, [file]);
  }
  const owners = new Map<string, string>();
  for (const [folder, listed] of byFolder) {
    const names = new Map(listed.map((f) => [path.basename(f.relative), f.stat]));
    const sorted = [...names.keys()].sort();
    for (const file of listed) {
      if (!isArticleFile(file.relative) && !isExtractable(file.relative)) continue;
      const name = path.basename(file.relative);
      const sidecar = name.slice(0, name.length - path.extname(name).length) + SIDECAR_SUFFIX;
      const related = [name, ...(names.has(sidecar) ? [sidecar] : []), ...withPrefix(sorted, `${name}.`)].sort();
      owners.set(toPosix(path.join(folder, name)), fnv64(related.map((other) => signatureLine(other, names.get(other)!)).join('')));
    }
  }
  const digest = createHash('sha256');
  for (const owner of [...owners.keys()].sort()) digest.update(`${owner}\0${owners.get(owner)}\n`);
  return { stamp: stampOf(files), owners, signatures: digest.digest('hex') };
}

/** The signature of one owner now (after reading it, which may have written its extracted text). */
export async function ownerSignature(corpusDir: string, owner: string): Promise<string | null> {
  const folder = path.dirname(path.join(corpusDir, owner));
  const name = path.basename(owner);
  const sidecar = name.slice(0, name.length - path.extname(name).length) + SIDECAR_SUFFIX;
  const names = (await fs.readdir(folder).catch(() => [] as string[]))
    .filter((other) => !other.startsWith('.') && (other === name || other === sidecar || other.startsWith(`${name}.`)))
    .sort();
  if (!names.includes(name)) return null;
  let lines = '';
  for (const other of names) {
    const stat = await fs.stat(path.join(folder, other)).catch(() => null);
    if (stat?.isFile()) lines += signatureLine(other, stat);
  }
  return fnv64(lines);
}
