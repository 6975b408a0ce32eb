import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { openSearcher } from '../../src/answer/open.js';
import type { Searcher } from '../../src/answer/searcher.js';
import type { Discrepancy } from '../../src/answer/types.js';
import { foldersRemovedAfterAll, fileText, MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';

const UNSEEN_CORPUS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'coverage-corpus');
const folders = foldersRemovedAfterAll();
async function searcherFor(corpusDir: string): Promise<Searcher> {
  const store = await temporaryFolder('verbatim-coverage-');
  folders.push(store);
  return openSearcher({ corpusDir, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
}

const valuesOf = (d: Discrepancy) => new Set(d.values.map((v) => v.value));
const flags = (discrepancies: Discrepancy[], ...values: number[]) =>
  discrepancies.some((d) => values.every((v) => valuesOf(d).has(v)));

describe('coverage on the seed articles', () => {
  let seeds: Searcher;
  beforeAll(async () => {
    seeds = await searcherFor(SEED_CORPUS);
  });

  it('groups the four tellings of the BBC report and names the republished original', () => {
    const sources = Object.fromEntries(seeds.sources().map((s) => [s.id, s]));
    const story = ['000_98c5cb65bca18020', '001_b9d7470b1c5be701', '002_3efe642ed5a47036', '003_0597df7a1cb1a5cd'];
    for (const id of story) {
      expect(sources[id]!.sameStoryAs.sort()).toEqual(story.filter((other) => other !== id));
      expect(sources[id]!.likelyOriginal).toBe('003_0597df7a1cb1a5cd');
    }
    expect(sources['004_918447a18b64fa1b']!.sameStoryAs).toEqual([]);
  });

  it('flags 700 against 90 sq km held and the wrong 56 sq miles, but not 1,000 captured against 90 held', async () => {
    const answer = await seeds.ask('How much territory does Ukraine still hold in Kursk?');
    const discrepancies = answer.discrepancies ?? [];
    expect(flags(discrepancies, 700, 90)).toBe(true);
    expect(flags(discrepancies, 56, 35)).toBe(true);
    expect(discrepancies.find((d) => valuesOf(d).has(56))!.about).toMatch(/34\.7/);
    expect(flags(discrepancies, 1000, 90)).toBe(false);
    for (const d of discrepancies) {
      for (const v of d.values) expect(v.text).toBe((await fileText(SEED_CORPUS, v.source.path)).slice(v.start, v.end));
    }
  });

  it('quotes the clean original once and lists the retellings, counted as one report', async () => {
    const answer = await seeds.ask('How many troops did North Korea send to Kursk?');
    const quote = answer.quotes.find((q) => q.text.includes('11,000'))!;
    expect(quote.source.id).not.toBe('002_3efe642ed5a47036'); // the machine translation ("KASK")
    const also = quote.alsoReportedBy!;
    expect(also.map((a) => a.source.id)).toContain('002_3efe642ed5a47036');
    expect(quote.corroboration).toEqual({ sources: also.length + 1, reports: 1, retellings: also.length });
    for (const a of also) expect(a.text).toBe((await fileText(SEED_CORPUS, a.source.path)).slice(a.start, a.end));
    const shown = answer.quotes.flatMap((q) => [q.text, ...(q.alsoReportedBy ?? []).map((a) => a.text)]);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('compares what each source says about a topic', async () => {
    const comparison = await seeds.compare('territory Ukraine holds in Kursk');
    expect(comparison.sources.map((s) => s.source.id)).toContain('004_918447a18b64fa1b');
    expect(comparison.sources.find((s) => s.source.id === '002_3efe642ed5a47036')!.retells).toBe('003_0597df7a1cb1a5cd');
    expect(flags(comparison.discrepancies, 700, 90)).toBe(true);
  });
});

/**
 * A corpus the mechanisms were not tuned on: a wildfire report with a republication (with a
 * sidebar), a rewrite (with a wrong conversion), a garbled translation and an independent report
 * with other figures; two budget stories that disagree; a library story with two figures side by
 * side that must not be flagged.
 */
describe('coverage on a corpus it was not tuned on', () => {
  let unseen: Searcher;
  beforeAll(async () => {
    unseen = await searcherFor(UNSEEN_CORPUS);
  });

  it('finds the retellings, with precision and recall over document pairs', () => {
    const planted = new Set(['wildfire-report', 'wildfire-republished', 'wildfire-rewrite', 'wildfire-translated']);
    const sources = unseen.sources();
    const pairs = (pick: (a: string, b: string) => boolean) =>
      sources.flatMap((a) => sources.filter((b) => a.id < b.id && pick(a.id, b.id)).map((b) => `${a.id}|${b.id}`));
    const truth = new Set(pairs((a, b) => planted.has(a) && planted.has(b)));
    const found = new Set(pairs((a, b) => sources.find((s) => s.id === a)!.sameStoryAs.includes(b)));
    const hits = [...found].filter((p) => truth.has(p)).length;
    const precision = hits / Math.max(1, found.size);
    const recall = hits / truth.size;
    console.info(`retellings on the unseen corpus: precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)} (${hits}/${truth.size} pairs, ${found.size} found)`);
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    expect(sources.find((s) => s.id === 'wildfire-rewrite')!.likelyOriginal).toBe('wildfire-report');
  });

  it('flags the planted discrepancies and not the figures that measure different things', async () => {
    const questions = [
      'How much land has the Harlow Ridge fire burned?',
      'How many residents were evacuated because of the fire?',
      'How many firefighters were deployed?',
      'When did the fire start?',
      'What budget did Eastbury council approve?',
      'How many jobs will the Eastbury budget cut?',
      'How many books does the Westfield library hold?',
    ];
    const flagged = new Map<string, Discrepancy>();
    for (const question of questions) {
      for (const d of (await unseen.ask(question)).discrepancies ?? []) flagged.set(`${d.about}|${[...valuesOf(d)].sort()}`, d);
    }
    const planted = [
      [4200, 6000], // hectares burned
      [1300, 2000], // residents evacuated
      [16000], // 4,200 hectares is about 10,380 acres, not 16,000
      [48e6, 52e6], // the budget
    ];
    const all = [...flagged.values()];
    const found = planted.filter((values) => flags(all, ...values)).length;
    const correct = all.filter((d) => planted.some((values) => values.every((v) => valuesOf(d).has(v)))).length;
    const precision = correct / Math.max(1, all.length);
    const recall = found / planted.length;
    console.info(`discrepancies on the unseen corpus: precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}; flagged: ${all.map((d) => d.about).join('; ')}`);
    expect(recall).toBeGreaterThanOrEqual(0.75);
    expect(precision).toBeGreaterThanOrEqual(0.75);
    expect(flags(all, 40000, 15000)).toBe(false);
  });

  it('never quotes the sidebar or widget of the republication', async () => {
    const answer = await unseen.ask('What stadium plans were approved?');
    expect(answer.quotes.every((q) => !/Stadium plans|Listen to this story/.test(q.text))).toBe(true);
  });
});
