/**
 * Quotes that span sentences. The sentence that matches a question best often restates it, and
 * the answer is in the sentence after (or before) it: then the quote is the two or three
 * contiguous sentences of one paragraph, still one exact slice of the file.
 */
import { sentenceText } from '../index/lookup.js';
import type { IndexData } from '../index/types.js';
import { answerEvidence, type QuestionShape } from './answer-kind.js';

/** Sentences `first..last` (inclusive, global indices) of one paragraph. */
export interface SentenceSpan {
  first: number;
  last: number;
}

/** Longest quote a span may make; a single sentence is never cut. */
export const MAX_SPAN_CHARS = 400;
/** How far a span reaches from the sentence that matched: two after, one before. */
const REACH = { after: 2, before: 1 } as const;

function sameParagraph(data: IndexData, a: number, b: number): boolean {
  const x = data.sentences[a];
  const y = data.sentences[b];
  return x !== undefined && y !== undefined && x.doc === y.doc && x.paragraph === y.paragraph;
}

function spanChars(data: IndexData, first: number, last: number): number {
  return data.sentences[last]!.end - data.sentences[first]!.start;
}

/**
 * The nearest sentence of the paragraph that holds an answer of the asked kind, when the matched
 * one holds none: after it first (news states the point, then the particulars), then before.
 */
function answeringNeighbour(data: IndexData, sentence: number, shape: QuestionShape, maxChars: number): number | null {
  const steps = [...Array.from({ length: REACH.after }, (_, i) => i + 1), ...Array.from({ length: REACH.before }, (_, i) => -(i + 1))];
  for (const step of steps) {
    const other = sentence + step;
    if (!sameParagraph(data, sentence, other)) continue;
    const [first, last] = step > 0 ? [sentence, other] : [other, sentence];
    if (spanChars(data, first, last) > maxChars) continue;
    if (answerEvidence(shape, sentenceText(data, other)) >= 1) return other;
  }
  return null;
}

/** The span to quote for a matched sentence: itself, or reaching to the neighbour that answers. */
export function answerSpan(data: IndexData, sentence: number, shape: QuestionShape, maxChars = MAX_SPAN_CHARS): SentenceSpan {
  if (answerEvidence(shape, sentenceText(data, sentence)) >= 1) return { first: sentence, last: sentence };
  const other = answeringNeighbour(data, sentence, shape, maxChars);
  if (other === null) return { first: sentence, last: sentence };
  return other > sentence ? { first: sentence, last: other } : { first: other, last: sentence };
}

/** The answer evidence of the span a sentence would be quoted with (see `answerEvidence`). */
export function spanEvidence(data: IndexData, sentence: number, shape: QuestionShape, maxChars = MAX_SPAN_CHARS): number {
  const own = answerEvidence(shape, sentenceText(data, sentence));
  if (own >= 1) return own;
  return answeringNeighbour(data, sentence, shape, maxChars) === null ? own : 1;
}
