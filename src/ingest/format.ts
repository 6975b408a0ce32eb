/** What a file or a fetched body is: sniffed from its first bytes, its content type and its name. */
import path from 'node:path';
import type { SourceFormat } from '../corpus/layout.js';
import { createError } from '../errors.js';

export type Format = SourceFormat | 'markdown';

/** The extension a stored file of each format gets. */
export const EXTENSIONS: Record<Format, string> = { text: '.txt', markdown: '.md', html: '.html', pdf: '.pdf', json: '.json', jsonl: '.jsonl' };

/** Content types an article may be served as. */
export const ARTICLE_TYPES = new Set([
  'text/html', 'application/xhtml+xml', 'application/pdf', 'text/plain', 'text/markdown', 'text/x-markdown',
  'application/json', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/octet-stream', '',
]);

/** What the bytes are, from their start, the content type and the name. */
export function classify(bytes: Uint8Array, contentType: string, name: string): Format | null {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  if (head.startsWith('%PDF-')) return 'pdf';
  const ext = path.extname(name).toLowerCase();
  if (contentType === 'text/html' || contentType === 'application/xhtml+xml') return 'html';
  if (contentType === 'application/json') return ext === '.jsonl' ? 'jsonl' : 'json';
  if (['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'].includes(contentType)) return 'jsonl';
  if (contentType === 'text/markdown' || contentType === 'text/x-markdown') return 'markdown';
  const byExt: Record<string, Format> = { '.html': 'html', '.htm': 'html', '.pdf': 'pdf', '.json': 'json', '.jsonl': 'jsonl', '.md': 'markdown', '.txt': 'text' };
  if (byExt[ext]) return byExt[ext]!;
  if (contentType === 'text/plain') return /^\s*<(?:!doctype html|html)\b/i.test(head) ? 'html' : 'text';
  if (/^\s*<(?:!doctype html|html)\b/i.test(head)) return 'html';
  return null;
}

/** The format of the bytes, or FILE_UNSUPPORTED. */
export function formatFor(bytes: Uint8Array, contentType: string, name: string): Format {
  const format = classify(bytes, contentType, name);
  if (!format) throw createError('FILE_UNSUPPORTED', path.basename(name) || name);
  return format;
}
