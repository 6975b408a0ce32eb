/**
 * The answer types: the JSON contract of `verbatim ask --json` and what every presenter reads.
 * Citations come from the index and discrepancies from the coverage stage; both are re-exported
 * here so that readers of answers need this one module.
 */
import type { QuoteSource } from '../index/types.js';
import type { Discrepancy } from '../coverage/types.js';
import type { FilterReport } from './filter.js';

export type { QuoteSource } from '../index/types.js';
export type { Discrepancy, DiscrepancyValue } from '../coverage/types.js';

export interface Quote {
  /** Exactly `fileText.slice(start, end)`. */
  text: string;
  source: QuoteSource;
  start: number;
  end: number;
  /** Rank score: relevance adjusted for the kind of answer asked for; quotes come in its order. */
  score: number;
  /** How well the sentence matches the question: the value the no-coverage threshold applies to. */
  relevance: number;
  /** Other sources that say the same thing, each quoted verbatim too. */
  alsoReportedBy?: AlsoReported[];
  /**
   * How many sources state this and how many independent reports they are: retellings
   * (rewrites, translations, republications) of one report are not independent confirmation.
   */
  corroboration?: { sources: number; reports: number; retellings: number };
}

export interface Answer {
  question: string;
  /** In rank order; empty when the corpus does not cover the question. */
  quotes: Quote[];
  /** How much was searched, for footers ("searched 5 documents"). */
  searched: { documents: number; passages: number };
  /** Where sources give different figures for the same thing (present once coverage has run). */
  discrepancies?: Discrepancy[];
  /** The dates and outlets the answer was limited to, when a filter was given. */
  filter?: FilterReport;
}

/** Another source saying the same thing as a quote, itself quoted verbatim. */
export interface AlsoReported {
  source: QuoteSource;
  text: string;
  start: number;
  end: number;
}

/** The surroundings of a quote: the paragraph it sits in, as exact offsets too. */
export interface QuoteContext {
  source: QuoteSource;
  /** The whole paragraph (a line of the source), containing the quote. */
  text: string;
  start: number;
  end: number;
}

/** A document as listed by `sources`. */
export interface SourceListing extends QuoteSource {
  passages: number;
  sentences: number;
  /** Ids of the other documents telling the same story (rewrites, translations, republications). */
  sameStoryAs: string[];
  /** Id of the story's likely original (this document's own id when it is the original or alone). */
  likelyOriginal: string;
}

/** What one source says about a topic, for side-by-side comparison. */
export interface SourceStatements {
  source: QuoteSource;
  quotes: Omit<Quote, 'source' | 'alsoReportedBy' | 'corroboration'>[];
  /** Id of the story's likely original when this source retells another. */
  retells: string | null;
}

export interface Comparison {
  topic: string;
  sources: SourceStatements[];
  discrepancies: Discrepancy[];
  searched: { documents: number; passages: number };
  filter?: FilterReport;
}
