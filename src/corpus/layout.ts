/**
 * How a corpus folder is laid out, written once: which files are articles, which are originals
 * read through an extracted text beside them, which are sidecars, how large each may be, and how
 * bytes become text. A leaf: every other corpus module builds on it.
 */
import path from 'node:path';

/** Plain-text articles, read as they are. */
export const ARTICLE_EXTENSIONS = ['.txt', '.md'];
/** Originals read through their extracted text (`x.html` -> `x.html.txt`). */
export const EXTRACTED_FORMATS = ['.html', '.htm', '.pdf', '.json', '.jsonl'];
export const SIDECAR_SUFFIX = '.meta.json';
const EXTRACTED_TEXT = /\.(?:html?|pdf|jsonl?)(?:\.\d+)?\.txt$/i;

/** Larger text files are almost certainly not single articles (a dump or a binary by mistake). */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;
/** Originals larger than this are skipped (the extracted text of each article is held to the article limit). */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

export type SourceFormat = 'text' | 'html' | 'pdf' | 'json' | 'jsonl';

const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.json': 'json',
  '.jsonl': 'jsonl',
};

export function formatOf(file: string): SourceFormat {
  return FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()] ?? 'text';
}

/** True for a text file verbatim extracted from an original beside it: never an article on its own. */
export function isExtractedText(file: string): boolean {
  return EXTRACTED_TEXT.test(file);
}

export function isExtractable(file: string): boolean {
  return !file.endsWith(SIDECAR_SUFFIX) && EXTRACTED_FORMATS.includes(path.extname(file).toLowerCase());
}

export function isArticleFile(file: string): boolean {
  if (file.endsWith(SIDECAR_SUFFIX) || isExtractedText(file)) return false;
  return ARTICLE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** The extracted text file of an original (a dump's `number`th article for dumps). */
export function extractedTextFile(original: string, number?: number): string {
  return number === undefined ? `${original}.txt` : `${original}.${number}.txt`;
}

/** The sidecar beside a file: `x.meta.json` for `x.html` or `x.txt`. */
export function sidecarFile(file: string): string {
  return file.slice(0, file.length - path.extname(file).length) + SIDECAR_SUFFIX;
}

/** A path relative to the corpus folder, with forward slashes on every platform. */
export function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Decodes strictly: null when the bytes are not valid UTF-8. A BOM is kept so offsets match the file. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
