/**
 * Feeds and watches with DATABASE_URL (tests/harness/postgres-setup.ts gives the server): kept in
 * the database, not in the store folder, so that every process sees the same lists; a watch's
 * sentences claimed by two processes at once are each claimed once; `verbatim feed` and
 * `verbatim watch` on the command line read and write the database too.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Searcher } from '../../src/answer/searcher.js';
import { runCliInProcess } from '../helpers/cli.js';
import { addFeed, removeFeed } from '../../src/ingest/feed-list.js';
import { FeedList } from '../../src/ingest/feeds.js';
import { pollFeeds } from '../../src/ingest/poll.js';
import { WatchList } from '../../src/ingest/watches.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { foldersRemovedAfterAll, MODEL_DIR, temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, rssFeed, serve, startServer, type TestServer } from './fixtures.js';

const folders = foldersRemovedAfterAll();
let url: string;
let server: TestServer;
let store: string;
const policy = { maxBytes: 1024 * 1024, timeoutMs: 3000, allowPrivate: true };

/** Made while DATABASE_URL names `database`: what a process started with it would open. */
function opened<T>(database: string, open: () => T): T {
  process.env.DATABASE_URL = database;
  try {
    return open();
  } finally {
    delete process.env.DATABASE_URL;
  }
}

/** The same database under another connection string: another pool, as another process has. */
const otherPool = (name: string) => `${url}?application_name=${name}`;

async function stored(collection: string, name: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT value FROM collection_state WHERE collection = $1 AND name = $2', [collection, name])).rows[0]?.value;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  url = await freshDatabase();
  server = await startServer();
  server.routes.set('/feed.rss', serve('application/rss+xml', rssFeed(server.base, [{ title: 'Market opens', path: '/market', date: 'Mon, 03 Mar 2025 09:00:00 GMT' }])));
  store = await temporaryFolder('verbatim-pg-lists-');
  folders.push(store);
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await server?.close();
  await dropDatabases();
});

describe('watches in the database', () => {
  it('claims each sentence for one process only, even when two claim at once', async () => {
    const [mine, theirs] = [opened(otherPool('one'), () => WatchList.in(store, 'news')), opened(otherPool('two'), () => WatchList.in(store, 'news'))];
    const watch = await mine.add('Riverside dam repairs', new Date(), { guildId: '111', channelId: '222' });
    expect((await theirs.load()).map((w) => w.id)).toEqual([watch.id]);
    const keys = Array.from({ length: 40 }, (_, i) => `doc-${i % 7}:${i}`);
    const batches = Array.from({ length: 8 }, (_, b) => keys.slice(b * 4, b * 4 + 12));
    const claims = await Promise.all(batches.flatMap((batch) => [mine.claim(watch.id, batch), theirs.claim(watch.id, [...batch].reverse())]));
    const claimed = claims.flat();
    expect(claimed).toHaveLength(new Set(claimed).size);
    expect([...claimed].sort()).toEqual([...keys].sort());
    expect(await theirs.claim(watch.id, keys)).toEqual([]);

    // Given back when posting failed: claimable again, by either.
    await mine.release(watch.id, keys.slice(0, 3));
    expect(await theirs.claim(watch.id, keys)).toEqual(keys.slice(0, 3));
    // A watch removed meanwhile has nothing to claim.
    expect(await theirs.claim('gone', keys)).toEqual([]);
    await expect(fs.access(path.join(store, 'watches.json'))).rejects.toThrow();
    expect(await stored('news', 'watches')).toMatchObject({ watches: [{ id: watch.id, posted: expect.arrayContaining(keys) }] });
  });

  it('never moves a watch back: the later of two checks recorded at once wins', async () => {
    const [mine, theirs] = [opened(otherPool('one'), () => WatchList.in(store, 'checks')), opened(otherPool('two'), () => WatchList.in(store, 'checks'))];
    const watch = await mine.add('Harbour bridge', new Date('2030-01-01T00:00:00Z'));
    const [early, late] = ['2030-01-02T00:00:00.000Z', '2030-01-03T00:00:00.000Z'];
    await theirs.recordChecks(new Map([[watch.id, { checkedAt: late, posted: ['b'] }]]));
    await mine.recordChecks(new Map([[watch.id, { checkedAt: early, posted: ['a', 'b'] }]]));
    expect(await theirs.load()).toMatchObject([{ id: watch.id, lastCheckedAt: late, posted: ['b', 'a'] }]);
  });

  it('claims the same way in a file, where no database is given', async () => {
    const folder = await temporaryFolder('verbatim-watch-claims-');
    folders.push(folder);
    const list = WatchList.in(folder, 'news');
    const watch = await list.add('Riverside dam repairs');
    expect(await Promise.all([list.claim(watch.id, ['a', 'b']), list.claim(watch.id, ['b', 'c'])])).toEqual([['a', 'b'], ['c']]);
    await list.release(watch.id, ['b']);
    expect(await list.claim(watch.id, ['a', 'b', 'c'])).toEqual(['b']);
    expect(JSON.parse(await fs.readFile(path.join(folder, 'watches.json'), 'utf8')).watches[0].posted).toEqual(['a', 'c', 'b']);
  });
});

