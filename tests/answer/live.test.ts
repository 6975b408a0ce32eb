/** The live corpus: files added, changed or removed while running are answered without a restart. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Searcher } from '../../src/answer/searcher.js';
import { watchCorpus, type LiveSearcher } from '../../src/answer/live.js';
import { MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, makePdf, REPORT_PAGES } from '../ingest/fixtures.js';

let corpus: string;
let store: string;
let live: LiveSearcher;
const swaps: Searcher[] = [];
const logs: string[] = [];

beforeAll(async () => {
  corpus = await temporaryFolder('verbatim-live-corpus-');
  store = await temporaryFolder('verbatim-live-store-');
  await fs.copyFile(path.join(SEED_CORPUS, '003_0597df7a1cb1a5cd.txt'), path.join(corpus, '003_0597df7a1cb1a5cd.txt'));
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(`warn: ${m}`) };
  live = await watchCorpus({ corpusDir: corpus, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME, debounceMs: 150, log }, (s) => swaps.push(s));
});
afterAll(async () => {
  await live?.close();
  await Promise.all([corpus, store].map((dir) => dir && fs.rm(dir, { recursive: true, force: true })));
});

/** Waits until `check` passes on the current searcher. */
async function eventually(check: (searcher: Searcher) => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check(live.current)) return;
    if (Date.now() > until) throw new Error(`not answered within ${timeoutMs} ms; log: ${logs.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const QUESTION = 'How many steel cables were found to be corroded?';
const answersBridge = async (searcher: Searcher) => (await searcher.ask(QUESTION)).quotes.some((q) => q.text.includes('42 of the steel cables'));

describe('watchCorpus', () => {
  it('answers from a file added to the corpus without a restart, and from the previous store until then', async () => {
    const before = live.current;
    expect(await answersBridge(before)).toBe(false);
    await fs.writeFile(path.join(corpus, 'bridge.html'), articleHtml());
    await eventually(answersBridge);
    expect(swaps.at(-1)).toBe(live.current);
    // The previous Searcher still answers what it knew (questions in flight finish on it).
    expect((await before.ask('How much territory does Ukraine still hold in Kursk?')).quotes.length).toBeGreaterThan(0);

    const answer = await live.current.ask(QUESTION);
    const quote = answer.quotes.find((q) => q.text.includes('42 of the steel cables'))!;
    expect(quote.source).toMatchObject({ path: 'bridge.html.txt', original: 'bridge.html' });
    expect((await fs.readFile(path.join(corpus, quote.source.path), 'utf8')).slice(quote.start, quote.end)).toBe(quote.text);
  });

  it('skips a bad file with a warning and keeps what was indexed before', async () => {
    await fs.writeFile(path.join(corpus, 'broken.pdf'), '%PDF-1.4\nthis is not a PDF');
    await fs.writeFile(path.join(corpus, 'reservoir.pdf'), makePdf(REPORT_PAGES));
    await eventually(async (s) => s.sources().some((d) => d.original === 'reservoir.pdf'));
    expect(logs.some((line) => line.startsWith('warn: skipped broken.pdf'))).toBe(true);
    expect(await answersBridge(live.current)).toBe(true);
  });

  it('drops a removed file', async () => {
    await fs.rm(path.join(corpus, 'bridge.html'));
    await eventually(async (s) => !s.sources().some((d) => d.original === 'bridge.html'));
    expect(await answersBridge(live.current)).toBe(false);
  });
});
