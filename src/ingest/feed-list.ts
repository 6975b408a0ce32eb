/** The feeds to follow: adding one (after reading it once, so that a bad address is refused), listing, removing. */
import { createError } from '../errors.js';
import { FeedList, parseFeed, type FeedEntry, type ParsedFeed } from './feeds.js';
import { safeFetch, type FetchPolicy } from './fetch.js';

/** Content types a feed may be served as. */
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/xml', 'text/xml', 'text/plain', 'application/octet-stream', '']);
const FEED_ACCEPT = 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9';

/** Fetches and reads a feed within the fetch limits. */
export async function fetchFeed(policy: FetchPolicy, url: string): Promise<ParsedFeed> {
  const fetched = await safeFetch(url, policy, (type) => FEED_TYPES.has(type), FEED_ACCEPT);
  return parseFeed(fetched.bytes.toString('utf8'), fetched.url);
}

/** Adds a feed to the list (once: a feed already there is returned as it is). */
export async function addFeed(list: FeedList, policy: FetchPolicy, url: string): Promise<FeedEntry> {
  const feed = await fetchFeed(policy, url);
  return list.update((feeds) => {
    const existing = feeds.find((f) => f.url === url);
    if (existing) return { entries: feeds, result: existing };
    const entry: FeedEntry = { url, title: feed.title, addedAt: new Date().toISOString(), lastPolledAt: null, seen: [] };
    return { entries: [...feeds, entry], result: entry };
  });
}

export function removeFeed(list: FeedList, url: string): Promise<void> {
  return list.update((feeds) => {
    if (!feeds.some((f) => f.url === url)) throw createError('FEED_NOT_FOUND', url);
    return { entries: feeds.filter((f) => f.url !== url), result: undefined };
  });
}
