import { beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli, type Run } from '../helpers/cli.js';
import { foldersRemovedAfterAll, copySeedCorpus, fileText, temporaryFolder } from '../helpers/seeds.js';

/** Runs the built CLI as a user would, with no terminal attached. */
function verbatim(args: string[], input = '', env: Record<string, string> = {}): Promise<Run> {
  return runCli(args, { input, env });
}

const folders = foldersRemovedAfterAll();
let corpus: string;
let store: string;
beforeAll(async () => {
  corpus = await copySeedCorpus();
  store = await temporaryFolder('verbatim-cli-store-');
  folders.push(corpus, store);
  const indexed = await verbatim(['index', '--corpus', corpus, '--store', store]);
  expect(indexed.code, indexed.stderr).toBe(0);
});

const at = () => ['--corpus', corpus, '--store', store];
/** A failure is one line that names its code, and never a stack trace. */
function expectOneLineFailure(run: Run, code: string) {
  const lines = run.stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(new RegExp(`^verbatim: .+ \\[${code}\\]$`));
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('verbatim ask --json', () => {
  it('answers each line of standard input with one JSON object whose quotes are exact slices', async () => {
    const questions = ['How many troops did North Korea send to Kursk?', '', 'Who won the Champions League final?'];
    const run = await verbatim(['ask', '--json', ...at()], questions.join('\n'));
    expect(run.code, run.stderr).toBe(0);
    const answers = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers.map((a) => a.question)).toEqual([questions[0], questions[2]]);
    expect(answers[0].quotes.length).toBeGreaterThan(0);
    expect(answers[1].quotes).toEqual([]);
    for (const quote of answers[0].quotes) {
      expect(quote.text).toBe((await fileText(corpus, quote.source.path)).slice(quote.start, quote.end));
      expect(Object.keys(quote.source).sort()).toEqual(['author', 'collection', 'id', 'outlet', 'path', 'published', 'retrieved', 'title', 'url']);
      expect(quote.source.collection).toBe('default');
    }
  });

  it('answers a question given as arguments, on the terminal format', async () => {
    const run = await verbatim(['ask', ...at(), 'When', 'did', 'the', 'Kursk', 'incursion', 'begin?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Q: When did the Kursk incursion begin\?/);
    expect(run.stdout).toMatch(/1\. “.+August.+”/);
    expect(run.stdout).toMatch(/— .+\.txt\), characters \d+–\d+/);
  });

  it('lists the sources with their metadata', async () => {
    const run = await verbatim(['sources', '--json', ...at()]);
    const sources = JSON.parse(run.stdout);
    expect(sources).toHaveLength(5);
    expect(sources.find((s: { id: string }) => s.id === '002_3efe642ed5a47036')).toMatchObject({ author: 'Thomas Mackintosh', outlet: 'BBC News' });
  });
});

describe('bad input', () => {
  it('a blank question: one line, exit 2', async () => {
    const run = await verbatim(['ask', ...at(), '   ']);
    expect(run.code).toBe(2);
    expectOneLineFailure(run, 'QUESTION_EMPTY');
  });

  it('a 10,000-character question: one line, exit 2', async () => {
    const run = await verbatim(['ask', ...at(), 'why '.repeat(2500)]);
    expect(run.code).toBe(2);
    expectOneLineFailure(run, 'QUESTION_TOO_LONG');
  });

  it('in a batch, a bad line is reported in its place and the others are answered', async () => {
    const run = await verbatim(['ask', '--json', ...at()], `${'x'.repeat(5000)}\nWhat did Syrsky say about strikes?\n`);
    const [bad, good] = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(bad.error.code).toBe('QUESTION_TOO_LONG');
    expect(good.quotes.length).toBeGreaterThan(0);
    expect(run.code).toBe(2);
  });

  it('control characters are dropped and the question is answered', async () => {
    // Standard input, since an argument cannot carry a NUL byte.
    const run = await verbatim(['ask', '--json', ...at()], 'How many\u0007 North\u0000 Korean troops\u001b[31m were killed?\n');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.question).not.toMatch(/[\u0000-\u001f]/);
    expect(answer.quotes.length).toBeGreaterThan(0);
  });

  it('a question in another script gets a sensible answer, not a failure', async () => {
    const run = await verbatim(['ask', '--json', ...at(), 'Сколько территории удерживает Украина?']);
    expect(run.code).toBe(0);
    expect(Array.isArray(JSON.parse(run.stdout).quotes)).toBe(true);
  });

  it('a missing corpus folder: one line, exit 2 (a user error in the catalogue)', async () => {
    const run = await verbatim(['ask', '--corpus', '/nonexistent/verbatim', '--store', await temporaryFolder(), 'anything?']);
    expect(run.code).toBe(2);
    expectOneLineFailure(run, 'CORPUS_NOT_FOUND');
  });

  it('an empty corpus folder: one line, exit 2', async () => {
    const empty = await temporaryFolder();
    folders.push(empty);
    const run = await verbatim(['index', '--corpus', empty, '--store', empty]);
    expect(run.code).toBe(2);
    expectOneLineFailure(run, 'CORPUS_EMPTY');
  });

  it('a truncated store file: a warning, a rebuild, and an answer', async () => {
    const current = (await fs.readFile(path.join(store, 'index', 'CURRENT'), 'utf8')).trim();
    const { segments } = JSON.parse(await fs.readFile(path.join(store, 'index', current), 'utf8')) as { segments: { name: string }[] };
    const file = path.join(store, 'index', 'segments', segments[0]!.name, 'lexical.bin');
    await fs.truncate(file, 10);
    const run = await verbatim(['ask', '--json', ...at(), 'How many troops did North Korea send?']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: The index is damaged \(lexical\.bin/);
    expect(JSON.parse(run.stdout).quotes.length).toBeGreaterThan(0);
  });

  it('a bad setting: one line naming it and its value, exit 2', async () => {
    const run = await verbatim(['sources', ...at()], '', { COOLDOWN_SECONDS: 'soon' });
    expect(run.code).toBe(2);
    expectOneLineFailure(run, 'CONFIG_INVALID');
    expect(run.stderr.trim()).toBe('verbatim: Setting COOLDOWN_SECONDS is invalid: "soon" is not a non-negative number. [CONFIG_INVALID]');
  });

  it('an unknown command or option: usage hint, exit 2', async () => {
    const unknown = await verbatim(['frobnicate']);
    expect(unknown.code).toBe(2);
    expectOneLineFailure(unknown, 'USAGE');
    const option = await verbatim(['ask', '--k', 'lots', 'question']);
    expect(option.code).toBe(2);
    expectOneLineFailure(option, 'USAGE');
  });
});