describe('feeds in the database', () => {
  it('adds, lists and removes a collection’s feeds there, seen alike by every process', async () => {
    const [mine, theirs] = [opened(otherPool('one'), () => FeedList.in(store, 'news')), opened(otherPool('two'), () => FeedList.in(store, 'news'))];
    expect(await mine.load()).toEqual([]);
    const entry = await addFeed(mine, policy, `${server.base}/feed.rss`);
    expect(entry).toMatchObject({ url: `${server.base}/feed.rss`, title: 'Harbour Times: Local', seen: [] });
    // Adding it again (from the other process) returns it as it is.
    expect(await addFeed(theirs, policy, `${server.base}/feed.rss`)).toEqual(entry);
    expect(await theirs.load()).toEqual([entry]);
    await theirs.save([{ ...entry, seen: ['item-1'] }]);
    expect(await mine.load()).toEqual([{ ...entry, seen: ['item-1'] }]);
    // Another collection has its own list; following a feed creates the collection's folder, as the file did.
    const otherStore = path.join(store, 'collections', 'other', 'store');
    const other = opened(url, () => FeedList.in(otherStore, 'other'));
    expect(await other.load()).toEqual([]);
    await expect(fs.access(otherStore)).rejects.toThrow();
    await addFeed(other, policy, `${server.base}/feed.rss`);
    expect(await fs.readdir(otherStore)).toEqual([]);
    expect((await mine.load()).map((f) => f.seen)).toEqual([['item-1']]);
    await removeFeed(mine, entry.url);
    await expect(removeFeed(theirs, entry.url)).rejects.toMatchObject({ code: 'FEED_NOT_FOUND' });
    expect(await stored('news', 'feeds')).toEqual({ feeds: [] });
    await expect(fs.access(path.join(store, 'feeds.json'))).rejects.toThrow();
  });

  it('keeps feeds added or removed while a poll runs: the poll records only what it learnt', async () => {
    const list = opened(url, () => FeedList.in(store, 'polled'));
    server.routes.set('/slow.rss', (req, res) => setTimeout(() => serve('application/rss+xml', rssFeed(server.base, [{ title: 'Gone item', path: '/missing', date: 'Mon, 03 Mar 2025 09:00:00 GMT' }]))(req, res), 600));
    server.routes.set('/other.rss', serve('application/rss+xml', rssFeed(server.base, [])));
    await addFeed(list, policy, `${server.base}/slow.rss`);
    await addFeed(list, policy, `${server.base}/other.rss`);
    const polling = pollFeeds({ corpusDir: store, storeDir: store, fetch: policy, refresh: () => Promise.reject(new Error('nothing was added')) }, list);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await removeFeed(list, `${server.base}/other.rss`);
    await addFeed(list, policy, `${server.base}/feed.rss`);
    const report = await polling;
    expect(report.feeds.map((f) => f.failed.length)).toEqual([1, 0]);
    const after = await list.load();
    expect(after.map((f) => f.url)).toEqual([`${server.base}/slow.rss`, `${server.base}/feed.rss`]);
    expect(after[0]!.lastPolledAt).not.toBeNull();
    expect(after[1]!.lastPolledAt).toBeNull();
  });

  it('adds each new item once when two processes poll the same feed at once', async () => {
    const items = ['bridge', 'market', 'ferry'].map((name, i) => ({ title: `Story ${name}`, path: `/story/${name}`, date: `Mon, 0${i + 1} Mar 2025 09:00:00 GMT` }));
    for (const item of items) server.routes.set(item.path, serve('text/html', articleHtml({ title: item.title, paragraphs: [`The ${item.title.toLowerCase()} was reported on by the local paper this week, with quotes from residents.`] })));
    server.routes.set('/three.rss', serve('application/rss+xml', rssFeed(server.base, items)));
    const [mine, theirs] = [opened(otherPool('one'), () => FeedList.in(store, 'twice')), opened(otherPool('two'), () => FeedList.in(store, 'twice'))];
    await addFeed(mine, policy, `${server.base}/three.rss`);
    const corpora = [await temporaryFolder('verbatim-poll-a-'), await temporaryFolder('verbatim-poll-b-')];
    folders.push(...corpora);
    // Indexing is not what this test is about: each poller's index reports nothing.
    const unindexed = { sources: () => [] } as unknown as Searcher;
    const reports = await Promise.all([mine, theirs].map((list, i) => pollFeeds({ corpusDir: corpora[i]!, storeDir: store, fetch: policy, refresh: async () => unindexed }, list)));
    const added = reports.flatMap((r) => r.feeds.flatMap((f) => f.added.map((a) => a.id)));
    expect([...added].sort()).toEqual(items.map((i) => i.path).sort());
    // Each page was fetched and stored by one of them only.
    expect(server.hits.filter((hit) => hit.startsWith('/story/')).sort()).toEqual(items.map((i) => i.path).sort());
    const [first, second] = await Promise.all(corpora.map((dir) => fs.readdir(dir)));
    expect(first!.filter((name) => second!.includes(name))).toEqual([]);
    expect((await theirs.load())[0]!.seen.sort()).toEqual(items.map((i) => i.path).sort());
  });
});

