/**
 * Collections on the command line: `add --collection` creates one, each collection's questions
 * read it and the shared ones (never another's), every quote is an exact slice of its collection's
 * corpus file, and bad or unknown names exit 2 with one line, creating nothing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from '../helpers/cli.js';
import { copySeedCorpus, fileText, temporaryFolder } from '../helpers/seeds.js';

let root: string;
let env: Record<string, string>;

function verbatim(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return runCli(args, { cwd: root, env: { ...env, ...extraEnv } });
}

const ARTICLES = {
  alpha: ['Harbour bridge to close', '', 'The Kingsport harbour bridge will close for repairs on 4 June, the port authority said on Monday. The repairs will cost 12 million dollars and take two years.', ''].join('\n'),
  beta: ['Zoo welcomes a panda', '', 'The Marlow city zoo welcomed a giant panda named Bao on Friday, its director said. The panda arrived by air from Chengdu after a two-day journey.', ''].join('\n'),
};
const QUESTIONS = {
  alpha: 'When will the Kingsport harbour bridge close for repairs?',
  beta: 'Which animal did the Marlow zoo welcome?',
  default: 'How many troops did North Korea send to Kursk?',
};
/** Who may read what: each collection itself plus the shared `default`. */
const READS: Record<string, string[]> = { alpha: ['alpha', 'default'], beta: ['beta', 'default'], default: ['default'] };

interface JsonQuote {
  text: string;
  start: number;
  end: number;
  source: { collection: string; path: string };
  alsoReportedBy?: JsonQuote[];
}

let corpusDirs: Record<string, string>;

beforeAll(async () => {
  root = await temporaryFolder('verbatim-cli-collections-');
  const corpus = await copySeedCorpus();
  env = { CORPUS_DIR: corpus, STORE_DIR: path.join(root, 'store'), COLLECTIONS_DIR: path.join(root, 'collections') };
  for (const [name, text] of Object.entries(ARTICLES)) await fs.writeFile(path.join(root, `${name}-article.txt`), text);
  for (const name of ['alpha', 'beta']) {
    const added = await verbatim(['add', '--json', '--collection', name, `${name}-article.txt`]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).documents[0]).toMatchObject({ collection: name, path: `${name}-article.txt` });
  }
  const listed = await verbatim(['collections', '--json']);
  corpusDirs = Object.fromEntries((JSON.parse(listed.stdout) as { name: string; corpusDir: string }[]).map((c) => [c.name, c.corpusDir]));
}, 180_000);
afterAll(async () => fs.rm(root, { recursive: true, force: true }));

async function quotesOf(collection: string, question: string, extraEnv: Record<string, string> = {}): Promise<JsonQuote[]> {
  const run = await verbatim(['ask', '--json', '--collection', collection, question], extraEnv);
  expect(run.code, run.stderr).toBe(0);
  const quotes = (JSON.parse(run.stdout) as { quotes: JsonQuote[] }).quotes;
  for (const quote of quotes.flatMap((q) => [q, ...(q.alsoReportedBy ?? [])])) {
    expect(quote.text).toBe((await fileText(corpusDirs[quote.source.collection]!, quote.source.path)).slice(quote.start, quote.end));
  }
  return quotes;
}

