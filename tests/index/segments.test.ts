/** The segmented store: writes cost what changed, and a store in parts answers as one. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Searcher } from '../../src/answer/searcher.js';
import { openStore } from '../../src/index/backend.js';
import { buildIndex } from '../../src/index/build.js';
import { readManifest } from '../../src/index/embedded/manifest.js';
import type { Embedder } from '../../src/index/embedder.js';
import type { IndexView } from '../../src/index/store.js';
import { retrieve } from '../../src/retrieval/retrieve.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { foldersRemovedAfterAll, copySeedCorpus, fileText, temporaryFolder } from '../helpers/seeds.js';

const folders = foldersRemovedAfterAll();
async function folder(prefix: string): Promise<string> {
  const made = await temporaryFolder(prefix);
  folders.push(made);
  return made;
}

let embedder: Embedder;
beforeAll(async () => {
  embedder = await sharedEmbedder();
});

const BRIDGE = 'Engineers found 42 corroded cables on the Harbour Bridge on Monday. Repairs will take two years and cost $30 million.';

async function segmentFiles(store: string, name: string): Promise<Record<string, number>> {
  const dir = path.join(store, 'index', 'segments', name);
  const files: Record<string, number> = {};
  for (const file of await fs.readdir(dir)) files[file] = (await fs.stat(path.join(dir, file))).mtimeMs;
  return files;
}

/** A passage named by its document and its place in it, so that views numbered differently compare. */
const passageName = (view: IndexView, p: number) => {
  const { doc } = view.passage(p);
  return `${view.document(doc).path}#${p - view.passageRange(doc)[0]}`;
};

describe('writing', () => {
  it('adds an article as one new segment: no other file is read, no other segment rewritten', async () => {
    const corpus = await copySeedCorpus();
    folders.push(corpus);
    const store = await folder('verbatim-seg-');
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const [first] = (await readManifest(store))!.manifest.segments;
    const untouched = await segmentFiles(store, first!.name);

    await fs.writeFile(path.join(corpus, 'bridge.txt'), BRIDGE);
    const report = await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    expect(report).toMatchObject({ upToDate: false, filesRead: 1, embeddedDocuments: 1, removedDocuments: 0, documents: 6 });
    const { segments } = (await readManifest(store))!.manifest;
    expect(segments.map((s) => s.name)).toEqual([first!.name, expect.any(String)]);
    expect(await segmentFiles(store, first!.name)).toEqual(untouched);

    const answer = await new Searcher(await openStore(store).view(), embedder).ask('How many cables were corroded?');
    const quote = answer.quotes[0]!;
    expect(quote.source.path).toBe('bridge.txt');
    expect(quote.text).toBe((await fileText(corpus, 'bridge.txt')).slice(quote.start, quote.end));

    // Unchanged: nothing is read at all.
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder })).toMatchObject({ upToDate: true, filesRead: 0 });
  });

  it('removes a document with a tombstone: never found again, and gone from the files once merged', async () => {
    const corpus = await copySeedCorpus();
    folders.push(corpus);
    const store = await folder('verbatim-seg-');
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const before = await openStore(store).view();
    expect(before.nameDocuments('loknya', 5)).toBe(1);
    expect(before.sharedNames('s')).toContain('syrsky');
    await fs.rm(path.join(corpus, '004_918447a18b64fa1b.txt'));
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder, mergeBudget: 0 })).toMatchObject({ removedDocuments: 1, filesRead: 0, documents: 4 });
    const { segments } = (await readManifest(store))!.manifest;
    expect(segments).toHaveLength(1);
    expect(segments[0]!.dead).toHaveLength(1);

    const view = await openStore(store).view();
    expect(view.documentCount).toBe(4);
    const everything = view.searchVectors(view.passageVector(0), 1000);
    expect(everything).toHaveLength(view.passageCount);
    expect(everything.map((h) => passageName(view, h.passage)).filter((n) => n.startsWith('004_'))).toEqual([]);
    expect(view.searchWords('Malaya Loknya Storm Shadow', 100)).toEqual([]);
    expect(view.nameDocuments('loknya', 5)).toBe(0);

    expect(await openStore(store).maintain({ budget: Infinity, everything: true })).toBe(true);
    const merged = (await readManifest(store))!.manifest.segments;
    expect(merged).toHaveLength(1);
    expect(merged[0]!.dead).toEqual([]);
    expect((await openStore(store).view()).documentCount).toBe(4);
  });
});

