/** Adding an article from a URL, a local file or an upload: stored in the corpus folder, then indexed. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Searcher } from '../answer/searcher.js';
import { MAX_SOURCE_BYTES } from '../corpus/layout.js';
import { createError } from '../errors.js';
import { safeFetch } from './fetch.js';
import { ARTICLE_TYPES, EXTENSIONS, formatFor } from './format.js';
import { freeName, insideDir, slug } from './naming.js';
import { storeArticle, storeUrl } from './store.js';
import type { AddedDocument, AddResult, IngestOptions } from './types.js';

/** Fetches an article (HTML page, PDF, text, JSON dump) and adds it. */
export async function addUrl(options: IngestOptions, url: string): Promise<AddResult> {
  return indexed(options, await storeUrl(options.corpusDir, options.fetch, url));
}

/** Adds a local file: copied into the corpus folder unless it is already there. */
export async function addFile(options: IngestOptions, file: string): Promise<AddResult> {
  const full = path.resolve(file);
  const stat = await fs.stat(full).catch(() => null);
  if (!stat?.isFile()) throw createError('EXTRACT_FAILED', file, 'no such file');
  if (stat.size > MAX_SOURCE_BYTES) throw createError('EXTRACT_FAILED', file, `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`);
  const bytes = await fs.readFile(full);
  const corpus = path.resolve(options.corpusDir);
  const format = formatFor(bytes, '', full);
  const stored = insideDir(corpus, full)
    ? await storeArticle(options.corpusDir, bytes, path.relative(corpus, full), null, format, true)
    : await storeArticle(options.corpusDir, bytes, await freeName(options.corpusDir, path.basename(full), bytes), null, format);
  return indexed(options, stored);
}

/** Adds an uploaded file (a Discord attachment): fetched from its URL within the limits. */
export async function addUpload(options: IngestOptions, name: string, url: string, size?: number): Promise<AddResult> {
  if (size !== undefined && size > options.fetch.maxBytes) throw createError('FETCH_TOO_LARGE', name, options.fetch.maxBytes);
  const fetched = await safeFetch(url, options.fetch, (type) => ARTICLE_TYPES.has(type) || type.startsWith('text/'));
  const format = formatFor(fetched.bytes, fetched.contentType, name);
  const safeName = slug(path.basename(name, path.extname(name))) || 'upload';
  const relative = await freeName(options.corpusDir, `${safeName}${EXTENSIONS[format]}`, fetched.bytes);
  return indexed(options, await storeArticle(options.corpusDir, fetched.bytes, relative, null, format));
}

/** Indexes the corpus and returns the documents the stored file became. */
async function indexed(options: IngestOptions, relative: string): Promise<AddResult> {
  const searcher = await options.refresh();
  return { file: relative, documents: documentsOf(searcher, [relative.split(path.sep).join('/')]) };
}

/** The indexed documents stored as (or extracted from) the given corpus files. */
export function documentsOf(searcher: Searcher, files: readonly string[]): AddedDocument[] {
  const wanted = new Set(files);
  return searcher
    .sources((s) => wanted.has(s.original ?? s.path) || wanted.has(s.path), false)
    .map(({ sameStoryAs: _s, likelyOriginal: _l, sentences: _n, ...source }) => source);
}
