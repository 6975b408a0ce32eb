/**
 * Finding a quote in a page's live text. Text is compared after the changes a republication makes
 * without changing what is said (Unicode forms, typographic quotes and dashes, spacing); a quote
 * found whole that way is present. Otherwise the live sentences closest in words are sought, and
 * what differs is listed word by word, so a changed figure or name shows as such.
 */
import { segmentSentences } from '../../index/segment.js';

/** Below this word similarity, no live sentence is taken for an edit of the quote: it is gone. */
export const CHANGED_SIMILARITY = 0.5;

/** The quote's words against the closest live text's: what was taken out and what was put in. */
export interface Difference {
  removed: string;
  added: string;
}

export interface Closest {
  /** The live sentence (or run of sentences) most like the quote, as the page has it. */
  text: string;
  /** Shared words, 2·LCS / (quote words + live words), from 0 to 1. */
  similarity: number;
  differences: Difference[];
}

export type Match = { found: 'present' } | { found: 'changed'; closest: Closest } | { found: 'gone'; closest: Closest | null };

/** The text with typography and spacing made plain: what "the same words" is judged on. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4`]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
}

const WORD = /[\p{L}\p{N}]+(?:['.,-][\p{L}\p{N}]+)*/gu;
const words = (text: string) => normalizeText(text).match(WORD) ?? [];
const key = (word: string) => word.toLowerCase();

/** The longest common subsequence of two word lists, as pairs of positions. */
function commonWords(a: readonly string[], b: readonly string[]): [number, number][] {
  const table = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = key(a[i]!) === key(b[j]!) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (key(a[i]!) === key(b[j]!)) pairs.push([i++, j++]);
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** What differs between the quote's words and the live words, run by run. */
function differences(a: readonly string[], b: readonly string[], pairs: readonly [number, number][]): Difference[] {
  const out: Difference[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    if (pi > i || pj > j) out.push({ removed: a.slice(i, pi).join(' '), added: b.slice(j, pj).join(' ') });
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

function similarity(a: readonly string[], b: readonly string[]): { value: number; pairs: [number, number][] } {
  const pairs = commonWords(a, b);
  return { value: a.length + b.length === 0 ? 0 : (2 * pairs.length) / (a.length + b.length), pairs };
}

/** Where the quote is in the live text: present whole, changed (with the closest sentences), or gone. */
export function matchQuote(quote: string, live: string): Match {
  const wanted = normalizeText(quote);
  if (wanted && normalizeText(live).includes(wanted)) return { found: 'present' };
  const quoteWords = words(quote);
  const quoteKeys = new Set(quoteWords.map(key));
  const sentences = segmentSentences(live, []).map((s) => live.slice(s.start, s.end));
  const quoteSentences = Math.max(1, segmentSentences(quote, []).length);
  let best: Closest | null = null;
  // Runs of as many sentences as the quote has, and one fewer or more (an edit may split or join them).
  for (const size of new Set([quoteSentences - 1, quoteSentences, quoteSentences + 1].filter((n) => n >= 1))) {
    for (let first = 0; first + size <= sentences.length; first++) {
      const text = sentences.slice(first, first + size).join(' ');
      const liveWords = words(text);
      // Cheap bound first: a run sharing too few words cannot reach the best so far.
      const shared = liveWords.filter((w) => quoteKeys.has(key(w))).length;
      if ((2 * shared) / (quoteWords.length + liveWords.length || 1) <= (best?.similarity ?? 0)) continue;
      const { value, pairs } = similarity(quoteWords, liveWords);
      if (value > (best?.similarity ?? 0)) {
        best = { text: normalizeText(text), similarity: Math.round(value * 1000) / 1000, differences: differences(quoteWords, liveWords, pairs) };
      }
    }
  }
  if (best && best.similarity >= CHANGED_SIMILARITY) return { found: 'changed', closest: best };
  return { found: 'gone', closest: best };
}
