import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { openSearcher } from '../../src/answer/open.js';
import type { Searcher } from '../../src/answer/searcher.js';
import type { Answer } from '../../src/answer/types.js';
import { sentencesOf } from '../../src/index/lookup.js';
import { fileText, MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';

/** Questions the seed articles answer, each with what an answering quote must contain. */
const ANSWERED: [question: string, answer: RegExp][] = [
  ['How much territory does Ukraine still hold in Kursk?', /90 (sq km|square kilometers)|700 square kilometers/],
  ['How many Russian troops are trying to push the Ukrainians out?', /10,000/],
  ['When did Ukraine launch its incursion into Kursk?', /August/],
  ['How much Russian land did Ukraine capture at first?', /1,000 (sq km|square kilometers)/],
  ['How many soldiers did North Korea send to Kursk?', /11,000/],
  ['How many North Korean soldiers have been killed?', /1,000 .*killed|killed.*1,000/],
  ['What did Syrsky promise about strikes on Russia?', /scale and depth/],
  ['What will Pyongyang send to rebuild damaged infrastructure?', /mine/],
  ['Why does Ukraine need American permission to fire Storm Shadow missiles?', /elevation maps|guidance/],
  ['Which brigades were defending Malaya Loknya?', /47th Mechanized Brigade/],
  ['What did Zelensky say the Kursk operation achieved?', /buffer/],
  ['How many Russian troops did Ukrainian forces face before they retreated?', /70,000/],
  ['What do Starmer and Macron want Biden to do?', /restrictions/],
  ['How many soldiers are the Russians losing every minute?', /1 soldier every minute/],
];

/** Questions the coverage does not answer, including ones about the sidebar and widget text. */
const NOT_COVERED = [
  'Who are the favourites to win the 2026 World Cup?',
  'Was a robber arrested in Ashaiman?',
  "What is Ghana's AIDS Commission doing about HIV infections?",
  'What is Carbonatix?',
  'What is the capital of France?',
  'How did the stock market perform today?',
  'What is a good recipe for banana bread?',
  'Who won the Champions League final?',
];

let searcher: Searcher;
let store: string;
const answers: Answer[] = [];

beforeAll(async () => {
  store = await temporaryFolder('verbatim-store-');
  searcher = await openSearcher({ corpusDir: SEED_CORPUS, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
});
afterAll(async () => {
  await fs.rm(store, { recursive: true, force: true });
});

describe('answers from the seed corpus', () => {
  it.each(ANSWERED)('%s', async (question, expected) => {
    const answer = await searcher.ask(question);
    answers.push(answer);
    const top = answer.quotes.slice(0, 3).map((q) => q.text);
    expect(top.some((text) => expected.test(text)), `top quotes: ${JSON.stringify(top, null, 1)}`).toBe(true);
  });

  it.each(NOT_COVERED)('no coverage: %s', async (question) => {
    const answer = await searcher.ask(question);
    answers.push(answer);
    expect(answer.quotes, JSON.stringify(answer.quotes.map((q) => q.text))).toEqual([]);
  });

  it('ranks an answer with a date above a subheading that merely names the topic', async () => {
    const answer = await searcher.ask('When did the incursion begin?');
    answers.push(answer);
    expect(answer.quotes[0]!.text).toMatch(/August/);
    const heading = answer.quotes.find((q) => q.text === 'Strategic implications of the incursion');
    if (heading) expect(heading.relevance).toBeGreaterThan(answer.quotes[0]!.relevance);
    const scores = answer.quotes.map((q) => q.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('quotes at most three contiguous sentences within 400 characters, and no two quotes of an answer overlap', () => {
    const data = searcher.store;
    let spans = 0;
    for (const answer of answers) {
      for (const [i, quote] of answer.quotes.entries()) {
        const doc = data.findDocument(quote.source.path)!;
        const inside = sentencesOf(data, doc)
          .map((s) => data.sentence(s))
          .filter((s) => s.start >= quote.start && s.end <= quote.end);
        expect(inside.length).toBeGreaterThanOrEqual(1);
        expect(inside.length).toBeLessThanOrEqual(3);
        expect(inside[0]!.start).toBe(quote.start);
        expect(inside.at(-1)!.end).toBe(quote.end);
        if (inside.length > 1) {
          spans += 1;
          expect(quote.text.length).toBeLessThanOrEqual(400);
        }
        for (const other of answer.quotes.slice(i + 1)) {
          if (other.source.path === quote.source.path) expect(other.start >= quote.end || other.end <= quote.start).toBe(true);
        }
      }
    }
    expect(spans).toBeGreaterThan(0);
  });

  it('quotes every passage verbatim, never from boilerplate', async () => {
    expect(answers.length).toBe(ANSWERED.length + NOT_COVERED.length + 1);
    const documents = new Map(searcher.store.documentNumbers().map((doc) => [searcher.store.document(doc).path, searcher.store.document(doc)]));
    let checked = 0;
    for (const quote of answers.flatMap((a) => a.quotes)) {
      const text = await fileText(SEED_CORPUS, quote.source.path);
      expect(quote.text).toBe(text.slice(quote.start, quote.end));
      const boilerplate = documents.get(quote.source.path)!.boilerplate;
      expect(boilerplate.some((r) => quote.start < r.end && r.start < quote.end)).toBe(false);
      expect(quote.text).not.toMatch(/Carbonatix|Getty|Latest Stories|hours -/);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(ANSWERED.length);
  });
});
