import { indexTerms } from '../index/lexical.js';
import type { IndexView } from '../index/store.js';
import { dot } from './retrieve.js';
import { sentenceText } from '../index/lookup.js';

/** What the statement comparison needs to know about one sentence, computed once. */
export interface StatementFeatures {
  sentence: number;
  doc: number;
  terms: Set<string>;
  numbers: Set<string>;
  /** Row of the sentence's vector in the sentence-vector matrix. */
  row: number;
}

/** Similarity above which two sentences of different documents say the same thing outright. */
const SAME_MEANING = 0.8;
/** Lower bar when both sentences give figures and share one: the figure anchors the match. */
const SAME_MEANING_WITH_FIGURE = 0.68;
/** Share of distinct terms in common that marks a light rewrite. */
const SAME_WORDING = 0.5;

export function statementFeatures(data: IndexView, sentence: number): StatementFeatures {
  const terms = new Set(indexTerms(sentenceText(data, sentence)));
  return { sentence, doc: data.sentence(sentence).doc, terms, numbers: new Set([...terms].filter((t) => /\d/.test(t))), row: data.sentenceRow(sentence) };
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / Math.max(1, a.size + b.size - shared);
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/**
 * Whether two sentences state the same thing: across documents by wording or meaning (with a
 * shared figure lowering the bar); within one document only when repeated word for word (vectors
 * of neighbouring sentences share context, so they are not compared there).
 */
export function sameStatement(data: IndexView, a: StatementFeatures, b: StatementFeatures): boolean {
  if (a.doc === b.doc) return a.terms.size === b.terms.size && jaccard(a.terms, b.terms) === 1;
  if (jaccard(a.terms, b.terms) >= SAME_WORDING) return true;
  const similarity = dot(data.sentenceVector(a.row), data.sentenceVector(b.row));
  if (a.numbers.size > 0 && b.numbers.size > 0) return similarity >= SAME_MEANING_WITH_FIGURE && intersects(a.numbers, b.numbers);
  return similarity >= SAME_MEANING;
}
