import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATASETS_DIR, newsDir, type NewsQuestion } from '../../src/tools/datasets.js';
import { casefold, containsGold, goldForms, norm } from '../../src/tools/eval/news-match.js';
import { checkQuote, parseAnswerLines, pyRound, scoreAnswers, stem } from '../../src/tools/eval/news-score.js';
import { temporaryFolder } from '../helpers/seeds.js';

// A hand-written article with characters outside the BMP: each emoji is 2 UTF-16 units (JavaScript
// offsets) but 1 code point (Python's len). "Harbor log " is 11 units, the ship 2, "\n\n" 2.
const SHIP = '\u{1F6A2}';
const TEXT = `Harbor log ${SHIP}\n\nThe ferry ${SHIP} left Port Elspeth at dawn on Friday. Gulls followed \u{1F426} it out.\n`;
const at = (s: string) => TEXT.indexOf(s);

function quote(text: string, start: number, end: number, file = 'log.txt') {
  return { text, source: { id: 'log', path: file }, start, end, score: 1 };
}

const QUESTIONS: NewsQuestion[] = [
  { id: 'q1', question: 'Where did the ferry leave from?', answers: ['Port Elspeth'], date: null, goldFiles: ['log'] },
  { id: 'q2', question: 'On which day did it sail?', answers: ['Friday'], date: null, goldFiles: ['log'] },
  { id: 'q3', question: 'What followed it?', answers: ['Gulls'], date: null, goldFiles: ['log'] },
];

describe('the news answer matching (tools/common.py)', () => {
  it('folds case, typography and white space as Python does', () => {
    expect(norm('  The\u00a0Ferry\t\u2019s  \u201cLog\u201d \u2013 DAY\n')).toBe(`the ferry 's "log" - day`);
    expect(casefold('STRASSE Straße \u1E9E')).toBe('strasse strasse ss');
    expect(casefold('\u03A3\u039F\u03A3 \u03C2')).toBe('\u03C3\u03BF\u03C3 \u03C3'); // no final sigma: casefold is per character
    expect(casefold('\u0131\u0130')).toBe('\u0131i\u0307'); // dotless i stays; capital dotted I folds to i + combining dot
    expect(norm('a\u0085b\u200bc')).toBe('a b\u200bc'); // Python splits on NEL, not on a zero-width space
  });

  it('matches an answer only as whole tokens', () => {
    expect(containsGold('Talks with Iranian officials', ['Iran'])).toBe(false);
    expect(containsGold('Talks with Iran, officials said', ['iran'])).toBe(true);
    expect(containsGold('It cost 120 dollars', ['12'])).toBe(false);
    expect(containsGold('It cost $12.', ['$12'])).toBe(true);
    expect(containsGold('The word is "Gulls"', ['"gulls"'])).toBe(true);
    expect(containsGold('anything', ['', '  '])).toBe(false);
    expect(containsGold('It won the Emmy (2024) award', ['Emmy (2024)'])).toBe(true); // regex characters are literal
  });

  it('accepts a quoted title without its quotation marks', () => {
    expect(goldForms(['\u201cNight Shift\u201d', 'Dawn'])).toEqual(['\u201cNight Shift\u201d', 'Dawn', 'Night Shift']);
    expect(containsGold('the show Night Shift returns', goldForms(['"Night Shift"']))).toBe(true);
  });

  it('rounds as Python does (exact value, ties to even) and normalises paths as os.path does', () => {
    expect(pyRound(364.25, 1)).toBe(364.2);
    expect(pyRound(364.75, 1)).toBe(364.8);
    expect(pyRound(0.125, 2)).toBe(0.12);
    expect(pyRound(2.675, 2)).toBe(2.67); // 2.675 is stored just below the tie
    expect(pyRound(2 / 3, 4)).toBe(0.6667);
    expect(stem(quote('x', 0, 1, './log.txt'))).toBe('log');
    expect(stem(quote('x', 0, 1, '../log.txt'))).toBe('../log');
    expect(stem(quote('x', 0, 1, 'a/./b/../log.txt'))).toBe('a/log');
  });
});

