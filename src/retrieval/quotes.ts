import { indexTerms } from '../index/lexical.js';
import type { IndexView } from '../index/store.js';
import { dot, type Candidate } from './retrieve.js';
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
  /** Rank bonus for a sentence with a figure or date when the question asks for one ("how many", "when"). */
  figureBonus: number;
}

export const DEFAULT_SELECTION: SelectionSettings = {
  passages: 12,
  overlapWeight: 0.45,
  passageWeight: 0.15,
  relativeFloor: 0.7,
  headingFactor: 0.75,
  figureBonus: 0.1,
};

/** Questions whose answer is a number, an amount or a date. */
const ASKS_FOR_FIGURE =
  /^(?:how (?:many|much|long|far|old|big|large|high|often)|when|what (?:year|date|day|month|time|number|percentage|share|amount|size|age)|in what year|which year)\b/i;
const HAS_FIGURE =
  /\d|\b(?:January|February|March|April|May|June|July|August|September|October|November|December|dozens|hundreds|thousands|millions|billions)\b/;
const HEADING = { closing: /[.!?…:;]["”’')\]]?$/, maxWords: 12 };

/** A line that names a topic: short, unpunctuated, and stating no figure (a subtitle with one is a claim). */
function isHeading(text: string, lineStart: boolean, lineEnd: boolean): boolean {
  return lineStart && lineEnd && !HEADING.closing.test(text) && !/\d/.test(text) && text.split(/\s+/).length <= HEADING.maxWords;
}

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
  const wantsFigure = ASKS_FOR_FIGURE.test(question.trim());
  const best = new Map<number, QuoteCandidate>();
  for (const candidate of candidates.slice(0, settings.passages)) {
    const passage = data.passage(candidate.passage);
    const text = data.text(passage.doc);
    const [docFirst, docEnd] = data.sentenceRange(passage.doc);
    for (let s = passage.first; s < passage.end; s += 1) {
      const row = passage.sentenceRow + (s - passage.first);
      const similarity = dot(queryVector, data.sentenceVector(row));
      const sentence = data.sentence(s);
      const sentenceText = text.slice(sentence.start, sentence.end);
      const overlap = termOverlap(questionTerms, indexTerms(sentenceText));
      const relevance =
        (similarity + settings.overlapWeight * overlap + settings.passageWeight * candidate.similarity) /
        (1 + settings.overlapWeight + settings.passageWeight);
      const samePart = (other: number) => other >= docFirst && other < docEnd && data.sentence(other).paragraph === sentence.paragraph;
      const alone = isHeading(sentenceText, !samePart(s - 1), !samePart(s + 1));
      const score =
        relevance *
        (alone ? settings.headingFactor : 1) *
        (wantsFigure && HAS_FIGURE.test(sentenceText) ? 1 + settings.figureBonus : 1);
      const previous = best.get(s);
      if (!previous || previous.score < score) best.set(s, { sentence: s, relevance, score, similarity, overlap });
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

/**
 * Collapses near-duplicates (the same statement in several retellings is one quote) and keeps
 * the best `limit` groups, dropping tails far below the best.
 */
export function groupQuotes(
  data: IndexView,
  scored: readonly QuoteCandidate[],
  limit: number,
  settings: SelectionSettings = DEFAULT_SELECTION,
): QuoteGroup[] {
  const groups: (QuoteGroup & { features: StatementFeatures })[] = [];
  const top = Math.max(0, ...scored.map((c) => c.relevance));
  for (const candidate of scored) {
    const features = statementFeatures(data, candidate.sentence);
    const same = groups.find((g) => sameStatement(data, g.features, features));
    if (same) same.duplicates.push(candidate);
    else if (groups.length < limit && candidate.relevance >= top * settings.relativeFloor) {
      groups.push({ lead: candidate, duplicates: [], features });
    }
  }
  return groups.map(({ lead, duplicates }) => ({ lead, duplicates }));
}
