/**
 * A shared collection is only ever made to match the corpus folder it was indexed from
 * (src/index/folder-identity.ts), against a real PostgreSQL (tests/harness/postgres-setup.ts):
 * a process whose folder for the collection is another one removes nothing from the database,
 * says why in one line, and still answers from what the database holds. Each process here is
 * the built command line, or the bot's open collections, each with collections folders of its own.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenCollections } from '../../src/answer/open-collections.js';
import { listCorpus } from '../../src/corpus/stamp.js';
import { FOLDER_ID_FILE, readFolderId, recordCorpusFolder } from '../../src/index/folder-identity.js';
import { PostgresStore } from '../../src/index/postgres/store.js';
import { runBuilt } from '../helpers/built.js';
import { runCli } from '../helpers/cli.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { ANSWERED } from '../helpers/seed-questions.js';
import { copySeedCorpus, foldersRemovedAfterAll, MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';
import { BRIDGE_PARAGRAPHS } from '../ingest/fixtures.js';

const folders = foldersRemovedAfterAll();
let url: string;
let machineA: string;
let machineB: string;
let seedPaths: string[];

/** A machine's collections folder holding collection `c`, its corpus a copy of the seeds or one other article. */
async function machine(articles: 'seeds' | 'bridge'): Promise<string> {
  const root = await temporaryFolder('verbatim-collections-');
  folders.push(root);
  const corpus = path.join(root, 'c', 'corpus');
  await fs.mkdir(path.dirname(corpus), { recursive: true });
  if (articles === 'seeds') {
    const seeds = await copySeedCorpus();
    await fs.cp(seeds, corpus, { recursive: true });
    await fs.rm(seeds, { recursive: true });
  } else {
    await fs.mkdir(corpus);
    await fs.writeFile(path.join(corpus, 'harbour-bridge.txt'), BRIDGE_PARAGRAPHS.join('\n\n'));
  }
  return root;
}

const corpusOf = (root: string) => path.join(root, 'c', 'corpus');
/** The command line on a machine; `database` '' for the embedded store. */
const cli = (root: string, args: string[], database = url) =>
  runCli([...args, '--collection', 'c'], { env: { COLLECTIONS_DIR: root, SHARED_COLLECTIONS: '', DATABASE_URL: database } });

async function storedPaths(collection = 'c'): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ path: string }>('SELECT path FROM documents WHERE collection = $1 ORDER BY path', [collection]);
    return rows.rows.map((r) => r.path);
  } finally {
    await client.end();
  }
}

async function recordedFolder(collection = 'c'): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ value: { id: string } }>(`SELECT value FROM collection_state WHERE collection = $1 AND name = 'corpus-folder'`, [collection]);
    return rows.rows[0]?.value.id;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  url = await freshDatabase();
  machineA = await machine('seeds');
  machineB = await machine('bridge');
  const indexed = await cli(machineA, ['index']);
  expect(indexed.code, indexed.stderr).toBe(0);
  seedPaths = await storedPaths();
});
afterAll(async () => {
  delete process.env.DATABASE_URL;
  await dropDatabases();
});

