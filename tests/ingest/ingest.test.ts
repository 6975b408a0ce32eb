/**
 * `verbatim add` and `verbatim feed` against loopback servers: web pages, a PDF, RSS and Atom feeds,
 * a local JSONL dump; every quote from them an exact slice of the extracted text file it names;
 * bad fetches reported while the index keeps answering.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { Answer } from '../../src/answer/types.js';
import { SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, atomFeed, makePdf, REPORT_PAGES, rssFeed, serve, startServer, type TestServer } from './fixtures.js';

let server: TestServer;
let corpus: string;
let store: string;

const FIRE = [
  'A wildfire near Pine Ridge burned 1,200 hectares of forest over the weekend, the fire service said.',
  'About 300 residents were evacuated from two villages as a precaution.',
];
const MARKET = ['The new covered market in Eastfield will open on 14 June with 60 stalls selling local produce.'];

beforeAll(async () => {
  server = await startServer();
  const { base } = server;
  server.routes.set('/news/harbour/bridge-repairs', serve('text/html; charset=utf-8', articleHtml()));
  server.routes.set('/docs/reservoir-plan.pdf', serve('application/pdf', makePdf(REPORT_PAGES, { title: 'Reservoir plan', author: 'Water Board' })));
  server.routes.set('/moved', (_req, res) => {
    res.writeHead(301, { location: '/news/harbour/bridge-repairs' });
    res.end();
  });
  server.routes.set('/loop', (_req, res) => {
    res.writeHead(302, { location: '/loop' });
    res.end();
  });
  server.routes.set('/slow', (_req, res) => {
    const timer = setTimeout(() => res.end('late'), 5000);
    res.on('close', () => clearTimeout(timer));
  });
  server.routes.set('/huge', serve('text/html', `<p>${'x'.repeat(300 * 1024)}</p>`));
  server.routes.set('/valley/fire', serve('text/html', articleHtml({ title: 'Wildfire burns forest near Pine Ridge', paragraphs: FIRE, jsonLd: false })));
  server.routes.set('/local/market', serve('text/html', articleHtml({ title: 'Eastfield market to open in June', paragraphs: MARKET, jsonLd: false })));
  server.routes.set(
    '/feed.rss',
    serve(
      'application/rss+xml',
      rssFeed(base, [
        { title: 'Eastfield market to open in June', path: '/local/market', date: 'Mon, 03 Mar 2025 09:00:00 GMT' },
        {
          title: 'Library extends opening hours',
          path: '/local/gone',
          date: 'Tue, 04 Mar 2025 09:00:00 GMT',
          content: '<p>The central library will stay open until 9pm on weekdays from April, the council announced on Tuesday after a public consultation.</p><p>Weekend hours are unchanged, and the reading rooms will be refurbished over the summer holidays.</p>',
        },
      ]),
    ),
  );
  server.routes.set('/atom.xml', serve('application/atom+xml', atomFeed(base, [{ title: 'Wildfire burns forest near Pine Ridge', path: '/valley/fire', id: 'urn:valley:fire', updated: '2025-03-01T10:00:00Z' }])));
  corpus = await temporaryFolder('verbatim-ingest-corpus-');
  store = await temporaryFolder('verbatim-ingest-store-');
  const seed = '003_0597df7a1cb1a5cd';
  for (const ext of ['.txt', '.meta.json']) await fs.copyFile(path.join(SEED_CORPUS, seed + ext), path.join(corpus, seed + ext)).catch(() => undefined);
});
afterAll(async () => {
  await server?.close();
  await Promise.all([corpus, store].map((dir) => dir && fs.rm(dir, { recursive: true, force: true })));
});

function verbatim(args: string[], env: Record<string, string> = { ALLOW_PRIVATE_FETCH: 'true' }) {
  const limits = { FETCH_TIMEOUT_MS: '1000', FETCH_MAX_BYTES: String(200 * 1024) };
  return runCliInProcess([...args, '--corpus', corpus, '--store', store], { ...limits, ...env }, process.stdin);
}

async function ask(question: string): Promise<Answer> {
  const run = await verbatim(['ask', '--json', question]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Answer;
}

/** Every quote (and every "also reported by") is an exact slice of the file its source names. */
async function expectVerbatim(answer: Answer) {
  for (const quote of answer.quotes) {
    for (const q of [quote, ...(quote.alsoReportedBy ?? [])]) {
      const text = await fs.readFile(path.join(corpus, q.source.path), 'utf8');
      expect(text.slice(q.start, q.end)).toBe(q.text);
    }
  }
}

