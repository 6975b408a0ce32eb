/** Polling the feeds: each feed's new items stored as articles, and the index updated once at the end. */
import path from 'node:path';
import { fillSidecar } from '../corpus/extract.js';
import { sidecarFile } from '../corpus/layout.js';
import { asVerbatimError, createError } from '../errors.js';
import { documentsOf } from './add.js';
import { fetchFeed } from './feed-list.js';
import type { FeedEntry, FeedItem, FeedList } from './feeds.js';
import { fileNameForUrl } from './naming.js';
import { storeArticle, storeUrl } from './store.js';
import type { AddedDocument, IngestOptions } from './types.js';

/** New items taken from one feed in one poll. */
export const FEED_ITEMS_PER_POLL = 20;
/** Characters of content a feed item must carry to be stored from the feed when its page cannot be fetched. */
const MIN_FEED_CONTENT_CHARS = 200;

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

/** Fetches every feed, adds the items not seen before, and indexes once at the end. */
export async function pollFeeds(options: IngestOptions, list: FeedList): Promise<PollReport> {
  const feeds = await list.load();
  const report: PollReport = { feeds: [], documents: [] };
  const storedFiles: string[] = [];
  for (const feed of feeds) {
    const outcome: FeedPoll = { url: feed.url, title: feed.title, added: [], failed: [] };
    report.feeds.push(outcome);
    try {
      const parsed = await fetchFeed(options.fetch, feed.url);
      feed.title = parsed.title ?? feed.title;
      const seen = new Set(feed.seen);
      const candidates = parsed.items.filter((item) => !seen.has(item.id)).slice(0, FEED_ITEMS_PER_POLL);
      // Claimed first, so that another process polling this feed at once does not add them too.
      const mine = new Set(candidates.length > 0 ? await list.claim(feed.url, candidates.map((item) => item.id)) : []);
      const failed: string[] = [];
      for (const item of candidates.filter((i) => mine.has(i.id))) {
        try {
          const file = await storeItem(options, item);
          storedFiles.push(file);
          outcome.added.push({ id: item.id, title: item.title, link: item.link, file });
        } catch (error) {
          outcome.failed.push({ id: item.id, title: item.title, link: item.link, reason: asVerbatimError(error).message });
          failed.push(item.id);
        }
      }
      if (failed.length > 0) await list.release(feed.url, failed);
    } catch (error) {
      outcome.error = asVerbatimError(error).message;
    }
    feed.lastPolledAt = new Date().toISOString();
  }
  await list.update((current) => ({ entries: current.map((feed) => withPoll(feed, feeds)), result: undefined }));
  if (storedFiles.length > 0) report.documents = documentsOf(await options.refresh(), storedFiles);
  return report;
}

/** A feed as the list holds it now, with the title and poll time a poll of `polled` found (feeds added or removed meanwhile stay so). */
function withPoll(feed: FeedEntry, polled: readonly FeedEntry[]): FeedEntry {
  const found = polled.find((p) => p.url === feed.url);
  return found ? { ...feed, title: found.title, lastPolledAt: found.lastPolledAt } : feed;
}

/** An item's page; when that cannot be fetched, the content the feed itself carries. */
async function storeItem(options: IngestOptions, item: FeedItem): Promise<string> {
  try {
    if (!item.link) throw createError('EXTRACT_FAILED', item.id, 'the item has no link');
    const file = await storeUrl(options.corpusDir, options.fetch, item.link);
    // The feed's date stands in for a page that states none (the page's own date, already in the sidecar, stays).
    if (item.published && !/\.jsonl?$/i.test(file)) await fillSidecar(sidecarFile(path.join(options.corpusDir, file)), { published: item.published });
    return file;
  } catch (error) {
    if (!item.content || item.content.length < MIN_FEED_CONTENT_CHARS) throw error;
    const name = fileNameForUrl(item.link ?? `https://feed.invalid/${encodeURIComponent(item.id)}`, 'html');
    return storeArticle(options.corpusDir, Buffer.from(itemPage(item), 'utf8'), name, item.link, 'html');
  }
}

/** A feed item's own content as an HTML page, with its title, link and date where the extractor looks for them. */
function itemPage(item: FeedItem): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return [
    '<!doctype html><html><head>',
    item.title ? `<title>${escape(item.title)}</title><meta property="og:title" content="${escape(item.title)}">` : '',
    item.link ? `<link rel="canonical" href="${escape(item.link)}">` : '',
    item.published ? `<meta property="article:published_time" content="${escape(item.published)}">` : '',
    `</head><body><article>${item.title ? `<h1>${escape(item.title)}</h1>` : ''}${item.content}</article></body></html>`,
  ].join('');
}