describe('the folder a shared collection is indexed from', () => {
  it('is named on its first build: an id in a hidden file of the folder, and the same id in the database', async () => {
    const id = await readFolderId(corpusOf(machineA));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await recordedFolder()).toBe(id);
    expect(seedPaths.length).toBeGreaterThan(1);
  });

  it('is no article: the listing leaves the id file out, and its stamp is what it was without it', async () => {
    const corpus = corpusOf(machineA);
    const listing = await listCorpus(corpus);
    expect([...listing.owners.keys()].some((owner) => owner.includes(FOLDER_ID_FILE))).toBe(false);
    const copy = await copySeedCorpus();
    folders.push(copy);
    await fs.cp(corpus, copy, { recursive: true });
    const withFile = await listCorpus(copy);
    await fs.rm(path.join(copy, FOLDER_ID_FILE));
    expect(await fs.readdir(copy)).not.toContain(FOLDER_ID_FILE);
    const without = await listCorpus(copy);
    expect(withFile.stamp).toBe(without.stamp);
    expect(withFile.signatures).toBe(without.signatures);
  });

  it('is the only one indexed: another folder for the collection removes nothing, and says so in one line', async () => {
    const run = await cli(machineB, ['index']);
    expect(run.code).toBe(2);
    const line = run.stderr.split('\n').find((l) => l.includes('CORPUS_FOLDER_FOREIGN'));
    expect(line).toContain(corpusOf(machineB));
    expect(line).toContain('collection c');
    expect(line).toContain(`copy that folder's ${FOLDER_ID_FILE}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await storedPaths()).toEqual(seedPaths);
    // The foreign folder is given no id of its own.
    expect(await readFolderId(corpusOf(machineB))).toBeNull();
  });

  it('still answers there, from what the database holds, with a warning', async () => {
    const [question] = ANSWERED[0]!;
    const run = await cli(machineB, ['ask', question, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: The corpus folder');
    const answer = JSON.parse(run.stdout) as { quotes: { source: { path: string } }[] };
    expect(answer.quotes.length).toBeGreaterThan(0);
    for (const quote of answer.quotes) expect(seedPaths).toContain(quote.source.path);
    expect(await storedPaths()).toEqual(seedPaths);
  });

  it('keeps the bot answering there: opening warns, and a change in the folder is logged as refused, not indexed', async () => {
    process.env.DATABASE_URL = url;
    const logs: string[] = [];
    const log = { info: (m: string) => logs.push(m), warn: (m: string, f?: object) => logs.push(`warn: ${m} ${JSON.stringify(f ?? {})}`) };
    const storeDir = await temporaryFolder('verbatim-store-');
    folders.push(storeDir);
    const collections = new OpenCollections(
      { corpusDir: storeDir, storeDir, collectionsDir: machineB, sharedCollections: [], modelDir: MODEL_DIR, modelName: MODEL_NAME, memoryBytes: 256 * 1024 * 1024, debounceMs: 100, log },
      await sharedEmbedder(),
    );
    try {
      const live = await collections.live('c');
      expect(logs.filter((l) => l.startsWith('warn: The corpus folder'))).toHaveLength(1);
      expect(live.current.store.documentCount).toBe(seedPaths.length);
      await fs.writeFile(path.join(corpusOf(machineB), 'second.txt'), BRIDGE_PARAGRAPHS.slice(1).join('\n\n'));
      await expect.poll(() => logs.find((l) => l.includes('could not update the index')), { timeout: 10_000 }).toContain('CORPUS_FOLDER_FOREIGN');
      expect(await storedPaths()).toEqual(seedPaths);
      expect(live.current.store.documentCount).toBe(seedPaths.length);
    } finally {
      await collections.close();
      delete process.env.DATABASE_URL;
      await fs.rm(path.join(corpusOf(machineB), 'second.txt'));
    }
  });

  it('is adopted on purpose by copying its id file: that folder then indexes, and the store matches it', async () => {
    await fs.copyFile(path.join(corpusOf(machineA), FOLDER_ID_FILE), path.join(corpusOf(machineB), FOLDER_ID_FILE));
    const run = await cli(machineB, ['index']);
    expect(run.code, run.stderr).toBe(0);
    expect(await storedPaths()).toEqual(['harbour-bridge.txt']);
    // Back to the seeds, for a folder that is the collection's again.
    const back = await cli(machineA, ['index']);
    expect(back.code, back.stderr).toBe(0);
    expect(await storedPaths()).toEqual(seedPaths);
  });
});

describe('a collection with no folder recorded', () => {
  it('(indexed before folders were named) adopts the folder that builds next', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DELETE FROM collection_state WHERE collection = 'c' AND name = 'corpus-folder'`).finally(() => client.end());
    const other = await machine('bridge');
    const run = await cli(other, ['index']);
    expect(run.code, run.stderr).toBe(0);
    expect(await storedPaths()).toEqual(['harbour-bridge.txt']);
    expect(await recordedFolder()).toBe(await readFolderId(corpusOf(other)));
    expect(await recordedFolder()).not.toBe(await readFolderId(corpusOf(machineA)));
  });

  it('copied in by copy-to-postgres is the copied folder\'s, which then indexes with nothing to do', async () => {
    const root = await machine('seeds');
    const embedded = await cli(root, ['index'], '');
    expect(embedded.code, embedded.stderr).toBe(0);
    // The embedded store is unchanged by all this: no file is written into its folder.
    expect(await readFolderId(corpusOf(root))).toBeNull();
    await fs.rename(path.join(root, 'c'), path.join(root, 'd'));
    const copied = runBuilt('tools/copy-to-postgres.js', { ...process.env, DATABASE_URL: url, COLLECTIONS_DIR: root }, root, ['--collection', 'd']);
    expect(await copied.exited, copied.output()).toEqual({ code: 0, signal: null });
    const id = await readFolderId(path.join(root, 'd', 'corpus'));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await recordedFolder('d')).toBe(id);
    const run = await runCli(['index', '--collection', 'd'], { env: { COLLECTIONS_DIR: root, SHARED_COLLECTIONS: '', DATABASE_URL: url } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/up to date/i);
    expect(await storedPaths('d')).toEqual(seedPaths);
  });

  it('gets one id from processes naming its folder at once', async () => {
    const root = await machine('bridge');
    const ids = await Promise.all([new PostgresStore(url, 'e'), new PostgresStore(url, 'e')].map((store) => recordCorpusFolder(store, corpusOf(root))));
    expect(ids[0]).toBe(ids[1]);
    expect(await readFolderId(corpusOf(root))).toBe(ids[0]);
    expect(await recordedFolder('e')).toBe(ids[0]);
  });
});
