import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildIndex, buildIndex as build } from '../../src/index/build.js';
import { EmbeddedStore } from '../../src/index/embedded/store.js';
import { PostgresStore } from '../../src/index/postgres/store.js';
import type { Store } from '../../src/index/store.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { Embedder } from '../../src/index/embedder.js';
import { openStore } from '../../src/index/backend.js';
import { readManifest } from '../../src/index/embedded/manifest.js';
import { corpusStamp } from '../../src/corpus/stamp.js';
import { openSearcher } from '../../src/answer/open.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { foldersRemovedAfterAll, copySeedCorpus, MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';

const folders = foldersRemovedAfterAll();
async function folder(kind: 'corpus' | 'store'): Promise<string> {
  const made = kind === 'corpus' ? await copySeedCorpus() : await temporaryFolder('verbatim-store-');
  folders.push(made);
  return made;
}

let embedder: Embedder;
beforeAll(async () => {
  embedder = await sharedEmbedder();
});

/** A file of the store's (only) segment. */
async function segmentFile(store: string, file: string): Promise<string> {
  const { manifest } = (await readManifest(store))!;
  expect(manifest.segments).toHaveLength(1);
  return path.join(store, 'index', 'segments', manifest.segments[0]!.name, file);
}

const loadStore = (store: string) => openStore(store).view();

/** The two backends the store's behaviour is checked on: the embedded store, and PostgreSQL (tests/helpers/postgres.ts). */
const BACKENDS: [name: string, open: (storeDir: string) => Promise<Store>][] = [
  ['embedded', async (storeDir) => new EmbeddedStore(storeDir)],
  ['PostgreSQL', async () => new PostgresStore(await freshDatabase())],
];
afterAll(dropDatabases);

describe.each(BACKENDS)('incremental indexing (%s)', (_, open) => {
  it('embeds only new or changed files, drops deleted ones, and then reports up to date', async () => {
    const corpus = await folder('corpus');
    const store = await folder('store');
    const backend = await open(store);
    const buildIndex = (options: Parameters<typeof build>[0]) => build({ ...options, store: backend });
    const loadStore = () => backend.view();
    const first = await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    expect(first).toMatchObject({ documents: 5, embeddedDocuments: 5, upToDate: false });

    await fs.appendFile(path.join(corpus, '000_98c5cb65bca18020.txt'), '\nOfficials added a new paragraph about supply routes.');
    await fs.writeFile(path.join(corpus, 'new-article.txt'), 'Engineers repaired the dam near the border on Monday.');
    await fs.rm(path.join(corpus, '004_918447a18b64fa1b.txt'));
    const second = await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    expect(second).toMatchObject({ documents: 5, embeddedDocuments: 2, removedDocuments: 1, upToDate: false });

    const loaded = await loadStore();
    const paths = loaded.documentNumbers().map((d) => loaded.document(d).path);
    expect(paths).not.toContain('004_918447a18b64fa1b.txt');
    expect(paths).toContain('new-article.txt');
    expect(loaded.documentCount).toBe(5);
    expect(loaded.searchVectors(loaded.passageVector(0), 1000)).toHaveLength(loaded.passageCount);

    const third = await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    expect(third.upToDate).toBe(true);
  });

  it('rebuilds everything when the model changes', async () => {
    const corpus = await folder('corpus');
    const store = await folder('store');
    const backend = await open(store);
    const buildIndex = (options: Parameters<typeof build>[0]) => build({ ...options, store: backend });
    const loadStore = () => backend.view();
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    // The same weights under another name are, to the index, another model.
    const models = await temporaryFolder('verbatim-models-');
    folders.push(models);
    await fs.symlink(path.join(MODEL_DIR, MODEL_NAME), path.join(models, 'renamed-model'));
    const other = await Embedder.load(models, 'renamed-model');
    const rebuilt = await buildIndex({ corpusDir: corpus, storeDir: store, embedder: other });
    expect(rebuilt).toMatchObject({ embeddedDocuments: 5, upToDate: false });
    expect((await loadStore()).modelId).toMatch(/^renamed-model@/);
  });
});

