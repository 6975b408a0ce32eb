/**
 * Storing an article in the corpus folder: the bytes are checked to hold one, then the original,
 * its extracted text and its metadata sidecar are written.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { extractBytes, fillSidecar, storeExtraction } from '../corpus/extract.js';
import { decodeUtf8, MAX_ARTICLE_BYTES, sidecarFile } from '../corpus/layout.js';
import { asVerbatimError, createError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { parseHttpUrl, safeFetch, type FetchPolicy } from './fetch.js';
import { ARTICLE_TYPES, formatFor, type Format } from './format.js';
import { fileNameForUrl } from './naming.js';

/** What an article fetch asks the server for. */
const ARTICLE_ACCEPT = 'text/html,application/xhtml+xml,application/pdf,text/plain;q=0.8,*/*;q=0.5';

/**
 * Checks that the bytes hold an article, then writes the original (unless `inPlace`: it is already
 * in the corpus folder), its extracted text and its sidecar. Returns `relative`.
 */
export async function storeArticle(corpusDir: string, bytes: Uint8Array, relative: string, url: string | null, format: Format, inPlace = false): Promise<string> {
  const full = path.join(corpusDir, relative);
  if (format === 'text' || format === 'markdown') {
    if (bytes.byteLength > MAX_ARTICLE_BYTES) throw createError('EXTRACT_FAILED', relative, `larger than ${MAX_ARTICLE_BYTES / 1024 / 1024} MiB`);
    const text = decodeUtf8(bytes);
    if (text === null) throw createError('EXTRACT_FAILED', relative, 'not valid UTF-8 text');
    if (!text.trim()) throw createError('EXTRACT_FAILED', relative, 'it is empty');
    await fs.mkdir(path.dirname(full), { recursive: true });
    if (!inPlace) await writeFileAtomic(full, bytes);
    if (url) await fillSidecar(sidecarFile(full), { url });
    return relative;
  }
  let extraction;
  try {
    extraction = await extractBytes(format, bytes, url ?? undefined);
  } catch (error) {
    throw createError('EXTRACT_FAILED', relative, `not a readable ${format.toUpperCase()} (${asVerbatimError(error).cause ?? (error instanceof Error ? error.message : String(error))})`);
  }
  if (extraction.articles.length === 0) throw createError('EXTRACT_FAILED', relative, extraction.problems[0] ?? 'no articles');
  await fs.mkdir(path.dirname(full), { recursive: true });
  if (!inPlace) await writeFileAtomic(full, bytes);
  await storeExtraction(corpusDir, relative, extraction);
  if (url && extraction.articles.length === 1 && extraction.articles[0]!.number === undefined) await fillSidecar(sidecarFile(full), { url });
  return relative;
}

/** Fetches an article (HTML page, PDF, text, JSON dump) and stores it under a name made from its address. */
export async function storeUrl(corpusDir: string, policy: FetchPolicy, url: string): Promise<string> {
  parseHttpUrl(url);
  const fetched = await safeFetch(url, policy, (type) => ARTICLE_TYPES.has(type), ARTICLE_ACCEPT);
  const format = formatFor(fetched.bytes, fetched.contentType, new URL(fetched.url).pathname);
  return storeArticle(corpusDir, fetched.bytes, fileNameForUrl(fetched.url, format), fetched.url, format);
}
