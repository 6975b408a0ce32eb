/**
 * `verbatim watch`: a topic is watched, articles are added, and `check` reports each new relevant
 * sentence once, quoted exactly and labelled against what earlier documents said (a new claim, a
 * retelling naming its earlier source, a differing figure with the earlier value).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { WatchList } from '../../src/ingest/watches.js';
import { DAM_ARTICLES, writeDamCorpus } from '../export/corpus.js';
import { MODEL_DIR, temporaryFolder } from '../helpers/seeds.js';

let corpus: string;
let store: string;
beforeAll(async () => {
  corpus = await temporaryFolder('verbatim-watch-corpus-');
  store = await temporaryFolder('verbatim-watch-store-');
  await writeDamCorpus(corpus, { 'dam-herald.txt': DAM_ARTICLES['dam-herald.txt']!, 'orchard.txt': DAM_ARTICLES['orchard.txt']! });
  expect((await verbatim(['index'])).code).toBe(0);
});
afterAll(async () => Promise.all([corpus, store].map((dir) => dir && fs.rm(dir, { recursive: true, force: true }))));

function verbatim(args: string[]) {
  return runCliInProcess([...args, '--corpus', corpus, '--store', store], { MODEL_DIR });
}

interface Checked {
  watch: { id: string; topic: string };
  documents: { document: { path: string }; quotes: { text: string; start: number; end: number; source: { path: string; title: string }; label: string; retells?: { title: string }[]; differs?: { earlier: { text: string; source: { path: string } }; value: { text: string } }[] }[] }[];
}

async function check(): Promise<Checked> {
  const run = await verbatim(['watch', 'check', '--json']);
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Checked;
}

describe('verbatim watch', () => {
  it('reports what new documents say about the topic, once, labelled against earlier sources', async () => {
    const added = await verbatim(['watch', 'add', '--json', 'Riverside dam repairs']);
    expect(added.code, added.stderr).toBe(0);
    const { id } = JSON.parse(added.stdout) as { id: string };
    const listed = JSON.parse((await verbatim(['watch', 'list', '--json'])).stdout) as { id: string; topic: string }[];
    expect(listed).toMatchObject([{ id, topic: 'Riverside dam repairs' }]);
    // Documents indexed before the watch began are not new to it.
    expect((await check()).documents).toEqual([]);

    await writeDamCorpus(corpus, {
      'dam-courier.txt': DAM_ARTICLES['dam-courier.txt']!,
      'dam-gazette.txt': {
        text: 'Dam repair bill rises\n\nThe Riverside dam repairs will cost 9 million dollars, the regional water board said on Friday.\n',
        meta: { title: 'Dam repair bill rises', outlet: 'Hill Gazette' },
      },
    });
    const found = await check();
    expect(found.watch.id).toBe(id);
    const byPath = new Map(found.documents.map((d) => [d.document.path, d.quotes]));
    expect([...byPath.keys()].sort()).toEqual(['dam-courier.txt', 'dam-gazette.txt']);
    for (const quote of found.documents.flatMap((d) => d.quotes)) {
      expect((await fs.readFile(path.join(corpus, quote.source.path), 'utf8')).slice(quote.start, quote.end)).toBe(quote.text);
    }
    const cracks = byPath.get('dam-courier.txt')!.find((q) => /cracks/.test(q.text));
    expect(cracks).toMatchObject({ label: 'retelling', retells: [{ title: 'Riverside dam repairs begin' }] });
    const cost = byPath.get('dam-gazette.txt')!.find((q) => /9 million/.test(q.text));
    expect(cost?.label).toBe('differing figure');
    // A headline names the topic but states nothing: not reported.
    expect(byPath.get('dam-gazette.txt')!.map((q) => q.text)).not.toContain('Dam repair bill rises');
    expect(cost?.differs?.[0]).toMatchObject({ value: { text: expect.stringMatching(/9 million/) }, earlier: { text: expect.stringMatching(/7 million/), source: { path: 'dam-herald.txt' } } });

    // Each sentence once per watch: nothing new now, nor after the Courier is re-indexed with a new sidecar.
    expect((await check()).documents).toEqual([]);
    await fs.writeFile(path.join(corpus, 'dam-courier.meta.json'), JSON.stringify({ ...DAM_ARTICLES['dam-courier.txt']!.meta, author: 'Tom Reed' }));
    expect((await check()).documents).toEqual([]);

    const text = await verbatim(['watch', 'check']);
    expect(text.stdout).toMatch(/nothing new/);
    expect((await verbatim(['watch', 'remove', id])).code).toBe(0);
    expect(JSON.parse((await verbatim(['watch', 'list', '--json'])).stdout)).toEqual([]);
    const unknown = await verbatim(['watch', 'remove', id]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/WATCH_NOT_FOUND/);
  });

  it('leaves a Discord channel\'s watch to the bot: listed, never checked here', async () => {
    const channelWatch = await WatchList.in(store).add('Riverside dam repairs', new Date(), { guildId: '111', channelId: '222' });
    await writeDamCorpus(corpus, { 'dam-late.txt': { text: 'Dam repairs delayed\n\nThe Riverside dam repairs were delayed by storms, the water board said.\n', meta: { title: 'Dam repairs delayed' } } });
    const run = await verbatim(['watch', 'check', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse((await verbatim(['watch', 'list', '--json'])).stdout)).toMatchObject([{ id: channelWatch.id, channelId: '222', posted: 0 }]);
    expect((await WatchList.in(store).load())[0]!.lastCheckedAt).toBe(channelWatch.lastCheckedAt);
  });
});
