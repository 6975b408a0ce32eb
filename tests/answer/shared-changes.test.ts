/**
 * Several processes on one PostgreSQL database (tests/harness/postgres-setup.ts gives the server):
 * a write by another process is in this process's open collection at once (NOTIFY/LISTEN), also
 * after the listening connection was dropped, and the work only one process may do for a
 * collection at a time (feed polls) is taken by one. The other process is the built command line
 * (`verbatim index`) with a corpus folder of its own, so that nothing but the database tells the
 * reader; for feeds, a second set of open collections over the same folders.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenCollections } from '../../src/answer/open-collections.js';
import type { Searcher } from '../../src/answer/searcher.js';
import { takeTurn } from '../../src/index/backend.js';
import type { Embedder } from '../../src/index/embedder.js';
import { FOLDER_ID_FILE } from '../../src/index/folder-identity.js';
import { LISTENER_NAME } from '../../src/index/postgres/changes.js';
import { runBuilt } from '../helpers/built.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { copySeedCorpus, foldersRemovedAfterAll, MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';
import { CollectionIngestion } from '../../src/ingest/collections.js';
import { articleHtml, BRIDGE_PARAGRAPHS, rssFeed, serve, startServer } from '../ingest/fixtures.js';

const folders = foldersRemovedAfterAll();
const QUESTION = 'How many steel cables were found to be corroded?';
let url: string;
let embedder: Embedder;
let collections: OpenCollections;
let layout: ConstructorParameters<typeof OpenCollections>[0];
let writerCorpus: string;
let writerStore: string;
const swaps: string[] = [];
const logs: string[] = [];

beforeAll(async () => {
  url = await freshDatabase();
  process.env.DATABASE_URL = url;
  embedder = await sharedEmbedder();
  const readerCorpus = await copySeedCorpus();
  writerCorpus = await copySeedCorpus();
  const storeDir = await temporaryFolder('verbatim-store-');
  writerStore = await temporaryFolder('verbatim-store-');
  folders.push(writerStore);
  const collectionsDir = await temporaryFolder('verbatim-collections-');
  folders.push(readerCorpus, writerCorpus, storeDir, collectionsDir);
  const log = { info: (m: string, f?: object) => logs.push(`${m} ${JSON.stringify(f ?? {})}`), warn: (m: string, f?: object) => logs.push(`warn: ${m} ${JSON.stringify(f ?? {})}`) };
  layout = { corpusDir: readerCorpus, storeDir, collectionsDir, sharedCollections: ['default'], modelDir: MODEL_DIR, modelName: MODEL_NAME, memoryBytes: 256 * 1024 * 1024, debounceMs: 150, log };
  collections = new OpenCollections(layout, embedder);
  collections.onSearcher((name) => swaps.push(name));
  await collections.followStore();
  await collections.live('default');
  // The two processes stand for machines that share one corpus folder: the writer's copy is that folder.
  await fs.copyFile(path.join(readerCorpus, FOLDER_ID_FILE), path.join(writerCorpus, FOLDER_ID_FILE));
});
afterAll(async () => {
  await collections?.close();
  delete process.env.DATABASE_URL;
  await dropDatabases();
});

/** Another process (`verbatim index`) indexes its own corpus folder into the shared collection. */
async function writeElsewhere(change: (corpus: string) => Promise<void>): Promise<void> {
  await change(writerCorpus);
  const env = { ...process.env, DATABASE_URL: url, CORPUS_DIR: writerCorpus, STORE_DIR: writerStore };
  const writer = runBuilt('cli.js', env, writerStore, ['index']);
  expect(await writer.exited, writer.output()).toEqual({ code: 0, signal: null });
}

const reader = (): Promise<Searcher> => collections.reader(['default']);

