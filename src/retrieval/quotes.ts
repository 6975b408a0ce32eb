import { indexTerms } from '../index/lexical.js';
import type { IndexView } from '../index/store.js';
import { dot, type Candidate } from './retrieve.js';
import { questionShape } from './answer-kind.js';
import { isHeading, MAX_SPAN_CHARS, quoteSpan, spanEvidence } from './spans.js';
import { sameStatement, statementFeatures, type StatementFeatures } from './statements.js';

export interface QuoteCandidate {
  /** Global sentence index. */
  sentence: number;
  /** Combined relevance of the sentence to the question, 0..1-ish: decides coverage. */
  relevance: number;
  /** Relevance adjusted for the kind of answer (a figure for "how many", no bare headings): ranks quotes. */
  score: number;
  /** Cosine of the sentence (in its passage's context) with the question. */
  similarity: number;
  /** Share of the question's terms that the sentence contains. */
  overlap: number;
  /** Whether the sentence (or the span it would be quoted with) holds a new answer of the asked kind, 0..1. */
  evidence: number;
  /** The retrieved passage it was scored in (the better-ranked one, when passages overlap). */
  passage: number;
}

export interface SelectionSettings {
  /** How many fused passages to look inside for quotes. */
  passages: number;
  /** Weight of term overlap against semantic similarity. */
  overlapWeight: number;
  /** Weight of the surrounding passage's similarity. */
  passageWeight: number;
  /** Quotes less relevant than the most relevant × this are dropped as weaker tails. */
  relativeFloor: number;
  /** Rank factor for a heading (a short whole line, unpunctuated, without figures): it names a topic, rarely answers. */
  headingFactor: number;
  /**
   * Rank bonus for a sentence that holds an answer of the kind asked for (a name for "which", a
   * figure for "how many", a date for "when") that the question does not already contain.
   */
  answerWeight: number;
  /** Longest multi-sentence quote, in characters; 0 quotes single sentences only. */
  spanChars: number;
  /**
   * How much a sentence's retrieved passage's rank counts: its score is multiplied by the
   * passage's fused score over the best one's, to this power (0: not at all).
   */
  rankPrior: number;
}

export const DEFAULT_SELECTION: SelectionSettings = {
  passages: 12,
  overlapWeight: 0.45,
  passageWeight: 0.15,
  relativeFloor: 0.5,
  headingFactor: 0.75,
  answerWeight: 0.3,
  spanChars: MAX_SPAN_CHARS,
  rankPrior: 1,
};

function termOverlap(questionTerms: ReadonlySet<string>, sentenceTerms: readonly string[]): number {
  if (questionTerms.size === 0) return 0;
  let shared = 0;
  for (const term of sentenceTerms) if (questionTerms.has(term)) shared += 1;
  return shared / questionTerms.size;
}

/** Scores every sentence of the top passages; a sentence in two passages keeps its better score. */
export function scoreSentences(
  data: IndexView,
  question: string,
  queryVector: Float32Array,
  candidates: readonly Candidate[],
  settings: SelectionSettings = DEFAULT_SELECTION,
): QuoteCandidate[] {
  const questionTerms = new Set(indexTerms(question));
  const shape = questionShape(question);
  const best = new Map<number, QuoteCandidate>();
  const topFused = candidates[0]?.fused ?? 1;
  for (const candidate of candidates.slice(0, settings.passages)) {
    const prior = Math.pow(candidate.fused / topFused, settings.rankPrior);
    const passage = data.passage(candidate.passage);
    const text = data.text(passage.doc);
    for (let s = passage.first; s < passage.end; s += 1) {
      const row = passage.sentenceRow + (s - passage.first);
      const similarity = dot(queryVector, data.sentenceVector(row));
      const sentence = data.sentence(s);
      const sentenceText = text.slice(sentence.start, sentence.end);
      const overlap = termOverlap(questionTerms, indexTerms(sentenceText));
      const relevance =
        (similarity + settings.overlapWeight * overlap + settings.passageWeight * candidate.similarity) /
        (1 + settings.overlapWeight + settings.passageWeight);
      const alone = isHeading(data, s);
      const evidence = spanEvidence(data, s, shape, settings.spanChars);
      const score = relevance * (alone ? settings.headingFactor : 1) * (1 + settings.answerWeight * evidence) * prior;
      const previous = best.get(s);
      if (!previous || previous.score < score) best.set(s, { sentence: s, relevance, score, similarity, overlap, evidence, passage: candidate.passage });
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score);
}

export interface QuoteGroup {
  /** The quote shown. */
  lead: QuoteCandidate;
  /** Other sentences that say the same thing (retellings, repeats). */
  duplicates: QuoteCandidate[];
}

/** Each sentence's score by index, 0 for a sentence the question did not reach. */
export function scoreLookup(scored: readonly QuoteCandidate[]): (sentence: number) => number {
  const scores = new Map(scored.map((candidate) => [candidate.sentence, candidate.score]));
  return (sentence) => scores.get(sentence) ?? 0;
}

/**
 * Chooses the quotes, passage first: the best passages (by their best sentence, which carries the
 * passage's retrieval rank) each give their best sentence, quoted with the neighbours that fit
 * (see `quoteSpan`). Measured on the news questions, this beats taking the best sentences of the
 * whole ranking, which crowds the top with sentences that restate the question. Near-duplicates
 * collapse (the same statement in several retellings is one quote) and tails far below the best
 * are dropped.
 */
export function groupQuotes(
  data: IndexView,
  scored: readonly QuoteCandidate[],
  limit: number,
  settings: SelectionSettings = DEFAULT_SELECTION,
): QuoteGroup[] {
  const groups: (QuoteGroup & { features: StatementFeatures })[] = [];
  const top = Math.max(0, ...scored.map((c) => c.relevance));
  const score = scoreLookup(scored);
  const quoted = new Set<number>();
  /** What the chosen quotes state, every sentence of their spans: a later quote must add to it. */
  const stated: StatementFeatures[] = [];
  const leads = new Set<number>();
  const byPassage = new Map<number, QuoteCandidate>();
  for (const candidate of scored) if (!byPassage.has(candidate.passage)) byPassage.set(candidate.passage, candidate);
  for (const lead of [...byPassage.values()].sort((a, b) => b.score - a.score)) {
    if (groups.length >= limit) break;
    if (quoted.has(lead.sentence) || lead.relevance < top * settings.relativeFloor) continue;
    const features = statementFeatures(data, lead.sentence);
    if (stated.some((other) => sameStatement(data, other, features))) continue;
    groups.push({ lead, duplicates: [], features });
    leads.add(lead.sentence);
    const span = quoteSpan(data, lead.sentence, score, settings.spanChars, quoted);
    for (let s = span.first; s <= span.last; s += 1) {
      quoted.add(s);
      stated.push(s === lead.sentence ? features : statementFeatures(data, s));
    }
  }
  for (const candidate of scored) {
    if (leads.has(candidate.sentence)) continue;
    const features = statementFeatures(data, candidate.sentence);
    groups.find((g) => sameStatement(data, g.features, features))?.duplicates.push(candidate);
  }
  return groups.map(({ lead, duplicates }) => ({ lead, duplicates }));
}
