/**
 * Quotes as export records: one per quote of a run, with everything a citation manager and a
 * fact-checker need (DESIGN.md, "Export, verify, watch"): the exact text, where it is, a SHA-256 of
 * its UTF-8 bytes, the source's citation, when the source was retrieved, and who else reports it.
 */
import { createHash } from 'node:crypto';
import type { Answer, Comparison, QuoteSource } from '../../answer/types.js';

export type ExportFormat = 'csv' | 'csljson' | 'ris';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'csljson', 'ris'];

export interface ExportRecord {
  /** The question (or the topic compared) the quote answers. */
  question: string;
  /** 1-based position among that question's quotes. */
  rank: number;
  /** Exactly `fileText.slice(start, end)` of `source.path`. */
  text: string;
  start: number;
  end: number;
  /** Lowercase hex SHA-256 of `text` as UTF-8. */
  sha256: string;
  source: QuoteSource & { collection: string };
  /** When the source entered the corpus (ISO 8601), when the store recorded it. */
  retrieved: string | null;
  /** Other sources saying the same thing, by name (outlet, else title, else id), each once. */
  alsoReportedBy: string[];
}

/** Where a quote comes from when its source names no collection: the default one. */
export const DEFAULT_COLLECTION = 'default';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const nameOf = (source: QuoteSource) => source.outlet ?? source.title ?? source.id;

function withCollection(source: QuoteSource): ExportRecord['source'] {
  const named = (source as QuoteSource & { collection?: unknown }).collection;
  return { ...source, collection: typeof named === 'string' && named ? named : DEFAULT_COLLECTION };
}

interface QuoteLike {
  text: string;
  start: number;
  end: number;
  source: QuoteSource;
  alsoReportedBy?: { source: QuoteSource }[];
}

function record(question: string, rank: number, quote: QuoteLike): ExportRecord {
  const others = new Map((quote.alsoReportedBy ?? []).filter((o) => o.source.id !== quote.source.id).map((o) => [o.source.id, nameOf(o.source)]));
  return {
    question,
    rank,
    text: quote.text,
    start: quote.start,
    end: quote.end,
    sha256: sha256Hex(quote.text),
    source: withCollection(quote.source),
    retrieved: quote.source.retrieved ?? null,
    alsoReportedBy: [...others.values()],
  };
}

/** Every quote of every answer, in answer and rank order. */
export function answerRecords(answers: readonly Answer[]): ExportRecord[] {
  return answers.flatMap((answer) => answer.quotes.map((quote, i) => record(answer.question, i + 1, quote)));
}

/** Every quote of a comparison, source by source; the topic stands as the question. */
export function comparisonRecords(comparison: Comparison): ExportRecord[] {
  const quotes = comparison.sources.flatMap((s) => s.quotes.map((q) => ({ ...q, source: s.source })));
  return quotes.map((quote, i) => record(comparison.topic, i + 1, quote));
}