describe('a collection written by another process', () => {
  it('is answered from at once: the write is in the next question, quoted verbatim, and the swap is announced', async () => {
    expect((await (await reader()).ask(QUESTION)).quotes.some((q) => q.text.includes('42 of the steel cables'))).toBe(false);
    const swapsBefore = swaps.length;
    await writeElsewhere((corpus) => fs.writeFile(path.join(corpus, 'harbour-bridge.txt'), BRIDGE_PARAGRAPHS.join('\n\n')));
    // The notification is delivered at commit; the question waits for the view it asks to reopen.
    await expect.poll(() => swaps.length, { timeout: 5000 }).toBeGreaterThan(swapsBefore);
    const answer = await (await reader()).ask(QUESTION);
    const quote = answer.quotes.find((q) => q.text.includes('42 of the steel cables'));
    expect(quote?.source.path).toBe('harbour-bridge.txt');
    const stored = (await reader()).document('harbour-bridge.txt').text;
    expect(stored.slice(quote!.start, quote!.end)).toBe(quote!.text);
    expect((await fs.readFile(path.join(writerCorpus, 'harbour-bridge.txt'), 'utf8')).slice(quote!.start, quote!.end)).toBe(quote!.text);
    expect(swaps.slice(swapsBefore).every((name) => name === 'default')).toBe(true);
  });

  it('is caught up after the listening connection drops: what was written meanwhile is read once it listens again', async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const dropped = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LISTENER_NAME]);
      expect(dropped.rowCount).toBe(1);
      // A change no notification tells of (written while nobody listens, here without NOTIFY at all):
      // only the catch-up after listening again can bring it in.
      await admin.query('BEGIN');
      await admin.query(`DELETE FROM documents WHERE collection = 'default' AND path = 'harbour-bridge.txt'`);
      await admin.query(`UPDATE store_state SET version = version + 1 WHERE collection = 'default'`);
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }
    await expect.poll(() => logs.some((line) => line.startsWith('listening to the database change feed again')), { timeout: 10_000 }).toBe(true);
    expect(logs.some((line) => line.startsWith('warn: lost the database change feed'))).toBe(true);
    await expect.poll(async () => (await reader()).sources().some((s) => s.path === 'harbour-bridge.txt'), { timeout: 5000 }).toBe(false);
  });
});

describe('a task one process does at a time', () => {
  it('polls a collection\'s feeds in one of two processes polling at once', async () => {
    const server = await startServer();
    const feedPath = '/feeds/harbour.xml';
    const feed = serve('application/rss+xml', rssFeed(server.base, [{ title: 'Harbour Bridge to close', path: '/news/bridge', date: 'Thu, 01 May 2025 08:00:00 GMT' }]));
    // Slow enough that the second process asks while the first still holds the turn.
    server.routes.set(feedPath, (req, res) => void setTimeout(() => feed(req, res), 500));
    server.routes.set('/news/bridge', serve('text/html; charset=utf-8', articleHtml()));
    const settings = { fetchMaxBytes: 1 << 20, fetchTimeoutMs: 5000, allowPrivateFetch: true, feedPollMinutes: 0 };
    const here = new CollectionIngestion(collections, settings, collections.options.log);
    const elsewhere = new CollectionIngestion(new OpenCollections(layout, embedder), settings, collections.options.log);
    try {
      await here.ingestor('harbour').addFeed(`${server.base}${feedPath}`);
      const fetchedBefore = server.hits.filter((hit) => hit === feedPath).length;
      await Promise.all([here.poll(), elsewhere.poll()]);
      expect(server.hits.filter((hit) => hit === feedPath).length - fetchedBefore).toBe(1);
      expect(server.hits.filter((hit) => hit === '/news/bridge')).toHaveLength(1);
      expect(logs.filter((line) => line.startsWith('feeds left to the process polling them now'))).toHaveLength(1);
      // The one poll's article is in the collection for both.
      for (const ingestion of [here, elsewhere]) {
        expect((await (await ingestion.own('harbour')).ask(QUESTION)).quotes.some((q) => q.text.includes('42 of the steel cables'))).toBe(true);
      }
    } finally {
      await elsewhere.close();
      await server.close();
    }
  });

  it('runs in the process that takes the turn; another asking meanwhile is told no and runs nothing', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const first = takeTurn('feeds', 'news', async () => {
      ran.push('first');
      await held;
    });
    await expect.poll(() => ran).toEqual(['first']);
    expect(await takeTurn('feeds', 'news', async () => void ran.push('second'))).toBe(false);
    // Another collection's turn is its own.
    expect(await takeTurn('feeds', 'sport', async () => void ran.push('other collection'))).toBe(true);
    release();
    expect(await first).toBe(true);
    expect(await takeTurn('feeds', 'news', async () => void ran.push('third'))).toBe(true);
    expect(ran).toEqual(['first', 'other collection', 'third']);
  });
});
