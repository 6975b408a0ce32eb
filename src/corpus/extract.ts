/**
 * Originals that are not plain text (HTML, PDF, JSON/JSONL dumps) are read through their extracted
 * text, stored beside them so that every quote stays an exact slice of a file:
 *
 *   x.html  -> x.html.txt          x.pdf -> x.pdf.txt          x.jsonl -> x.jsonl.1.txt, x.jsonl.2.txt, …
 *
 * The rule: the original is the document. Its extracted text file is what is indexed and quoted
 * (`path`), the original is named in `original`, and an extracted text file is never read as an
 * article of its own. Metadata the extraction finds goes into the sidecar (`x.meta.json` for
 * `x.html`, `x.jsonl.1.meta.json` for a dump's first article): written when missing, and missing
 * fields filled in, never overwriting what is there. Text is extracted again when the original is
 * newer than its text file.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseDump } from './formats/dump.js';
import { extractHtml, type Extracted } from './formats/html.js';
import { extractPdf } from './formats/pdf.js';
import { readSidecar } from './metadata.js';
import type { RawDocument, SkippedFile, SourceMeta } from './types.js';
import { writeFileAtomic } from '../files.js';
import { decodeUtf8, extractedTextFile, formatOf, MAX_SOURCE_BYTES, sidecarFile, toPosix, type SourceFormat } from './layout.js';

export interface ExtractedArticle extends Extracted {
  /** Set for a dump's articles: the 1-based position in the dump. */
  number?: number;
}

export interface Extraction {
  articles: ExtractedArticle[];
  /** Parts that could not be read (a dump's bad lines). */
  problems: string[];
}

/** Extracts the articles of an original's bytes; throws when the bytes are not that format at all. */
export async function extractBytes(format: Exclude<SourceFormat, 'text'>, bytes: Uint8Array, baseUrl?: string): Promise<Extraction> {
  if (format === 'pdf') {
    const pdf = await extractPdf(bytes);
    return pdf ? { articles: [pdf], problems: [] } : { articles: [], problems: ['no text in the PDF (a scan without a text layer?)'] };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  if (format === 'html') {
    const html = extractHtml(text, baseUrl);
    return html ? { articles: [html], problems: [] } : { articles: [], problems: ['no article text found in the page'] };
  }
  return parseDump(text, format === 'jsonl');
}

type Json = Record<string, unknown>;

/** Adds the fields a sidecar lacks; the fields it has are the operator's and stay. Returns whether it wrote. */
export async function fillSidecar(file: string, meta: Partial<SourceMeta>): Promise<boolean> {
  let existing: Json = {};
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
    existing = parsed as Json;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false; // a broken sidecar is reported by the reader, not replaced
  }
  const missing = Object.entries(meta).filter(([key, value]) => value && (existing[key] === undefined || existing[key] === null));
  if (missing.length === 0 && Object.keys(existing).length > 0) return false;
  await writeFileAtomic(file, `${JSON.stringify({ ...existing, ...Object.fromEntries(missing) }, null, 2)}\n`);
  return true;
}

/** Writes an extraction's text files (when changed) and sidecars; returns the text files, relative to the corpus. */
export async function storeExtraction(corpusDir: string, original: string, extraction: Extraction): Promise<string[]> {
  const files: string[] = [];
  const full = path.join(corpusDir, original);
  for (const article of extraction.articles) {
    const textFile = extractedTextFile(full, article.number);
    const current = await fs.readFile(textFile, 'utf8').catch(() => null);
    if (current !== article.text) await writeFileAtomic(textFile, article.text);
    else await fs.utimes(textFile, new Date(), new Date()).catch(() => undefined);
    await fillSidecar(article.number === undefined ? sidecarFile(full) : sidecarFile(textFile), article.meta);
    files.push(path.relative(corpusDir, textFile));
  }
  if (formatOf(original) === 'json' || formatOf(original) === 'jsonl') await removeStaleDumpFiles(full, new Set(extraction.articles.map((a) => a.number)));
  return files;
}

