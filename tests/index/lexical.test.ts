import { describe, expect, it } from 'vitest';
import { indexTerms, LexicalIndex, normalizeTerm, searchBm25, tokenizeWords } from '../../src/index/lexical.js';

const passages = [
  'The council approved the budget on Tuesday.',
  'Firefighters fought the blaze near the ridge for three days.',
  'The budget cuts 120 jobs; the council said the budget is balanced.',
  'Rain is expected on Thursday.',
];

/** BM25 by the textbook formula (k1 1.2, b 0.75), written out independently of the index. */
function bm25(query: string, texts: string[]): number[] {
  const termLists = texts.map((t) => tokenizeWords(t).map(normalizeTerm).filter((w): w is string => w !== null));
  const average = termLists.reduce((n, l) => n + l.length, 0) / texts.length;
  return termLists.map((list) =>
    indexTerms(query).reduce((score, term) => {
      const tf = list.filter((w) => w === term).length;
      if (tf === 0) return score;
      const n = termLists.filter((l) => l.includes(term)).length;
      const idf = Math.log(1 + (texts.length - n + 0.5) / (n + 0.5));
      return score + (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * list.length) / average));
    }, 0),
  );
}

describe('BM25 over passages', () => {
  it('scores as the textbook formula does, best first', () => {
    const index = LexicalIndex.build(passages);
    const hits = index.query('What did the council say about the budget?', 10);
    const expected = bm25('What did the council say about the budget?', passages);
    const ranked = expected.map((score, i) => ({ i, score })).filter((x) => x.score > 0).sort((a, b) => b.score - a.score);
    expect(hits.map((h) => h.passage)).toEqual(ranked.map((x) => x.i));
    expect(hits.map((h) => h.passage).sort()).toEqual([0, 2]);
    for (const hit of hits) expect(hit.score).toBeCloseTo(expected[hit.passage]!, 4);
  });

  it('finds nothing for words it has never seen, and honours the limit', () => {
    const index = LexicalIndex.build(passages);
    expect(index.query('zeppelin', 10)).toEqual([]);
    expect(index.query('budget council rain', 1)).toHaveLength(1);
  });

  it('reads back exactly what it wrote, and refuses a truncated copy', () => {
    const index = LexicalIndex.build(passages);
    const bytes = index.serialize();
    const copy = LexicalIndex.deserialize(bytes);
    expect(copy.query('budget jobs', 10)).toEqual(index.query('budget jobs', 10));
    expect(() => LexicalIndex.deserialize(bytes.subarray(0, bytes.length - 8))).toThrow();
  });
});

describe('BM25 over parts (segments)', () => {
  const question = 'What did the council say about the budget on Thursday?';
  const scores = (hits: { passage: number; score: number }[]) => hits.map((h) => [h.passage, Number(h.score.toFixed(5))]);

  it('scores with the collection statistics, however the passages are split', () => {
    const whole = LexicalIndex.build(passages);
    const parts = [
      { index: LexicalIndex.build(passages.slice(0, 1)), base: 0 },
      { index: LexicalIndex.build(passages.slice(1, 3)), base: 1 },
      { index: LexicalIndex.build(passages.slice(3)), base: 3 },
    ];
    expect(scores(searchBm25(parts, question, 10))).toEqual(scores(whole.query(question, 10)));
  });

  it('leaves removed passages out of results and statistics, as if they had never been indexed', () => {
    const dead = new Uint8Array([0, 1]);
    const parts = [
      { index: LexicalIndex.build(passages.slice(0, 2)), base: 0 },
      { index: LexicalIndex.build(passages.slice(2)), base: 2, dead },
    ];
    const without = LexicalIndex.build([passages[0]!, passages[1]!, passages[2]!]);
    expect(scores(searchBm25(parts, question, 10))).toEqual(scores(without.query(question, 10)));
  });

  it('merges parts into one without reading text again', () => {
    const a = LexicalIndex.build(passages.slice(0, 2));
    const b = LexicalIndex.build(passages.slice(2));
    const merged = LexicalIndex.merge(
      [
        { index: a, map: Int32Array.from([0, -1]) },
        { index: b, map: Int32Array.from([1, 2]) },
      ],
      3,
    );
    const direct = LexicalIndex.build([passages[0]!, passages[2]!, passages[3]!]);
    expect(scores(merged.query(question, 10))).toEqual(scores(direct.query(question, 10)));
    expect(LexicalIndex.deserialize(merged.serialize()).query('rain', 5)).toEqual(direct.query('rain', 5));
  });
});