describe('the start-up check', () => {
  it('trusts the corpus stamp (paths, sizes, times) and reads articles only when it changed', async () => {
    const corpus = await folder('corpus');
    const store = await folder('store');
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const open = () => {
      const rebuilt: unknown[] = [];
      const searcher = openSearcher({ corpusDir: corpus, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME, onIndexed: (r) => rebuilt.push(r) });
      return searcher.then(() => rebuilt);
    };
    expect(await open()).toEqual([]);

    // The same bytes and the same time: the stamp cannot tell, so start-up answers from the index…
    const file = path.join(corpus, '003_0597df7a1cb1a5cd.txt');
    // (Seconds as a number keep the sub-millisecond part that a Date would drop.)
    const seconds = (await fs.stat(file)).mtimeMs / 1000;
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('Syrsky', 'Syrskx'));
    await fs.utimes(file, seconds, seconds);
    expect(await open()).toEqual([]);
    // …while `verbatim index` compares contents and finds the change.
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder })).toMatchObject({ embeddedDocuments: 1 });

    // A touched but unchanged file: one full check, after which the new stamp is remembered.
    const later = new Date(Date.now() + 5000);
    await fs.utimes(file, later, later);
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder })).toMatchObject({ upToDate: true });
    const { manifest } = (await readManifest(store))!;
    expect(manifest.corpusStamp).toBe(await corpusStamp(corpus));
  });
});

