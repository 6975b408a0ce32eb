/**
 * Re-checking quotes against live pages served on loopback: as published (present), edited
 * (changed, with the closest sentence and the words that differ), removed (404, 410, or rewritten
 * past recognition: gone) and failing (500, a closed port, a refused address, no URL: unreachable).
 */
import { createServer } from 'node:net';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { FetchPolicy } from '../../src/ingest/fetch.js';
import { matchQuote, normalizeText } from '../../src/ingest/verify/match.js';
import { LivePages, verifyQuotes, type QuoteToVerify } from '../../src/ingest/verify/verify.js';
import { DAM_ARTICLES, writeServedDamCorpus } from '../export/corpus.js';
import { MODEL_DIR, temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, serve, startServer, type TestServer } from './fixtures.js';

const CRACKS = 'Workers began repairing the Riverside dam on Monday after inspectors found cracks in 12 of its concrete panels.';
const COST = 'The repairs will cost 7 million dollars, the regional water board said in a statement.';
const QUOTE_MARKS = 'Engineer Chloé Martin said the work was “overdue, but manageable”, and that the reservoir would stay open.';

let server: TestServer;
let closedPort: string;
beforeAll(async () => {
  server = await startServer();
  const page = (paragraphs: string[]) => serve('text/html; charset=utf-8', articleHtml({ title: 'Riverside dam repairs begin', paragraphs }));
  // Republished with straight quotes, a non-breaking space and the sentences in separate paragraphs: still the same words.
  server.routes.set('/present', page([CRACKS, COST, QUOTE_MARKS.replace(/[“”]/g, '"').replace('Chloé Martin', 'Chloé\u00a0Martin')]));
  server.routes.set('/edited', page([CRACKS.replace('12', '14').replace('on Monday ', ''), COST, 'The reservoir stays open.']));
  server.routes.set('/rewritten', page(['Orchards in the valley picked a record apple harvest this autumn, growers said.', 'The harvest festival takes place in October.']));
  server.routes.set('/withdrawn', (_req, res) => {
    res.writeHead(410, { 'content-type': 'text/plain' });
    res.end('gone');
  });
  server.routes.set('/broken', (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('down');
  });
  // A port that was free a moment ago and has nothing listening now.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => server?.close());

const policy: FetchPolicy = { maxBytes: 256 * 1024, timeoutMs: 2000, allowPrivate: true };
const quote = (text: string, url: string | null): QuoteToVerify => ({ text, start: 0, end: text.length, source: { url } });

describe('matchQuote', () => {
  it('tolerates typography and spacing, and reports changed words as differences', () => {
    expect(normalizeText('“overdue,\u00a0but  manageable” — it’s')).toBe('"overdue, but manageable" - it\'s');
    expect(matchQuote(QUOTE_MARKS, `Intro.\n\n${QUOTE_MARKS.replace(/[“”]/g, '"')}\n\nOutro.`)).toEqual({ found: 'present' });
    const edited = matchQuote(CRACKS, `Intro text here.\n\n${CRACKS.replace('12', '14')}\n\nOther news.`);
    expect(edited.found).toBe('changed');
    if (edited.found !== 'changed') return;
    expect(edited.closest.text).toBe(CRACKS.replace('12', '14'));
    expect(edited.closest.differences).toEqual([{ removed: '12', added: '14' }]);
    expect(edited.closest.similarity).toBeGreaterThan(0.9);
    expect(matchQuote(CRACKS, 'Orchards in the valley picked a record apple harvest this autumn.').found).toBe('gone');
  });
});

describe('verifyQuotes', () => {
  it('reports present, changed, gone and unreachable against a live server', async () => {
    const pages = new LivePages(policy);
    const checks = await verifyQuotes(
      [
        quote(QUOTE_MARKS, `${server.base}/present`),
        quote(CRACKS, `${server.base}/present`),
        quote(CRACKS, `${server.base}/edited`),
        quote(CRACKS, `${server.base}/missing`),
        quote(CRACKS, `${server.base}/withdrawn`),
        quote(CRACKS, `${server.base}/rewritten`),
        quote(CRACKS, `${server.base}/broken`),
        quote(CRACKS, `${closedPort}/article`),
        quote(CRACKS, null),
      ],
      pages,
    );
    expect(checks.map((c) => c.status)).toEqual(['present', 'present', 'changed', 'gone', 'gone', 'gone', 'unreachable', 'unreachable', 'unreachable']);
    expect(checks[2]!.closest?.differences).toEqual([{ removed: 'on Monday', added: '' }, { removed: '12', added: '14' }]);
    expect(checks[3]!.reason).toMatch(/HTTP 404/);
    expect(checks[4]!.reason).toMatch(/HTTP 410/);
    expect(checks[5]!.reason).toMatch(/no sentence/);
    expect(checks[6]!.reason).toMatch(/HTTP 503/);
    expect(checks[7]!.reason).toMatch(/ECONNREFUSED/);
    expect(checks[8]!.reason).toMatch(/no URL/);
    // Each page was fetched once for the run.
    expect(server.hits.filter((h) => h === '/present')).toHaveLength(1);
  });

  it('counts a page that does not answer in time as unreachable', async () => {
    server.routes.set('/slow', (_req, res) => {
      const timer = setTimeout(() => res.end('late'), 5000);
      res.on('close', () => clearTimeout(timer));
    });
    const [check] = await verifyQuotes([quote(CRACKS, `${server.base}/slow`)], new LivePages({ ...policy, timeoutMs: 300 }));
    expect(check).toMatchObject({ status: 'unreachable', reason: expect.stringMatching(/FETCH_TIMEOUT_MS/) });
  });

  it('keeps the fetch guard: a loopback address is refused, so the quote is unreachable', async () => {
    const [check] = await verifyQuotes([quote(CRACKS, `${server.base}/present`)], new LivePages({ ...policy, allowPrivate: false }));
    expect(check!.status).toBe('unreachable');
    expect(check!.reason).toMatch(/private or local address/);
  });
});

describe('verbatim verify', () => {
  let corpus: string;
  let store: string;
  beforeAll(async () => {
    corpus = await temporaryFolder('verbatim-verify-corpus-');
    store = await temporaryFolder('verbatim-verify-store-');
    await writeServedDamCorpus(corpus, server.base);
  });
  afterAll(async () => Promise.all([corpus, store].map((dir) => dir && fs.rm(dir, { recursive: true, force: true }))));

  function verbatim(args: string[], input = '') {
    return runCliInProcess(args, { MODEL_DIR, ALLOW_PRIVATE_FETCH: 'true', FETCH_TIMEOUT_MS: '2000', CORPUS_DIR: corpus, STORE_DIR: store }, input);
  }

  it('reads ask --json lines and prints one line per answer with each quote\'s status', async () => {
    const asked = await verbatim(['ask', '--json'], 'Why is the Riverside dam being repaired?\nHow much will the dam repairs cost?\n');
    expect(asked.code, asked.stderr).toBe(0);
    const heraldText = DAM_ARTICLES['dam-herald.txt']!.text;
    server.routes.set('/herald', serve('text/html', articleHtml({ paragraphs: heraldText.split('\n').slice(2).filter(Boolean) })));
    server.routes.delete('/courier');
    const run = await verbatim(['verify', '--json'], `${asked.stdout}not json\n`);
    expect(run.code).toBe(2); // the bad line is reported; the answers are still checked
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ line: 3, error: { code: 'VERIFY_INPUT_INVALID' } });
    const quotes = lines.slice(0, 2).flatMap((l) => l.quotes as { status: string; source: { path: string }; text: string }[]);
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) expect(q.status).toBe(q.source.path === 'dam-herald.txt' ? 'present' : 'gone');
    expect(Date.parse(lines[0].checkedAt)).not.toBeNaN();

    // The Herald edits its figure: its quotes that gave it are now "changed", with the new sentence.
    server.routes.set('/herald', serve('text/html', articleHtml({ paragraphs: heraldText.replace('12', '14').split('\n').slice(2).filter(Boolean) })));
    const again = await verbatim(['verify', '--json'], asked.stdout);
    expect(again.code, again.stderr).toBe(0);
    const rechecked = again.stdout.trim().split('\n').flatMap((l) => JSON.parse(l).quotes as { status: string; text: string; source: { path: string }; closest?: { text: string } }[]);
    const herald = rechecked.filter((q) => q.source.path === 'dam-herald.txt');
    for (const q of herald) expect(q.status).toBe(q.text.includes(' 12 ') ? 'changed' : 'present');
    const changed = herald.find((q) => q.status === 'changed');
    expect(changed?.closest?.text).toMatch(/cracks in 14 of its/);

    const text = await verbatim(['verify'], asked.stdout);
    expect(text.stdout).toMatch(/CHANGED: “.*12/);
    expect(text.stdout).toMatch(/“12” → “14”/);
  });

  it('also reads a quote named by its source path and offsets, with its text from the corpus', async () => {
    const heraldText = DAM_ARTICLES['dam-herald.txt']!.text;
    server.routes.set('/herald', serve('text/html', articleHtml({ paragraphs: heraldText.split('\n').slice(2).filter(Boolean) })));
    const file = await fs.readFile(path.join(corpus, 'dam-herald.txt'), 'utf8');
    const sentence = file.split('\n').slice(2).find((line) => line.includes(' 12 '))!;
    const start = file.indexOf(sentence);
    const reference = { path: 'dam-herald.txt', start, end: start + sentence.length };
    const lines = [reference, { ...reference, collection: 'default' }, { ...reference, path: 'no-such.txt' }, { ...reference, end: start }];
    const run = await verbatim(['verify', '--json'], lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(run.code).toBe(2); // the unknown document and the empty span are reported; the others are checked
    const out = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(4);
    for (const checked of out.slice(0, 2)) {
      expect(checked).toMatchObject({ path: 'dam-herald.txt', collection: 'default', quotes: [{ status: 'present', text: sentence, start, end: start + sentence.length }] });
    }
    expect(out[2]).toMatchObject({ line: 3, error: { code: 'DOCUMENT_NOT_FOUND' } });
    expect(out[3]).toMatchObject({ line: 4, error: { code: 'VERIFY_INPUT_INVALID' } });
    // Edited live: the same place is now "changed".
    server.routes.set('/herald', serve('text/html', articleHtml({ paragraphs: heraldText.replace('12', '14').split('\n').slice(2).filter(Boolean) })));
    const again = await verbatim(['verify', '--json'], JSON.stringify(reference));
    expect(JSON.parse(again.stdout.trim()).quotes[0].status).toBe('changed');
  });
});