describe('files touched but unchanged', () => {
  it('are read once and remembered in a note apart from the manifest, which later writes do not copy', async () => {
    const corpus = await copySeedCorpus();
    folders.push(corpus);
    const store = await folder('verbatim-seg-');
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
    const later = new Date(Date.now() + 5000);
    for (const name of await fs.readdir(corpus)) await fs.utimes(path.join(corpus, name), later, later);
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder })).toMatchObject({ upToDate: true, filesRead: 5, embeddedDocuments: 0 });
    const notes = (await readManifest(store))!.manifest.notes;
    expect(notes).toMatch(/^notes-/);
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder })).toMatchObject({ upToDate: true, filesRead: 0 });

    await fs.writeFile(path.join(corpus, 'bridge.txt'), BRIDGE);
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder })).toMatchObject({ filesRead: 1, embeddedDocuments: 1 });
    expect((await readManifest(store))!.manifest.notes).toBe(notes);
  });
});

describe('a store in several segments', () => {
  it('ranks exactly as the same documents in one segment (collection-wide BM25, merged vector search)', async () => {
    const seeds = await copySeedCorpus();
    folders.push(seeds);
    const corpus = await folder('verbatim-seg-corpus-');
    const store = await folder('verbatim-seg-');
    const names = (await fs.readdir(seeds)).filter((n) => n.endsWith('.txt')).sort();
    // Three writes (three segments), then one removal (a tombstone).
    for (const batch of [names.slice(0, 2), names.slice(2, 4), names.slice(4)]) {
      for (const name of batch) await fs.copyFile(path.join(seeds, name), path.join(corpus, name));
      await fs.writeFile(path.join(corpus, `note-${batch.length}-${batch[0]}`), BRIDGE.replace('42', String(batch.length * 7)));
      await buildIndex({ corpusDir: corpus, storeDir: store, embedder, mergeBudget: 0 });
    }
    await fs.rm(path.join(corpus, names[1]!));
    await buildIndex({ corpusDir: corpus, storeDir: store, embedder, mergeBudget: 0 });
    expect((await readManifest(store))!.manifest.segments.length).toBeGreaterThan(1);
    const parts = await openStore(store).view();

    await openStore(store).maintain({ budget: Infinity, everything: true });
    expect((await readManifest(store))!.manifest.segments).toHaveLength(1);
    const whole = await openStore(store).view();
    expect(whole.documentCount).toBe(parts.documentCount);

    for (const question of ['How many cables were corroded?', 'How much territory does Ukraine hold in Kursk?', 'North Korean troops killed']) {
      const vector = await embedder.embedQuery(question);
      for (const mode of ['lexical', 'vector'] as const) {
        const ranked = async (view: IndexView) =>
          (await retrieve(view, question, vector, mode)).map((c) => [passageName(view, c.passage), Number(c.fused.toFixed(6)), Number(c.similarity.toFixed(3))]);
        expect(await ranked(parts), `${mode}: ${question}`).toEqual(await ranked(whole));
      }
      const lexical = (view: IndexView) => view.searchWords(question, 50).map((h) => [passageName(view, h.passage), Number(h.score.toFixed(5))]);
      expect(lexical(parts)).toEqual(lexical(whole));
    }
  });
});

describe('repeated lines across documents', () => {
  it('are found incrementally as a full read finds them: the third document tips the first two', async () => {
    const corpus = await folder('verbatim-seg-corpus-');
    const store = await folder('verbatim-seg-');
    const article = (topic: string) => `From the Harbour Desk\nThe council debated ${topic} for three hours on Tuesday evening.\nA vote is expected next month.`;
    const boilerplateOf = async (file: string) => {
      const view = await openStore(store).view();
      return view.document(view.findDocument(file)!).boilerplate.map((r) => r.kind);
    };
    for (const [i, topic] of ['the ferry timetable', 'parking fees', 'the new library'].entries()) {
      await fs.writeFile(path.join(corpus, `a${i}.txt`), article(topic));
      const report = await buildIndex({ corpusDir: corpus, storeDir: store, embedder });
      // The third document makes the line repeated in three: the first two are read again and re-cleaned.
      expect(report.filesRead).toBe(i < 2 ? 1 : 3);
    }
    expect(await boilerplateOf('a0.txt')).toEqual(['repeated']);
    expect(await boilerplateOf('a2.txt')).toEqual(['repeated']);

    const scratch = await folder('verbatim-seg-');
    await buildIndex({ corpusDir: corpus, storeDir: scratch, embedder });
    const fromScratch = await openStore(scratch).view();
    const incremental = await openStore(store).view();
    for (const file of ['a0.txt', 'a1.txt', 'a2.txt']) {
      expect(incremental.document(incremental.findDocument(file)!).boilerplate).toEqual(fromScratch.document(fromScratch.findDocument(file)!).boilerplate);
    }

    await fs.rm(path.join(corpus, 'a2.txt'));
    expect(await buildIndex({ corpusDir: corpus, storeDir: store, embedder })).toMatchObject({ filesRead: 2, removedDocuments: 1 });
    expect(await boilerplateOf('a0.txt')).toEqual([]);
  });
});