describe('a damaged store', () => {
  it.each([
    ['truncated vector graph', 'passages.hnsw', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['corrupted header', 'docs.json', (b: Buffer) => Buffer.concat([b.subarray(0, 100), Buffer.from('\u0000garbage'), b.subarray(108)])],
    ['missing vectors', 'passages.i8', null],
    ['truncated texts', 'texts.bin', (b: Buffer) => b.subarray(0, 10)],
  ])('%s: refuses to load it with a clear code, and opening rebuilds it', async (_label, file, damage) => {
    const corpus = await folder('corpus');
    const store = await folder('store');
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const target = await segmentFile(store, file);
    if (damage) await fs.writeFile(target, damage(await fs.readFile(target)));
    else await fs.rm(target);
    await expect(loadStore(store)).rejects.toMatchObject({ code: 'STORE_DAMAGED' });

    const warnings: string[] = [];
    const searcher = await openSearcher({
      corpusDir: corpus,
      storeDir: store,
      modelDir: MODEL_DIR,
      modelName: MODEL_NAME,
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([expect.stringContaining('damaged')]);
    const answer = await searcher.ask('How many troops did North Korea send?');
    expect(answer.quotes.length).toBeGreaterThan(0);
  });
});

describe('a damaged manifest', () => {
  it('is checked field by field: STORE_DAMAGED names the manifest, the field and the problem, and opening builds anew', async () => {
    const corpus = await folder('corpus');
    const store = await folder('store');
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const name = (await fs.readFile(path.join(store, 'index', 'CURRENT'), 'utf8')).trim();
    const file = path.join(store, 'index', name);
    const good = JSON.parse(await fs.readFile(file, 'utf8'));
    const damagedBy = async (contents: string) => {
      await fs.writeFile(file, contents);
      const error = await readManifest(store).then(
        () => null,
        (e: unknown) => e as Error & { code: string },
      );
      expect(error?.code).toBe('STORE_DAMAGED');
      return error!.message.replace(name, 'MANIFEST');
    };
    const damaged = (detail: string) => `The index is damaged (MANIFEST: ${detail}). Run "verbatim index" to rebuild it.`;
    const segmentWith = (fields: object) => good.segments.map((s: object, i: number) => (i === 0 ? { ...s, ...fields } : s));

    expect(await damagedBy(JSON.stringify({ ...good, formatVersion: 1 }))).toBe(damaged('formatVersion: 1 is not format 3'));
    expect(await damagedBy(JSON.stringify({ ...good, dimensions: '384' }))).toBe(damaged('dimensions: "384" is not a whole number'));
    expect(await damagedBy(JSON.stringify({ ...good, segments: segmentWith({ passages: -1 }) }))).toBe(damaged('segments[0].passages: -1 is negative'));
    expect(await damagedBy(JSON.stringify({ ...good, segments: segmentWith({ headerSha256: 'abc' }) }))).toBe(
      damaged('segments[0].headerSha256: "abc" is not a SHA-256 digest'),
    );
    expect(await damagedBy('{"formatVersion": 3,')).toMatch(/^The index is damaged \(MANIFEST: not valid JSON \(.+\)\)\./);
    await fs.rm(file);
    await expect(readManifest(store)).rejects.toMatchObject({ code: 'STORE_DAMAGED', message: expect.stringContaining(`${name} is missing`) });

    // A field added by a later version passes through untouched; notes left out read as none.
    const { notes: _notes, ...withoutNotes } = good;
    await fs.writeFile(file, JSON.stringify({ ...withoutNotes, addedLater: { x: 1 } }));
    expect((await readManifest(store))!.manifest).toMatchObject({ addedLater: { x: 1 }, notes: null });

    // Opening treats a damaged manifest as no index: it builds a new generation and answers from it.
    await fs.writeFile(file, JSON.stringify({ ...good, generation: null }));
    await expect(readManifest(store)).rejects.toThrow('generation: null is not a whole number');
    const searcher = await openSearcher({ corpusDir: corpus, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
    expect((await searcher.ask('How many troops did North Korea send?')).quotes.length).toBeGreaterThan(0);
    const rebuilt = (await readManifest(store))!.manifest;
    expect(rebuilt.generation).toBeGreaterThan(good.generation);
    expect(rebuilt.segments.reduce((n, s) => n + s.passages, 0)).toBe(good.segments.reduce((n: number, s: { passages: number }) => n + s.passages, 0));
  });
});

describe('a run killed in the middle', () => {
  it('leaves the previous store answering, and the next run resumes after what was committed', async () => {
    const corpus = await folder('corpus');
    const store = await folder('store');
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const before = (await readManifest(store))!.manifest.segments.map((s) => s.name);

    // Enough new text for several commits, so the kill lands between them.
    const seedTexts = await Promise.all((await fs.readdir(corpus)).map((n) => fs.readFile(path.join(corpus, n), 'utf8')));
    // One line per new article: no seed line repeats across them, so the seeds' boilerplate stays as it was.
    const sentences = seedTexts
      .join('\n')
      .split(/(?<=\.)\s+/)
      .filter((s) => s.length > 40 && !s.includes('\n'));
    for (let i = 0; i < 80; i += 1) {
      const body = Array.from({ length: 20 }, (_, j) => sentences[(i * 7 + j * 3) % sentences.length]).join(' ');
      await fs.writeFile(path.join(corpus, `extra-${i}.txt`), `Article ${i} notes. ${body}`);
    }
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli.ts'), 'index', '--corpus', corpus, '--store', store], {
      cwd: PROJECT_ROOT,
      stdio: 'ignore',
    });
    const documents = async () => (await openStore(store).status())?.documents ?? 0;
    const deadline = Date.now() + 60_000;
    while ((await documents()) <= 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(child.exitCode, 'the run was still going when killed').toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const committed = (await documents()) - 5;
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(80);

    const survivor = await loadStore(store);
    expect(survivor.documentCount).toBe(5 + committed);
    expect((await readManifest(store))!.manifest.segments.map((s) => s.name)).toEqual(expect.arrayContaining(before));
    const answer = await new (await import('../../src/answer/searcher.js')).Searcher(survivor, embedder).ask('How many troops did North Korea send?');
    expect(answer.quotes.length).toBeGreaterThan(0);

    const resumed = await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    expect(resumed.documents).toBe(85);
    // Exactly the articles the killed run had not committed go through the model.
    expect(resumed.embeddedDocuments).toBe(80 - committed);
    // A child process compiled on the fly plus 80 articles to embed: about 50 s alone on 2 cores.
  }, 180_000);
});