describe('the news scorer (tools/score.py), on a hand-made corpus with emoji', () => {
  let dir: string;
  let corpus: string;
  beforeAll(async () => {
    dir = await temporaryFolder('verbatim-news-score-');
    corpus = path.join(dir, 'corpus');
    await fs.mkdir(corpus);
    await fs.writeFile(path.join(corpus, 'log.txt'), TEXT);
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const answers = () => [
    {
      question: QUESTIONS[0]!.question,
      quotes: [
        quote(`The ferry ${SHIP} left`, at('The ferry'), at(' Port')), // verbatim: an emoji inside the quote
        quote('Port Elspeth', at('Port'), at('Port') + 12), // verbatim: after an emoji, UTF-16 offsets
        quote('Port Elspeth', at('Port') - 2, at('Port') + 10), // not: code point offsets
        quote(SHIP, at(SHIP) + 1, at(SHIP) + 2), // not: splits the surrogate pair
      ],
    },
    {
      question: QUESTIONS[1]!.question,
      quotes: [
        quote('on Friday.', at('on Friday'), at('on Friday') + 10, '../log.txt'), // not: outside the corpus
        quote('Port Elspeth', at('Port') - 2, at('Port') + 10), // not: code point offsets again
      ],
    },
  ]; // q3 has no answer line at all

  it('checks quotes against the file in UTF-16 units', () => {
    const cache = new Map();
    const [first, second] = answers();
    expect(first!.quotes.map((q) => checkQuote(q, corpus, cache))).toEqual([
      null,
      null,
      expect.stringContaining('text differs'),
      expect.stringContaining('split a surrogate pair'),
    ]);
    expect(checkQuote(second!.quotes[0], corpus, cache)).toBe('path outside corpus: ../log.txt');
    expect(checkQuote({ text: 'x', source: { path: 'missing.txt' }, start: 0, end: 1 }, corpus, cache)).toMatch(/^cannot read/);
    expect(checkQuote({ text: 'x', source: {}, start: 0, end: 1 }, corpus, cache)).toBe('no source.path');
    expect(checkQuote({ text: 'x', source: { path: 'log.txt' }, start: 5, end: 1e6 }, corpus, cache)).toMatch(/^bad offsets/);
  });

  it("gives test_score.py's figures: verbatim-only answer@k, cited gold file@k, zero quotes, mean length in code points", () => {
    const lines = `log line that is not JSON\n${answers().map((a) => JSON.stringify(a)).join('\n')}\n`;
    const parsed = parseAnswerLines(lines);
    expect(parsed).toHaveLength(2);
    const { summary, failures } = scoreAnswers(QUESTIONS, parsed, corpus, [1, 3]);
    expect(summary).toMatchObject({
      questions: 3, answers: 2, quotes: 6, verbatim_rate: pyRound(2 / 6, 4),
      'answer@1': pyRound(1 / 3, 4), 'answer_verbatim@1': 0,
      'answer@3': pyRound(2 / 3, 4), 'answer_verbatim@3': pyRound(1 / 3, 4),
      'cited_gold@1': pyRound(1 / 3, 4), 'cited_gold@3': pyRound(2 / 3, 4),
      zero_quote_rate: pyRound(1 / 3, 4), mean_quotes: 2, mean_quote_chars: 10.5, // 63 code points (65 UTF-16 units) / 6
    });
    expect(summary.warnings).toEqual(['2 answers for 3 questions (missing ones count as no quotes)']);
    expect(failures.join('\n')).toMatch(/split a surrogate pair[\s\S]*path outside corpus/);
  });

  it('counts an answer split across two quotes, as score.py joins them with a newline', () => {
    const split = [{ quotes: [quote('left Port', at('left'), at('left') + 9), quote('Elspeth at dawn', at('Elspeth'), at('Elspeth') + 15)] }];
    expect(scoreAnswers(QUESTIONS.slice(0, 1), split, corpus, [1, 2]).summary).toMatchObject({ 'answer_verbatim@1': 0, 'answer_verbatim@2': 1 });
  });

  const tools = path.join(newsDir(DEFAULT_DATASETS_DIR), 'tools');
  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!python)('agrees with score.py itself on the same files (needs python3)', async () => {
    await fs.writeFile(path.join(dir, 'questions.jsonl'), QUESTIONS.map((q) => JSON.stringify({ ...q, gold_files: q.goldFiles })).join('\n'));
    await fs.writeFile(path.join(dir, 'answers.jsonl'), answers().map((a) => JSON.stringify(a)).join('\n'));
    const stdout = execFileSync('python3', [
      path.join(tools, 'score.py'), '--questions', path.join(dir, 'questions.jsonl'), '--answers', path.join(dir, 'answers.jsonl'),
      '--corpus', corpus, '--k', '1,3', '--json',
    ], { encoding: 'utf8' });
    const theirs = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    const ours = scoreAnswers(QUESTIONS, parseAnswerLines(await fs.readFile(path.join(dir, 'answers.jsonl'), 'utf8')), corpus, [1, 3]).summary;
    expect(ours).toEqual(theirs);
  });
});
