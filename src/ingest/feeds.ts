/**
 * RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with fast-xml-parser, and the feed list: a JSON file
 * in the store folder (feeds.json), written whole or not at all, or a row of the database.
 */
import { XMLParser } from 'fast-xml-parser';
import { isoDate } from '../corpus/formats/html.js';
import * as z from 'zod';
import { DEFAULT_COLLECTION } from '../collections.js';
import { createError } from '../errors.js';
import { openState } from '../index/backend.js';
import type { StateDocument } from '../index/state.js';
import { ClaimedList } from './claimed-list.js';

export interface FeedItem {
  /** guid / id, else the link. */
  id: string;
  title: string | null;
  link: string | null;
  published: string | null;
  /** The item's HTML content or summary, when the feed carries it. */
  content: string | null;
}

export interface ParsedFeed {
  title: string | null;
  items: FeedItem[];
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['item', 'entry', 'link', 'category'].includes(name),
});

/** The text of an element that may carry attributes ({ '#text': … }) or be a plain string. */
function text(value: unknown): string | null {
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') return text((value as Node)['#text']);
  return null;
}

function atomLink(links: unknown): string | null {
  const list = (Array.isArray(links) ? links : [links]) as unknown[];
  const objects = list.filter((l): l is Node => Boolean(l) && typeof l === 'object');
  const alternate = objects.find((l) => !l['@_rel'] || l['@_rel'] === 'alternate') ?? objects[0];
  return (alternate?.['@_href'] as string | undefined) ?? text(list[0]);
}

function absolute(link: string | null, base: string): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function parseFeed(xml: string, feedUrl: string): ParsedFeed {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    throw createError('FEED_INVALID', feedUrl, error instanceof Error ? error.message.split('\n')[0]! : 'not XML');
  }
  const rss = doc['rss'] as Node | undefined;
  const rdf = doc['rdf:RDF'] as Node | undefined;
  const atom = doc['feed'] as Node | undefined;
  if (rss || rdf) {
    const channel = ((rss?.['channel'] ?? rdf?.['channel']) as Node | undefined) ?? {};
    const items = ((channel['item'] ?? rdf?.['item'] ?? []) as Node[]).map((item): FeedItem => {
      const link = absolute(text(item['link']) ?? (item['@_rdf:about'] as string | undefined) ?? null, feedUrl);
      return {
        id: text(item['guid']) ?? link ?? text(item['title']) ?? '',
        title: text(item['title']),
        link,
        published: isoDate(text(item['pubDate']) ?? text(item['dc:date'])),
        content: text(item['content:encoded']) ?? text(item['description']),
      };
    });
    return { title: text(channel['title']), items: items.filter((i) => i.id) };
  }
  if (atom) {
    const items = ((atom['entry'] ?? []) as Node[]).map((entry): FeedItem => {
      const link = absolute(atomLink(entry['link']), feedUrl);
      return {
        id: text(entry['id']) ?? link ?? '',
        title: text(entry['title']),
        link,
        published: isoDate(text(entry['published']) ?? text(entry['updated'])),
        content: text(entry['content']) ?? text(entry['summary']),
      };
    });
    return { title: text(atom['title']), items: items.filter((i) => i.id) };
  }
  throw createError('FEED_INVALID', feedUrl, 'no <rss>, <rdf:RDF> or <feed> element');
}

/** One followed feed in feeds.json; only `url` is needed when the file is written by hand. */
const feedEntrySchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'is not an http:// or https:// address' }),
  title: z.string().nullable().default(null),
  addedAt: z.string().default(() => new Date().toISOString()),
  lastPolledAt: z.string().nullable().default(null),
  /** Ids of items already added, newest last (capped). */
  seen: z.array(z.string()).default([]),
});

/** `<store>/feeds.json`: `{"feeds": [{"url", "title", "addedAt", "lastPolledAt", "seen"}]}`. */
export const feedsFileSchema = z.object({ feeds: z.array(feedEntrySchema).default([]) });

export type FeedEntry = z.output<typeof feedEntrySchema>;
type FeedsFile = z.output<typeof feedsFileSchema>;

const SEEN_CAP = 2000;

/**
 * The feed list of a collection: `<store>/feeds.json`, or its row in the database with
 * `DATABASE_URL` (src/index/backend.ts `openState`), so that every process follows the same feeds.
 */
export class FeedList extends ClaimedList<FeedEntry, 'feeds'> {
  constructor(state: StateDocument<FeedsFile>) {
    super(state, { name: 'feeds', keys: 'seen', cap: SEEN_CAP, idOf: (feed) => feed.url });
  }

  static in(storeDir: string, collection: string = DEFAULT_COLLECTION): FeedList {
    return new FeedList(openState(storeDir, collection, 'feeds', feedsFileSchema));
  }

  /** Replaces the whole list. */
  async save(feeds: readonly FeedEntry[]): Promise<void> {
    await this.update(() => ({ entries: [...feeds], result: undefined }));
  }
}
