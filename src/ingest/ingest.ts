/**
 * Bringing coverage in: an article from a URL, a local file or an upload is stored in the corpus
 * folder (the original, its extracted text and its metadata sidecar) and indexed; feeds are polled
 * for new items; a document can be forgotten (its files removed, the index updated).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { derivedFiles, extractBytes, fillSidecar, storeExtraction } from '../corpus/extract.js';
import { decodeUtf8, MAX_ARTICLE_BYTES, MAX_SOURCE_BYTES, sidecarFile, type SourceFormat } from '../corpus/layout.js';
import { writeFileAtomic } from '../files.js';
import { createError, asVerbatimError } from '../errors.js';
import type { Searcher } from '../answer/searcher.js';
import type { QuoteSource } from '../answer/types.js';
import { FeedList, parseFeed, type FeedEntry, type FeedItem } from './feeds.js';
import { parseHttpUrl, safeFetch, type FetchPolicy } from './fetch.js';

export interface IngestOptions {
  corpusDir: string;
  storeDir: string;
  fetch: FetchPolicy;
  /** Brings the index up to date with the corpus folder and returns the Searcher over it. */
  refresh: () => Promise<Searcher>;
}

/** A document now in the index. */
export interface AddedDocument extends QuoteSource {
  passages: number;
}

export interface AddResult {
  /** The file stored in the corpus folder (relative to it). */
  file: string;
  documents: AddedDocument[];
}

type Format = SourceFormat | 'markdown';

const ARTICLE_TYPES = new Set([
  'text/html', 'application/xhtml+xml', 'application/pdf', 'text/plain', 'text/markdown', 'text/x-markdown',
  'application/json', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/octet-stream', '',
]);
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/xml', 'text/xml', 'text/plain', 'application/octet-stream', '']);
const EXTENSIONS: Record<Format, string> = { text: '.txt', markdown: '.md', html: '.html', pdf: '.pdf', json: '.json', jsonl: '.jsonl' };
/** New items taken from one feed in one poll. */
export const FEED_ITEMS_PER_POLL = 20;

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

