/** Sources, quotes and answers for the Discord reply tests: short ones, and ones far too long for any limit. */
import type { Answer, Quote, QuoteSource } from '../../../src/answer/types.js';

export function source(i: number, long = false): QuoteSource {
  const title = long ? `A very long title ${'about many things '.repeat(30)}${i}` : `Title ${i}`;
  return { id: `doc_${i}`, path: `doc_${i}.txt`, title, outlet: long ? 'O'.repeat(300) : 'Outlet', author: null, url: `https://example.com/${i}`, published: '2025-03-16T00:00:00Z' };
}

export function quote(i: number, length: number, long = false): Quote {
  const text = `Sentence ${i} says *this* and_that <@&1> @everyone. `.repeat(Math.ceil(length / 50)).slice(0, length);
  return {
    text,
    source: source(i, long),
    start: 0,
    end: text.length,
    score: 0.9,
    relevance: 0.9,
    alsoReportedBy: long ? Array.from({ length: 8 }, (_, j) => ({ source: source(100 + j, true), text, start: 0, end: text.length })) : undefined,
  };
}

export function answerOf(quotes: Quote[], long = false): Answer {
  return {
    question: long ? 'Why? '.repeat(200) : 'What happened?',
    quotes,
    searched: { documents: 10, passages: 100 },
    discrepancies: long
      ? Array.from({ length: 5 }, (_, d) => ({
          about: `figure ${d} `.repeat(20),
          values: Array.from({ length: 6 }, (_, v) => ({ value: v, unit: 'km2', text: `${v} sq km`.repeat(5), source: source(v, true), start: 0, end: 1 })),
        }))
      : undefined,
  };
}