/** A dump that changed leaves text files of articles it no longer has: they are verbatim's, so they go. */
async function removeStaleDumpFiles(dump: string, numbers: ReadonlySet<number | undefined>): Promise<void> {
  const base = path.basename(dump);
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.(?:txt|meta\\.json)$`);
  for (const name of await fs.readdir(path.dirname(dump)).catch(() => [] as string[])) {
    const m = pattern.exec(name);
    if (m && !numbers.has(Number(m[1]))) await fs.rm(path.join(path.dirname(dump), name), { force: true });
  }
}

/** Every file verbatim derived from an original: its text files and the sidecars it wrote for them. */
export async function derivedFiles(corpusDir: string, original: string): Promise<string[]> {
  const full = path.join(corpusDir, original);
  const dir = path.dirname(full);
  const base = path.basename(full);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}(?:\\.\\d+)?\\.(?:txt|meta\\.json)$`);
  return names.filter((name) => pattern.test(name)).map((name) => path.relative(corpusDir, path.join(dir, name)));
}

export interface ExtractedRead {
  documents: { document: RawDocument; warning?: string }[];
  skipped: SkippedFile[];
  warnings: string[];
}

async function isFresh(original: string, textFile: string): Promise<boolean> {
  const [a, b] = await Promise.all([fs.stat(original), fs.stat(textFile).catch(() => null)]);
  const sidecar = await fs.stat(sidecarFile(original)).catch(() => null);
  return b !== null && b.size > 0 && b.mtimeMs >= a.mtimeMs && sidecar !== null;
}

/** Originals that could not be extracted, by path, size and time: not tried again until they change. */
const failed = new Map<string, { key: string; reason: string }>();

/** Reads an original through its extracted text (extracting it first when needed). */
export async function readExtracted(corpusDir: string, file: string): Promise<ExtractedRead> {
  const relative = toPosix(path.relative(corpusDir, file));
  const format = formatOf(file);
  const result: ExtractedRead = { documents: [], skipped: [], warnings: [] };
  if (format === 'text') return result;
  const stat = await fs.stat(file);
  if (stat.size > MAX_SOURCE_BYTES) {
    result.skipped.push({ path: relative, reason: `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB` });
    return result;
  }
  let textFiles: string[];
  const single = format === 'html' || format === 'pdf';
  if (single && (await isFresh(file, extractedTextFile(file)))) {
    textFiles = [path.relative(corpusDir, extractedTextFile(file))];
  } else {
    const key = `${stat.size}:${stat.mtimeMs}`;
    const known = failed.get(file);
    if (known?.key === key) {
      result.skipped.push({ path: relative, reason: known.reason });
      return result;
    }
    let extraction: Extraction;
    try {
      extraction = await extractBytes(format, await fs.readFile(file));
    } catch (error) {
      const reason = `could not be read as ${format.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`;
      failed.set(file, { key, reason });
      result.skipped.push({ path: relative, reason });
      return result;
    }
    if (extraction.articles.length === 0) {
      const reason = extraction.problems[0] ?? 'no articles';
      failed.set(file, { key, reason });
      result.skipped.push({ path: relative, reason });
      return result;
    }
    failed.delete(file);
    result.warnings.push(...extraction.problems.map((problem) => `${relative}: ${problem}, skipped`));
    textFiles = await storeExtraction(corpusDir, relative, extraction);
  }
  const stem = relative.slice(0, relative.length - path.extname(relative).length);
  for (const textFile of textFiles) {
    const textPath = toPosix(textFile);
    const bytes = await fs.readFile(path.join(corpusDir, textFile));
    const text = decodeUtf8(bytes);
    if (text === null) {
      result.skipped.push({ path: textPath, reason: 'not valid UTF-8' });
      continue;
    }
    if (!text.trim()) {
      result.skipped.push({ path: textPath, reason: 'empty' });
      continue;
    }
    const number = /\.(\d+)\.txt$/.exec(textPath)?.[1];
    const sidecar = await readSidecar(single ? file : path.join(corpusDir, textFile));
    const document: RawDocument = {
      id: number && !single ? `${stem}#${number}` : stem,
      path: textPath,
      original: relative,
      text,
      hash: createHash('sha256').update(bytes).digest('hex'),
      sidecar: sidecar.meta,
    };
    result.documents.push(sidecar.warning ? { document, warning: sidecar.warning } : { document });
  }
  return result;
}