function slug(text: string): string {
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

const insideDir = (dir: string, file: string) => {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

export class Ingestor {
  readonly feeds: FeedList;

  constructor(readonly options: IngestOptions) {
    this.feeds = FeedList.in(options.storeDir);
  }

  /** Fetches an article (HTML page, PDF, text, JSON dump) and adds it. */
  async addUrl(url: string): Promise<AddResult> {
    const stored = await this.storeUrl(url);
    return this.indexed(stored);
  }

  /** Adds a local file: copied into the corpus folder unless it is already there. */
  async addFile(file: string): Promise<AddResult> {
    const full = path.resolve(file);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat?.isFile()) throw createError('EXTRACT_FAILED', file, 'no such file');
    if (stat.size > MAX_SOURCE_BYTES) throw createError('EXTRACT_FAILED', file, `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`);
    const bytes = await fs.readFile(full);
    const corpus = path.resolve(this.options.corpusDir);
    const stored = insideDir(corpus, full)
      ? await this.store(bytes, path.relative(corpus, full), null, formatFor(bytes, '', full), true)
      : await this.store(bytes, await this.freeName(path.basename(full), bytes), null, formatFor(bytes, '', full));
    return this.indexed(stored);
  }

  /** Adds an uploaded file (a Discord attachment): fetched from its URL within the limits. */
  async addUpload(name: string, url: string, size?: number): Promise<AddResult> {
    if (size !== undefined && size > this.options.fetch.maxBytes) throw createError('FETCH_TOO_LARGE', name, this.options.fetch.maxBytes);
    const fetched = await safeFetch(url, this.options.fetch, (type) => ARTICLE_TYPES.has(type) || type.startsWith('text/'));
    const format = formatFor(fetched.bytes, fetched.contentType, name);
    const safeName = slug(path.basename(name, path.extname(name))) || 'upload';
    return this.indexed(await this.store(fetched.bytes, await this.freeName(`${safeName}${EXTENSIONS[format]}`, fetched.bytes), null, format));
  }

  /** Removes a document's files (for a dump's article: the whole dump) and updates the index. */
  async forget(searcher: Searcher, idOrPath: string): Promise<{ removed: QuoteSource[]; files: string[] }> {
    const { source } = searcher.document(idOrPath);
    const owner = source.original ?? source.path;
    const files = new Set([owner]);
    if (source.original) for (const derived of await derivedFiles(this.options.corpusDir, source.original)) files.add(derived);
    files.add(path.relative(this.options.corpusDir, sidecarFile(path.join(this.options.corpusDir, owner))));
    const removed = searcher.sources().filter((s) => (s.original ?? s.path) === owner);
    for (const file of files) await fs.rm(path.join(this.options.corpusDir, file), { force: true });
    await this.options.refresh();
    return { removed, files: [...files] };
  }

  private async storeUrl(url: string): Promise<string> {
    parseHttpUrl(url);
    const fetched = await safeFetch(url, this.options.fetch, (type) => ARTICLE_TYPES.has(type), 'text/html,application/xhtml+xml,application/pdf,text/plain;q=0.8,*/*;q=0.5');
    const format = formatFor(fetched.bytes, fetched.contentType, new URL(fetched.url).pathname);
    return this.store(fetched.bytes, fileNameForUrl(fetched.url, format), fetched.url, format);
  }

  /** Checks that the bytes hold an article, then writes the original, its extracted text and its sidecar. */
  private async store(bytes: Uint8Array, relative: string, url: string | null, format: Format, inPlace = false): Promise<string> {
    const full = path.join(this.options.corpusDir, relative);
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
    await storeExtraction(this.options.corpusDir, relative, extraction);
    if (url && extraction.articles.length === 1 && extraction.articles[0]!.number === undefined) await fillSidecar(sidecarFile(full), { url });
    return relative;
  }

  /** `name` in the corpus folder, or `name-2`, `name-3`, … when another file already has it. */
  private async freeName(name: string, bytes: Uint8Array): Promise<string> {
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : `${stem}-${n}${ext}`;
      const existing = await fs.readFile(path.join(this.options.corpusDir, candidate)).catch(() => null);
      if (!existing || existing.equals(Buffer.from(bytes))) return candidate;
    }
  }

  /** Indexes the corpus and returns the documents the stored file became. */
  private async indexed(relative: string): Promise<AddResult> {
    const searcher = await this.options.refresh();
    return { file: relative, documents: documentsOf(searcher, [relative.split(path.sep).join('/')]) };
  }

  // ---- feeds ----

  async addFeed(url: string): Promise<FeedEntry> {
    const feed = await this.fetchFeed(url);
    const feeds = await this.feeds.load();
    const existing = feeds.find((f) => f.url === url);
    if (existing) return existing;
    const entry: FeedEntry = { url, title: feed.title, addedAt: new Date().toISOString(), lastPolledAt: null, seen: [] };
    await this.feeds.save([...feeds, entry]);
    return entry;
  }

  async listFeeds(): Promise<FeedEntry[]> {
    return this.feeds.load();
  }

  async removeFeed(url: string): Promise<void> {
    const feeds = await this.feeds.load();
    if (!feeds.some((f) => f.url === url)) throw createError('FEED_NOT_FOUND', url);
    await this.feeds.save(feeds.filter((f) => f.url !== url));
  }

  private async fetchFeed(url: string) {
    const fetched = await safeFetch(url, this.options.fetch, (type) => FEED_TYPES.has(type), 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9');
    return parseFeed(fetched.bytes.toString('utf8'), fetched.url);
  }

  /** Fetches every feed, adds the items not seen before, and indexes once at the end. */
  async pollFeeds(): Promise<PollReport> {
    const feeds = await this.feeds.load();
    const report: PollReport = { feeds: [], documents: [] };
    const storedFiles: string[] = [];
    for (const feed of feeds) {
      const outcome: FeedPoll = { url: feed.url, title: feed.title, added: [], failed: [] };
      report.feeds.push(outcome);
      try {
        const parsed = await this.fetchFeed(feed.url);
        feed.title = parsed.title ?? feed.title;
        const seen = new Set(feed.seen);
        const fresh = parsed.items.filter((item) => !seen.has(item.id)).slice(0, FEED_ITEMS_PER_POLL);
        for (const item of fresh) {
          try {
            const file = await this.storeItem(item);
            storedFiles.push(file);
            outcome.added.push({ id: item.id, title: item.title, link: item.link, file });
            feed.seen.push(item.id);
          } catch (error) {
            outcome.failed.push({ id: item.id, title: item.title, link: item.link, reason: asVerbatimError(error).message });
          }
        }
      } catch (error) {
        outcome.error = asVerbatimError(error).message;
      }
      feed.lastPolledAt = new Date().toISOString();
    }
    await this.feeds.save(feeds);
    if (storedFiles.length > 0) report.documents = documentsOf(await this.options.refresh(), storedFiles);
    return report;
  }

  /** An item's page; when that cannot be fetched, the content the feed itself carries. */
  private async storeItem(item: FeedItem): Promise<string> {
    try {
      if (!item.link) throw createError('EXTRACT_FAILED', item.id, 'the item has no link');
      return await this.storeUrl(item.link);
    } catch (error) {
      if (!item.content || item.content.length < 200) throw error;
      const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
      const html = [
        '<!doctype html><html><head>',
        item.title ? `<title>${escape(item.title)}</title><meta property="og:title" content="${escape(item.title)}">` : '',
        item.link ? `<link rel="canonical" href="${escape(item.link)}">` : '',
        item.published ? `<meta property="article:published_time" content="${escape(item.published)}">` : '',
        `</head><body><article>${item.title ? `<h1>${escape(item.title)}</h1>` : ''}${item.content}</article></body></html>`,
      ].join('');
      const name = fileNameForUrl(item.link ?? `https://feed.invalid/${encodeURIComponent(item.id)}`, 'html');
      return this.store(Buffer.from(html, 'utf8'), name, item.link, 'html');
    }
  }
}

function formatFor(bytes: Uint8Array, contentType: string, name: string): Format {
  const format = classify(bytes, contentType, name);
  if (!format) throw createError('FILE_UNSUPPORTED', path.basename(name) || name);
  return format;
}

export interface FeedPoll {
  url: string;
  title: string | null;
  added: { id: string; title: string | null; link: string | null; file: string }[];
  failed: { id: string; title: string | null; link: string | null; reason: string }[];
  /** Set when the feed itself could not be fetched or read. */
  error?: string;
}

export interface PollReport {
  feeds: FeedPoll[];
  /** The documents the new items became, once indexed. */
  documents: AddedDocument[];
}

/** The indexed documents stored as (or extracted from) the given corpus files. */
export function documentsOf(searcher: Searcher, files: readonly string[]): AddedDocument[] {
  const wanted = new Set(files);
  return searcher
    .sources((s) => wanted.has(s.original ?? s.path) || wanted.has(s.path), false)
    .map(({ sameStoryAs: _s, likelyOriginal: _l, sentences: _n, ...source }) => source);
}
