/** Many collections in one process: loaded on first use, the least recently used closed beyond the memory budget, shared ones kept. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionBytes, OpenCollections } from '../../src/answer/open-collections.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';

let root: string;
let collections: OpenCollections;
const NAMES = ['one', 'two', 'three'];

beforeAll(async () => {
  root = await temporaryFolder('verbatim-open-collections-');
  await fs.mkdir(path.join(root, 'corpus'));
  await fs.copyFile(path.join(SEED_CORPUS, '003_0597df7a1cb1a5cd.txt'), path.join(root, 'corpus', 'seed.txt'));
  for (const name of NAMES) {
    await fs.mkdir(path.join(root, 'collections', name, 'corpus'), { recursive: true });
    await fs.writeFile(path.join(root, 'collections', name, 'corpus', `${name}.txt`), `Note ${name}\n\nThe ${name} committee met on Tuesday and approved the ${name} budget of 40 million pounds.\n`);
  }
  // Room for the shared collection and about one small collection more.
  const budget = collectionBytes(40) + collectionBytes(2);
  collections = new OpenCollections(
    { corpusDir: path.join(root, 'corpus'), storeDir: path.join(root, 'store'), collectionsDir: path.join(root, 'collections'), sharedCollections: ['default'], modelDir: MODEL_DIR, modelName: MODEL_NAME, memoryBytes: budget },
    await sharedEmbedder(),
  );
});
afterAll(async () => {
  await collections?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('OpenCollections', () => {
  it('loads a collection when first asked about, and closes the least recently used beyond the budget, never a shared one', async () => {
    expect(collections.names).toEqual([]);
    const first = await collections.reader(['one', 'default']);
    expect([...collections.names].sort()).toEqual(['default', 'one']);
    expect((await first.ask('What did the one committee approve?')).quotes[0]?.source).toMatchObject({ collection: 'one', path: 'one.txt' });
    await collections.reader(['two', 'default']);
    expect([...collections.names].sort()).toEqual(['default', 'two'].sort());
    await collections.reader(['three', 'default']);
    expect([...collections.names].sort()).toEqual(['default', 'three'].sort());
    // Closed is not gone: asked again, it is loaded again.
    const again = await collections.reader(['one', 'default']);
    expect((await again.ask('What did the one committee approve?')).quotes[0]?.source.collection).toBe('one');
    expect([...collections.names].sort()).toEqual(['default', 'one'].sort());
  });

  it('reads an empty corpus for a server that has no collection yet and nothing shared', async () => {
    const empty = await collections.reader(['never-written']);
    expect(empty.sources()).toEqual([]);
    expect((await empty.ask('What did the one committee approve?')).quotes).toEqual([]);
  });

  it('refuses to load a collection that does not exist, and leaves one that cannot be read out of questions', async () => {
    await expect(collections.live('missing')).rejects.toMatchObject({ code: 'COLLECTION_UNKNOWN' });
    expect(await fs.readdir(path.join(root, 'collections'))).not.toContain('missing');
    // A collection with feeds but no article yet: its folder exists, its corpus is empty.
    await fs.mkdir(path.join(root, 'collections', 'feeds-only', 'store'), { recursive: true });
    const searcher = await collections.reader(['feeds-only', 'default']);
    expect((await searcher.ask('What did Syrsky say?')).quotes.every((q) => q.source.collection === 'default')).toBe(true);
  });
});