describe('verbatim collections', () => {
  it('lists every collection with its absolute corpus folder, size, and whether it is shared', async () => {
    await verbatim(['index']);
    const run = await verbatim(['collections', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const listing = JSON.parse(run.stdout);
    expect(listing).toEqual([
      { name: 'default', corpusDir: env.CORPUS_DIR, documents: 5, passages: expect.any(Number), shared: true },
      { name: 'alpha', corpusDir: path.join(root, 'collections', 'alpha', 'corpus'), documents: 1, passages: 1, shared: false },
      { name: 'beta', corpusDir: path.join(root, 'collections', 'beta', 'corpus'), documents: 1, passages: 1, shared: false },
    ]);
    expect((await verbatim(['collections'])).stdout).toMatch(/^default \(shared\): 5 documents/);
  });
});

describe('reading a collection', () => {
  it('quotes only what the collection may read: its own articles and the shared ones, each from its own corpus folder', async () => {
    for (const reader of ['alpha', 'beta', 'default']) {
      for (const [about, question] of Object.entries(QUESTIONS)) {
        const quotes = await quotesOf(reader, question);
        const collections = new Set(quotes.flatMap((q) => [q, ...(q.alsoReportedBy ?? [])]).map((q) => q.source.collection));
        for (const collection of collections) expect(READS[reader]).toContain(collection);
        if (READS[reader]!.includes(about)) expect(quotes[0]?.source.collection, `${reader} asking about ${about}`).toBe(about);
        else expect(collections.has(about)).toBe(false);
      }
    }
  }, 300_000);

  it('lists its own and the shared sources, each with its collection', async () => {
    const run = await verbatim(['sources', '--json', '--collection', 'alpha']);
    const sources = JSON.parse(run.stdout) as { collection: string }[];
    expect(sources.filter((s) => s.collection === 'alpha')).toHaveLength(1);
    expect(sources.filter((s) => s.collection === 'default')).toHaveLength(5);
    expect(sources.some((s) => s.collection === 'beta')).toBe(false);
  });

  it('shares nothing when SHARED_COLLECTIONS is empty, and takes the collection from VERBATIM_COLLECTION', async () => {
    expect(await quotesOf('alpha', QUESTIONS.default, { SHARED_COLLECTIONS: '' })).toEqual([]);
    const run = await verbatim(['ask', '--json', QUESTIONS.beta], { VERBATIM_COLLECTION: 'beta' });
    expect(JSON.parse(run.stdout).quotes[0].source.collection).toBe('beta');
  }, 120_000);
});

describe('bad and unknown collections', () => {
  /** One line naming the code, never a stack trace. */
  function expectRefused(run: Run, code: string) {
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(new RegExp(`^verbatim: .+ \\[${code}\\]$`));
  }

  it('refuses names that are not collection names, creating nothing', async () => {
    const names = ['../x', 'A B', '', 'Alpha', '-x', '_x', 'a'.repeat(65), 'a/b', 'x.y'];
    const runs = await Promise.all(names.map((name, i) => verbatim([i % 2 ? 'ask' : 'add', `--collection=${name}`, i % 2 ? 'anything?' : 'alpha-article.txt'])));
    for (const run of runs) expectRefused(run, 'COLLECTION_INVALID');
    expectRefused(await verbatim(['ask', '--collection', '../x', 'anything?']), 'COLLECTION_INVALID');
    // A value that looks like an option is refused by the parser, in one line too.
    expectRefused(await verbatim(['ask', '--collection', '-x', 'anything?']), 'USAGE');
    expectRefused(await verbatim(['sources'], { VERBATIM_COLLECTION: 'A B' }), 'CONFIG_INVALID');
    expectRefused(await verbatim(['sources'], { SHARED_COLLECTIONS: 'default,../x' }), 'CONFIG_INVALID');
    expect((await fs.readdir(path.join(root, 'collections'))).sort()).toEqual(['alpha', 'beta']);
    expect((await fs.readdir(root)).some((name) => name === 'x')).toBe(false);
  }, 180_000);

  it('refuses to read a collection that does not exist, and --corpus or --store with another collection', async () => {
    for (const command of [['ask', 'anything?'], ['sources'], ['compare', 'troops'], ['index'], ['feed', 'list']]) {
      expectRefused(await verbatim([...command, '--collection', 'gamma']), 'COLLECTION_UNKNOWN');
    }
    expectRefused(await verbatim(['ask', '--collection', 'alpha', '--corpus', env.CORPUS_DIR!, 'anything?']), 'USAGE');
    expect((await fs.readdir(path.join(root, 'collections'))).sort()).toEqual(['alpha', 'beta']);
  }, 180_000);
});
