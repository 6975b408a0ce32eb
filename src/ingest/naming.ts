/** Names for files in the corpus folder: stable for a URL, and never taking another file's name. */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXTENSIONS, type Format } from './format.js';

/** Letters, digits and dashes: a name's readable words. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s_-]/gu, ' ')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

/** A stable file name for a URL: readable words from its path, and a digest so that the same URL is the same file. */
export function fileNameForUrl(url: string, format: Format): string {
  const parsed = new URL(url);
  const last = parsed.pathname.split('/').filter(Boolean).pop() ?? '';
  const words = slug(last.replace(/\.[a-z0-9]{1,5}$/i, '')) || slug(parsed.hostname);
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 8);
  return `${words || 'article'}-${digest}${EXTENSIONS[format]}`;
}

/** `name` in the corpus folder, or `name-2`, `name-3`, … when another file already has it. */
export async function freeName(corpusDir: string, name: string, bytes: Uint8Array): Promise<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${stem}-${n}${ext}`;
    const existing = await fs.readFile(path.join(corpusDir, candidate)).catch(() => null);
    if (!existing || existing.equals(Buffer.from(bytes))) return candidate;
  }
}

/** Whether `file` lies inside `dir` (and is not `dir` itself). */
export function insideDir(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