describe('the command line with DATABASE_URL', () => {
  function verbatim(args: string[]) {
    return runCliInProcess([...args, '--corpus', store, '--store', store], { MODEL_DIR, ALLOW_PRIVATE_FETCH: 'true' });
  }

  it('"verbatim feed" and "verbatim watch" read and write the database', async () => {
    process.env.DATABASE_URL = url;
    try {
      const feed = await verbatim(['feed', 'add', '--json', `${server.base}/feed.rss`]);
      expect(feed.code, feed.stderr).toBe(0);
      const watch = await verbatim(['watch', 'add', '--json', 'Market opening']);
      expect(watch.code, watch.stderr).toBe(0);
      const { id } = JSON.parse(watch.stdout) as { id: string };
      expect(JSON.parse((await verbatim(['feed', 'list', '--json'])).stdout)).toMatchObject([{ url: `${server.base}/feed.rss`, items: 0 }]);
      expect(JSON.parse((await verbatim(['watch', 'list', '--json'])).stdout)).toMatchObject([{ id, topic: 'Market opening' }]);
    } finally {
      delete process.env.DATABASE_URL;
    }
    expect(await stored('default', 'feeds')).toMatchObject({ feeds: [{ url: `${server.base}/feed.rss` }] });
    expect(await stored('default', 'watches')).toMatchObject({ watches: [{ topic: 'Market opening' }] });
    expect((await fs.readdir(store)).filter((name) => name.endsWith('.json'))).toEqual([]);
    // Without DATABASE_URL, the files as before: this store folder has no feeds yet.
    expect(JSON.parse((await verbatim(['feed', 'list', '--json'])).stdout)).toEqual([]);
  });
});
