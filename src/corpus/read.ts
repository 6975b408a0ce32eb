import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.js';
import { readExtracted } from './extract.js';
import { decodeUtf8, isArticleFile, isExtractable, MAX_ARTICLE_BYTES, toPosix } from './layout.js';
import { readSidecar } from './metadata.js';
import type { RawDocument, SkippedFile } from './types.js';

const TOO_LARGE = `larger than ${MAX_ARTICLE_BYTES / 1024 / 1024} MiB`;

export interface CorpusReadResult {
  documents: RawDocument[];
  skipped: SkippedFile[];
  /** Problems that did not stop a file from being read (a broken sidecar). */
  warnings: string[];
}

type ReadOutcome = { document: RawDocument; warning?: string } | { skipped: SkippedFile };

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(full)));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

/** Why a file cannot be an article, or null when it can. */
function rejectReason(bytes: Buffer, text: string | null): string | null {
  if (bytes.includes(0)) return 'binary content (NUL bytes)';
  if (text === null) return 'not valid UTF-8';
  if (text.trim() === '') return 'empty';
  return null;
}

export async function readDocument(corpusDir: string, file: string): Promise<ReadOutcome> {
  const relative = toPosix(path.relative(corpusDir, file));
  const stat = await fs.stat(file);
  if (stat.size > MAX_ARTICLE_BYTES) return { skipped: { path: relative, reason: TOO_LARGE } };
  const bytes = await fs.readFile(file);
  const text = decodeUtf8(bytes);
  const reason = rejectReason(bytes, text);
  if (reason !== null || text === null) return { skipped: { path: relative, reason: reason ?? 'unreadable' } };
  const sidecar = await readSidecar(file);
  const document: RawDocument = {
    id: relative.slice(0, relative.length - path.extname(relative).length),
    path: relative,
    text,
    hash: createHash('sha256').update(bytes).digest('hex'),
    sidecar: sidecar.meta,
  };
  return sidecar.warning ? { document, warning: sidecar.warning } : { document };
}

/**
 * Reads one article or original (a path relative to the corpus folder): the documents it holds
 * (a dump holds several), or why it was skipped.
 */
export async function readOwner(corpusDir: string, relative: string): Promise<CorpusReadResult> {
  const file = path.join(corpusDir, relative);
  const result: CorpusReadResult = { documents: [], skipped: [], warnings: [] };
  if (isExtractable(file)) {
    // HTML, PDF and JSON dumps are read through their extracted text (see extract.ts).
    const extracted = await readExtracted(corpusDir, file);
    result.skipped.push(...extracted.skipped);
    result.warnings.push(...extracted.warnings);
    for (const { document, warning } of extracted.documents) {
      result.documents.push(document);
      if (warning) result.warnings.push(warning);
    }
    return result;
  }
  const outcome = await readDocument(corpusDir, file);
  if ('skipped' in outcome) result.skipped.push(outcome.skipped);
  else {
    result.documents.push(outcome.document);
    if (outcome.warning) result.warnings.push(outcome.warning);
  }
  return result;
}

/** Reads every article in the corpus folder; unreadable files are reported, never fatal. */
export async function readCorpus(corpusDir: string): Promise<CorpusReadResult> {
  const stat = await fs.stat(corpusDir).catch(() => null);
  if (!stat?.isDirectory()) throw createError('CORPUS_NOT_FOUND', corpusDir);
  const files = (await listFiles(corpusDir)).filter((file) => isArticleFile(file) || isExtractable(file)).sort();
  const result: CorpusReadResult = { documents: [], skipped: [], warnings: [] };
  for (const file of files) {
    const read = await readOwner(corpusDir, path.relative(corpusDir, file));
    result.documents.push(...read.documents);
    result.skipped.push(...read.skipped);
    result.warnings.push(...read.warnings);
  }
  // Ids are unique: x.txt and x.html would both be "x", so the later one keeps its extension.
  const seen = new Set<string>();
  for (const document of result.documents) {
    if (seen.has(document.id)) document.id = document.original ?? document.path;
    seen.add(document.id);
  }
  return result;
}
