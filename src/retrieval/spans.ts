/**
 * Quotes that span sentences. The sentence that matches a question best often restates it, and
 * the answer is in the sentence after (or before) it: then the quote is two or three contiguous
 * sentences, still one exact slice of the file.
 */
import { sentenceText } from '../index/lookup.js';
import type { IndexView } from '../index/store.js';
import { answerEvidence, type QuestionShape } from './answer-kind.js';

/** Contiguous sentences `first..last` (inclusive, global indices) of one document. */
export interface SentenceSpan {
  first: number;
  last: number;
}

/** Longest quote a span may make; a single sentence is never cut. */
export const MAX_SPAN_CHARS = 400;
/** How far a span reaches from the sentence that matched: two after, one before. */
const REACH = { after: 2, before: 1 } as const;
/** A quote is at most this many sentences. */
const MAX_SPAN_SENTENCES = 3;
/** A blank line between paragraphs is still contiguous text; more (a section break) is not. */
const MAX_LINE_BREAKS = 2;

/** Whether sentence number `s` is one of document `doc`'s (a document's sentences are numbered together). */
function inDocument(data: IndexView, doc: number, s: number): boolean {
  const [first, end] = data.sentenceRange(doc);
  return s >= first && s < end;
}

/**
 * Whether two sentences of one document follow each other with nothing but white space between
 * them (no skipped boilerplate, no heading cut out). News paragraphs are often one sentence long,
 * so a span may cross a line break; it never crosses anything else.
 */
function contiguous(data: IndexView, a: number, b: number): boolean {
  const [first, last] = a < b ? [a, b] : [b, a];
  // `a` is a sentence of the view; `b` may lie past either end of its document (or of the view).
  const doc = data.sentence(a).doc;
  if (!inDocument(data, doc, first) || !inDocument(data, doc, last)) return false;
  const text = data.text(doc);
  for (let i = first; i < last; i += 1) {
    const gap = text.slice(data.sentence(i).end, data.sentence(i + 1).start);
    if (/\S/.test(gap) || (gap.match(/\n/g)?.length ?? 0) > MAX_LINE_BREAKS) return false;
  }
  return true;
}

const HEADING = { closing: /[.!?…:;]["”’')\]]?$/, maxWords: 12 };

/**
 * A line that names a topic: a whole paragraph, short, unpunctuated, and stating no figure (a
 * subtitle with one is a claim). It rarely answers, and a quote never runs through one.
 */
export function isHeading(data: IndexView, sentence: number): boolean {
  const own = data.sentence(sentence);
  const samePart = (other: number) => inDocument(data, own.doc, other) && data.sentence(other).paragraph === own.paragraph;
  const text = sentenceText(data, sentence);
  if (samePart(sentence - 1) || samePart(sentence + 1)) return false;
  return !HEADING.closing.test(text) && !/\d/.test(text) && text.split(/\s+/).length <= HEADING.maxWords;
}

function spanChars(data: IndexView, first: number, last: number): number {
  return data.sentence(last).end - data.sentence(first).start;
}

/**
 * The nearest contiguous sentence that holds an answer of the asked kind, when the matched
 * one holds none: after it first (news states the point, then the particulars), then before.
 */
function answeringNeighbour(data: IndexView, sentence: number, shape: QuestionShape, maxChars: number): number | null {
  const steps = [...Array.from({ length: REACH.after }, (_, i) => i + 1), ...Array.from({ length: REACH.before }, (_, i) => -(i + 1))];
  for (const step of steps) {
    const other = sentence + step;
    if (!contiguous(data, sentence, other)) continue;
    const [first, last] = step > 0 ? [sentence, other] : [other, sentence];
    if (spanChars(data, first, last) > maxChars) continue;
    if (answerEvidence(shape, sentenceText(data, other)) >= 1) return other;
  }
  return null;
}

/**
 * The span to quote around a chosen sentence: it grows one contiguous sentence at a time, towards
 * the better-scoring neighbour (`score`: a sentence's score for the question, 0 when unscored),
 * while the whole stays within `maxChars`, never into a sentence another quote has `taken`.
 * The sentence alone when no neighbour fits.
 */
export function quoteSpan(
  data: IndexView,
  sentence: number,
  score: (sentence: number) => number,
  maxChars = MAX_SPAN_CHARS,
  taken: ReadonlySet<number> = new Set(),
): SentenceSpan {
  const span = { first: sentence, last: sentence };
  for (let grown = 1; grown < MAX_SPAN_SENTENCES; grown += 1) {
    const options = [span.first - 1, span.last + 1]
      .filter((other) => !taken.has(other) && contiguous(data, sentence, other) && !isHeading(data, other))
      .filter((other) => spanChars(data, Math.min(span.first, other), Math.max(span.last, other)) <= maxChars)
      .sort((a, b) => score(b) - score(a) || b - a);
    const next = options[0];
    if (next === undefined) break;
    span.first = Math.min(span.first, next);
    span.last = Math.max(span.last, next);
  }
  return span;
}

/** The answer evidence of the span a sentence would be quoted with (see `answerEvidence`). */
export function spanEvidence(data: IndexView, sentence: number, shape: QuestionShape, maxChars = MAX_SPAN_CHARS): number {
  const own = answerEvidence(shape, sentenceText(data, sentence));
  if (own >= 1) return own;
  return answeringNeighbour(data, sentence, shape, maxChars) === null ? own : 1;
}