describe('verbatim add', () => {
  it('stores a web page (after a redirect) with its extracted text and metadata, and answers from it verbatim', async () => {
    const run = await verbatim(['add', '--json', `${server.base}/moved`]);
    expect(run.code, run.stderr).toBe(0);
    const added = JSON.parse(run.stdout);
    expect(added.file).toMatch(/^bridge-repairs-[0-9a-f]{8}\.html$/);
    expect(added.documents).toEqual([
      expect.objectContaining({
        path: `${added.file}.txt`,
        original: added.file,
        title: 'Harbour Bridge to close for repairs',
        outlet: 'The Harbour Times',
        author: 'Maria Lopez',
        url: 'https://news.example/harbour/bridge-repairs',
        published: '2025-02-11T08:30:00.000Z',
        passages: expect.any(Number),
      }),
    ]);
    const files = await fs.readdir(corpus);
    expect(files).toEqual(expect.arrayContaining([added.file, `${added.file}.txt`, added.file.replace(/\.html$/, '.meta.json')]));

    const answer = await ask('How many steel cables were found to be corroded?');
    const top = answer.quotes[0]!;
    expect(top.source).toMatchObject({ path: `${added.file}.txt`, original: added.file, outlet: 'The Harbour Times' });
    expect(top.text).toContain('42 of the steel cables');
    await expectVerbatim(answer);
  });

  it('stores a PDF and quotes its extracted text', async () => {
    const run = await verbatim(['add', '--json', `${server.base}/docs/reservoir-plan.pdf`]);
    expect(run.code, run.stderr).toBe(0);
    const added = JSON.parse(run.stdout);
    expect(added.documents[0]).toMatchObject({ original: added.file, path: `${added.file}.txt`, title: 'Reservoir plan', author: 'Water Board' });
    const answer = await ask('How much water will the Millbrook reservoir hold?');
    expect(answer.quotes[0]!.source.original).toBe(added.file);
    expect(answer.quotes[0]!.text).toContain('3 billion litres');
    await expectVerbatim(answer);
  });

  it('adds a local JSONL dump as one document per article', async () => {
    const dumpDir = await temporaryFolder('verbatim-dump-');
    const dump = path.join(dumpDir, 'wire.jsonl');
    await fs.writeFile(
      dump,
      [
        { title: 'Tram line approved', url: 'https://wire.example/tram', outlet: 'Wire', published: '2025-01-05', text: 'The regional assembly approved a new tram line linking the airport to the old town, at a cost of 95 million euros.' },
        { title: 'School roof repaired', outlet: 'Wire', text: 'Builders finished repairing the roof of Northgate primary school after the storm in January.' },
      ]
        .map((a) => JSON.stringify(a))
        .join('\n'),
    );
    const run = await verbatim(['add', '--json', dump]);
    await fs.rm(dumpDir, { recursive: true, force: true });
    expect(run.code, run.stderr).toBe(0);
    const added = JSON.parse(run.stdout);
    expect(added.file).toBe('wire.jsonl');
    expect(added.documents.map((d: { id: string; title: string; path: string }) => [d.id, d.title, d.path])).toEqual([
      ['wire#1', 'Tram line approved', 'wire.jsonl.1.txt'],
      ['wire#2', 'School roof repaired', 'wire.jsonl.2.txt'],
    ]);
    const answer = await ask('How much will the airport tram line cost?');
    expect(answer.quotes[0]!.source.id).toBe('wire#1');
    await expectVerbatim(answer);
  });

  it('reports a refused, looping, slow or oversized fetch in one line, changes nothing, and keeps answering', async () => {
    const before = (await fs.readdir(corpus)).sort();
    // A refused address or an oversized page is the input's fault (exit 2); a loop or a time-out is a failure (exit 1).
    const cases: [string, Record<string, string>, string, number][] = [
      [`${server.base}/news/harbour/bridge-repairs`, {}, 'FETCH_BLOCKED', 2],
      [`${server.base}/loop`, { ALLOW_PRIVATE_FETCH: 'true' }, 'FETCH_TOO_MANY_REDIRECTS', 1],
      [`${server.base}/slow`, { ALLOW_PRIVATE_FETCH: 'true' }, 'FETCH_TIMEOUT', 1],
      [`${server.base}/huge`, { ALLOW_PRIVATE_FETCH: 'true' }, 'FETCH_TOO_LARGE', 2],
    ];
    for (const [url, env, code, exit] of cases) {
      const run = await verbatim(['add', url], env);
      expect(run.code).toBe(exit);
      expect(run.stderr.trim()).toMatch(new RegExp(`^verbatim: .+ \\[${code}\\]$`));
    }
    expect((await fs.readdir(corpus)).sort()).toEqual(before);
    const answer = await ask('How many steel cables were found to be corroded?');
    expect(answer.quotes[0]!.text).toContain('42 of the steel cables');
  });
});

