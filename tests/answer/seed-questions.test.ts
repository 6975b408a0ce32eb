import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { openSearcher } from '../../src/answer/open.js';
import type { Searcher } from '../../src/answer/searcher.js';
import type { Answer } from '../../src/answer/types.js';
import { sentencesOf } from '../../src/index/lookup.js';
import { fileText, MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { ANSWERED, NOT_COVERED } from '../helpers/seed-questions.js';

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
