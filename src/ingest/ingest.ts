/**
 * Bringing coverage in: an article from a URL, a local file or an upload is stored in the corpus
 * folder (the original, its extracted text and its metadata sidecar) and indexed; feeds are polled
 * for new items; a document can be forgotten (its files removed, the index updated). Each job is
 * its own file (format.ts, naming.ts, store.ts, add.ts, feed-list.ts, poll.ts, forget.ts); the
 * Ingestor holds the settings they share.
 */
import type { Searcher } from '../answer/searcher.js';
import type { QuoteSource } from '../answer/types.js';
import { addFile, addUpload, addUrl } from './add.js';
import { addFeed, removeFeed } from './feed-list.js';
import { FeedList, type FeedEntry } from './feeds.js';
import { forgetDocument } from './forget.js';
import { pollFeeds, type PollReport } from './poll.js';
import type { AddResult, IngestOptions } from './types.js';

export class Ingestor {
  readonly feeds: FeedList;

  constructor(readonly options: IngestOptions) {
    this.feeds = FeedList.in(options.storeDir, options.collection);
  }

  /** Fetches an article (HTML page, PDF, text, JSON dump) and adds it. */
  addUrl(url: string): Promise<AddResult> {
    return addUrl(this.options, url);
  }

  /** Adds a local file: copied into the corpus folder unless it is already there. */
  addFile(file: string): Promise<AddResult> {
    return addFile(this.options, file);
  }

  /** Adds an uploaded file (a Discord attachment): fetched from its URL within the limits. */
  addUpload(name: string, url: string, size?: number): Promise<AddResult> {
    return addUpload(this.options, name, url, size);
  }

  /** Removes a document's files (for a dump's article: the whole dump) and updates the index. */
  forget(searcher: Searcher, idOrPath: string): Promise<{ removed: QuoteSource[]; files: string[] }> {
    return forgetDocument(this.options, searcher, idOrPath);
  }

  addFeed(url: string): Promise<FeedEntry> {
    return addFeed(this.feeds, this.options.fetch, url);
  }

  listFeeds(): Promise<FeedEntry[]> {
    return this.feeds.load();
  }

  removeFeed(url: string): Promise<void> {
    return removeFeed(this.feeds, url);
  }

  /** Fetches every feed, adds the items not seen before, and indexes once at the end. */
  pollFeeds(): Promise<PollReport> {
    return pollFeeds(this.options, this.feeds);
  }
}