describe('verbatim feed', () => {
  it('follows RSS and Atom feeds, adds new items on poll (the feed content when a link fails), and only once', async () => {
    expect((await verbatim(['feed', 'add', `${server.base}/feed.rss`])).code).toBe(0);
    expect((await verbatim(['feed', 'add', `${server.base}/atom.xml`])).code).toBe(0);
    const notAFeed = await verbatim(['feed', 'add', `${server.base}/news/harbour/bridge-repairs`]);
    expect(notAFeed.stderr).toMatch(/\[FETCH_UNSUPPORTED_TYPE\]/);
    const list = JSON.parse((await verbatim(['feed', 'list', '--json'])).stdout);
    expect(list.map((f: { url: string; title: string }) => [f.url, f.title])).toEqual([
      [`${server.base}/feed.rss`, 'Harbour Times: Local'],
      [`${server.base}/atom.xml`, 'Valley Gazette'],
    ]);
    expect(JSON.parse(await fs.readFile(path.join(store, 'feeds.json'), 'utf8')).feeds).toHaveLength(2);

    const poll = await verbatim(['feed', 'poll', '--json']);
    expect(poll.code, poll.stderr).toBe(0);
    const report = JSON.parse(poll.stdout);
    expect(report.feeds.map((f: { added: { title: string }[] }) => f.added.map((a) => a.title))).toEqual([
      ['Eastfield market to open in June', 'Library extends opening hours'],
      ['Wildfire burns forest near Pine Ridge'],
    ]);
    // Titles from the pages' OpenGraph tags (these pages carry no JSON-LD).
    expect(report.documents.map((d: { title: string }) => d.title.replace(' (OG)', '')).sort()).toEqual([
      'Eastfield market to open in June',
      'Library extends opening hours',
      'Wildfire burns forest near Pine Ridge',
    ]);
    // A page's own date wins over its feed item's (3 and 1 March); an item stored from the feed's content has the feed's.
    const listed = JSON.parse((await verbatim(['sources', '--json'])).stdout) as { title: string; published: string | null }[];
    const dateOf = (title: string) => listed.find((s) => s.title.replace(' (OG)', '') === title)?.published;
    expect([dateOf('Eastfield market to open in June'), dateOf('Library extends opening hours'), dateOf('Wildfire burns forest near Pine Ridge')]).toEqual(['2025-02-09T10:00:00.000Z', '2025-03-04T09:00:00.000Z', '2025-02-09T10:00:00.000Z']);
    const text = await verbatim(['feed', 'poll']);
    expect(text.stdout).toContain('Harbour Times: Local (');
    expect(text.stdout).toMatch(/0 new items added/);

    const fire = await ask('How many hectares did the Pine Ridge wildfire burn?');
    expect(fire.quotes[0]!.text).toContain('1,200 hectares');
    const library = await ask('Until what time will the central library stay open?');
    expect(library.quotes[0]!.text).toContain('9pm');
    await expectVerbatim(fire);
    await expectVerbatim(library);
  });
});
