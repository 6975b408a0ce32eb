import { describe, expect, it } from 'vitest';
import { packPassages, segmentSentences } from '../../src/index/segment.js';

const texts = (text: string, skip: { start: number; end: number }[] = []) =>
  segmentSentences(text, skip).map((s) => text.slice(s.start, s.end));

describe('sentences', () => {
  it('splits paragraphs into sentences whose offsets slice the original text exactly', () => {
    const text = '  First point here. Second point, with "a quote."\r\n\r\nA new paragraph?  Yes! \n';
    const sentences = segmentSentences(text, []);
    expect(sentences.map((s) => text.slice(s.start, s.end))).toEqual([
      'First point here.',
      'Second point, with "a quote."',
      'A new paragraph?',
      'Yes!',
    ]);
    expect(sentences.map((s) => s.paragraph)).toEqual([0, 0, 1, 1]);
  });

  it('does not break after abbreviations and initials', () => {
    expect(texts('Gen. Smith met Mr. Jones in the U.S. capital on Monday. Talks ended late.')).toEqual([
      'Gen. Smith met Mr. Jones in the U.S. capital on Monday.',
      'Talks ended late.',
    ]);
  });

  it('leaves out skipped ranges and lines without words', () => {
    const text = 'Kept sentence one.\nSKIPPED WIDGET\n-\nKept sentence two.';
    const skip = [{ start: text.indexOf('SKIPPED'), end: text.indexOf('SKIPPED') + 14 }];
    expect(texts(text, skip)).toEqual(['Kept sentence one.', 'Kept sentence two.']);
  });

  it('keeps offsets exact around characters outside the basic plane', () => {
    const text = 'Fans cheered 🎉 loudly. The match ended 2–1 — a “famous” win.';
    for (const s of segmentSentences(text, [])) expect(text.slice(s.start, s.end).trim()).toBe(text.slice(s.start, s.end));
    expect(texts(text)).toEqual(['Fans cheered 🎉 loudly.', 'The match ended 2–1 — a “famous” win.']);
  });
});

describe('passages', () => {
  it('packs sentences up to the token limit and overlaps by one sentence', () => {
    expect(packPassages([40, 40, 40, 40, 40], { maxTokens: 100, overlapSentences: 1 })).toEqual([
      { first: 0, end: 2 },
      { first: 1, end: 3 },
      { first: 2, end: 4 },
      { first: 3, end: 5 },
    ]);
  });

  it('gives an over-long sentence a passage of its own and always moves forward', () => {
    expect(packPassages([500, 10, 10], { maxTokens: 100, overlapSentences: 1 })).toEqual([
      { first: 0, end: 1 },
      { first: 1, end: 3 },
    ]);
    expect(packPassages([], { maxTokens: 100, overlapSentences: 1 })).toEqual([]);
  });

  it('covers every sentence', () => {
    const counts = Array.from({ length: 37 }, (_, i) => 5 + ((i * 17) % 60));
    const passages = packPassages(counts, { maxTokens: 128, overlapSentences: 1 });
    const covered = new Set(passages.flatMap((p) => Array.from({ length: p.end - p.first }, (_, j) => p.first + j)));
    expect(covered.size).toBe(counts.length);
    for (const p of passages) {
      const tokens = counts.slice(p.first, p.end).reduce((a, b) => a + b, 0);
      expect(p.end - p.first === 1 || tokens <= 128).toBe(true);
    }
  });
});
