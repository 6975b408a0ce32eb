import { beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { openSearcher } from '../../src/answer/open.js';
import type { Searcher } from '../../src/answer/searcher.js';
import type { Answer } from '../../src/answer/types.js';
import { resolveFilter } from '../../src/answer/filter.js';
import { discrepancyLines } from '../../src/present/text.js';
import { renderAnswer } from '../../src/present/terminal.js';
import { foldersRemovedAfterAll, copySeedCorpus, fileText, MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';

const DATED_CORPUS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'dated-corpus');
const folders = foldersRemovedAfterAll();
async function searcherFor(corpusDir: string): Promise<Searcher> {
  const store = await temporaryFolder('verbatim-dates-');
  folders.push(store);
  return openSearcher({ corpusDir, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
}

const TODAY = new Date('2025-08-01T12:00:00Z');
const filter = (input: Parameters<typeof resolveFilter>[0]) => resolveFilter(input, TODAY);
/** Every source an answer cites: quotes, also-reported spans and discrepancy values. */
const citedIds = (answer: Answer) => new Set([
  ...answer.quotes.flatMap((q) => [q.source.id, ...(q.alsoReportedBy ?? []).map((a) => a.source.id)]),
  ...(answer.discrepancies ?? []).flatMap((d) => d.values.map((v) => v.source.id)),
]);

describe('dates, filters and recency on a dated corpus', () => {
  let searcher: Searcher;
  beforeAll(async () => {
    searcher = await searcherFor(DATED_CORPUS);
  });

  it('dates documents from sidecars and from a date line, and leaves the undated one undated', () => {
    const published = Object.fromEntries(searcher.sources().map((s) => [s.id, s.published]));
    expect(published).toMatchObject({ 'doran-winter': '2024-12-10', 'doran-summer': '2025-07-02T09:30:00Z', 'doran-dateline': '2025-07-04', 'doran-undated': null });
  });

  it('ranks within the filter: the best answer of the window, not the global best filtered afterwards', async () => {
    const question = 'How much of the Doran valley do rebels hold?';
    const unfiltered = await searcher.ask(question, { k: 1, now: TODAY });
    expect(unfiltered.quotes[0]!.source.id).toBe('doran-winter');
    const after = await searcher.ask(question, { k: 1, filter: filter({ since: '2025-01-01' }), now: TODAY });
    expect(after.quotes.map((q) => q.source.id)).toEqual(['doran-summer']);
    expect(after.quotes[0]!.text).toMatch(/90 square kilometres/);
    expect(after.filter).toEqual({ since: '2025-01-01', until: null, outlets: [], undatedExcluded: 1 });
    const before = await searcher.ask(question, { filter: filter({ until: '2024-12-31' }), now: TODAY });
    expect([...citedIds(before)]).toEqual(['doran-winter']);
  });

  it('keeps exactly the sources of the window and outlets in quotes, also-reported and discrepancies', async () => {
    const question = 'How much of the Doran valley do rebels hold?';
    const summer = await searcher.ask(question, { filter: filter({ since: '2025-07-01', until: '2025-07-31' }), now: TODAY });
    expect([...citedIds(summer)].every((id) => ['doran-summer', 'doran-dateline'].includes(id))).toBe(true);
    expect(citedIds(summer).has('doran-summer')).toBe(true);
    expect(summer.discrepancies).toEqual([]);
    const ledger = await searcher.ask(question, { filter: filter({ outlets: ['NORTHERN LEDGER'] }), now: TODAY });
    expect([...citedIds(ledger)]).toEqual(['doran-winter']);
    expect(ledger.filter?.undatedExcluded).toBe(0);
    const byHost = await searcher.ask(question, { filter: filter({ outlets: ['harbourwire.example'] }), now: TODAY });
    expect([...citedIds(byHost)]).toEqual(['doran-summer']);
    const recent = await searcher.ask(question, { filter: filter({ since: '30d' }), now: TODAY });
    expect(recent.filter?.since).toBe('2025-07-02');
    expect([...citedIds(recent)].sort()).toEqual(['doran-dateline', 'doran-summer'].filter((id) => citedIds(recent).has(id)));
  });

  it('reports a figure that changed as an update in time order, and same-week figures as a disagreement', async () => {
    const held = await searcher.ask('How much of the Doran valley do rebels hold?', { now: TODAY });
    const update = held.discrepancies!.find((d) => d.values.some((v) => v.value === 700))!;
    expect(update.kind).toBe('update');
    expect(update.values.map((v) => [v.value, v.published])).toEqual([[700, '2024-12-10'], [90, '2025-07-02T09:30:00Z']]);
    expect(discrepancyLines([update])[0]).toContain('700 km² (Dec 2024) → 90 km² (Jul 2025)');
    const cost = await searcher.ask('How much will the Kell bridge repairs cost?', { now: TODAY });
    const disagreement = cost.discrepancies!.find((d) => d.values.some((v) => v.value === 12_000_000))!;
    expect(disagreement.kind).toBe('disagreement');
    expect(disagreement.values.map((v) => v.published)).toEqual(['2025-05-06', '2025-05-08']);
    for (const answer of [held, cost]) {
      for (const v of answer.discrepancies!.flatMap((d) => d.values)) expect(v.text).toBe((await fileText(DATED_CORPUS, v.source.path)).slice(v.start, v.end));
    }
  });

  it('puts the newer of two answers first for a question about the present, and shows every quote with its date', async () => {
    const still = await searcher.ask('How much of the Doran valley do rebels still hold today?', { now: TODAY });
    const figures = still.quotes.filter((q) => /square kilometres/.test(q.text)).map((q) => q.source.id);
    expect(figures).toEqual(['doran-summer', 'doran-winter']);
    // "now" is the filter's until: before July, the winter report is the latest.
    const asOf = await searcher.ask('How much of the Doran valley do rebels still hold today?', { filter: filter({ until: '2025-01-31' }), now: TODAY });
    expect(asOf.quotes[0]!.source.id).toBe('doran-winter');
    const text = renderAnswer(still, { color: false });
    expect(text).toMatch(/2025-07-02 \(doran-summer\.txt\)/);
    const undated = await searcher.ask('Where do families displaced from the Doran valley live?', { now: TODAY });
    expect(renderAnswer(undated, { color: false })).toMatch(/undated \(doran-undated\.txt\)/);
  });

  it('refuses a bad date with a user error', () => {
    expect(() => resolveFilter({ since: '2025-02-30' })).toThrow(/since "2025-02-30" is not a date/);
    expect(() => resolveFilter({ since: '2025-03-02', until: '2025-03-01' })).toThrow(/after until/);
    expect(resolveFilter({})).toBeUndefined();
  });
});

describe('the seeds given dates in sidecars', () => {
  it('report 700 against 90 sq km held as an update, and the 56/35 sq miles conversions as a same-day disagreement', async () => {
    const corpus = await copySeedCorpus();
    folders.push(corpus);
    const dates: Record<string, string> = { '000': '2025-03-16', '001': '2025-03-16', '002': '2025-03-17', '003': '2025-03-16', '004': '2024-12-05' };
    for (const name of await fs.readdir(corpus)) {
      const prefix = name.slice(0, 3);
      if (name.endsWith('.txt') && dates[prefix]) await fs.writeFile(path.join(corpus, name.replace(/\.txt$/, '.meta.json')), JSON.stringify({ published: dates[prefix] }));
    }
    const answer = await (await searcherFor(corpus)).ask('How much territory does Ukraine still hold in Kursk?');
    const held = answer.discrepancies!.find((d) => d.values.some((v) => v.value === 700) && d.values.some((v) => v.value === 90))!;
    expect(held.kind).toBe('update');
    expect(held.values[0]!.value).toBe(700);
    expect(discrepancyLines([held])[0]).toMatch(/700 km² \(Dec 2024\) → 90 km² \(Mar 2025\)/);
    const miles = answer.discrepancies!.find((d) => d.values.some((v) => v.value === 35))!;
    expect(miles.kind).toBe('disagreement');
  });

  it('stay undated as they are, with no kind on their discrepancies', async () => {
    const answer = await (await searcherFor(path.join(PROJECT_ROOT, 'corpus'))).ask('How much territory does Ukraine still hold in Kursk?');
    expect(answer.quotes.every((q) => q.source.published === null)).toBe(true);
    expect(answer.discrepancies!.every((d) => d.kind === undefined)).toBe(true);
  });
});
