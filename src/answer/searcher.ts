import type { Embedder } from '../index/embedder.js';
import type { IndexView } from '../index/store.js';
import type { DocumentRecord } from '../index/types.js';
import { normalizeQuestion } from '../retrieval/question.js';
import { toClaims } from '../coverage/claims.js';
import { findDiscrepancies } from '../coverage/discrepancies.js';
import { retellingsOf } from '../coverage/retellings.js';
import { DEFAULT_SELECTION, groupQuotes, scoreLookup, scoreSentences, type SelectionSettings } from '../retrieval/quotes.js';
import { retrieve, type RetrievalMode, type RetrieveOptions } from '../retrieval/retrieve.js';
import { quoteSpan, type SentenceSpan } from '../retrieval/spans.js';
import { createError } from '../errors.js';
import { scopeOf, type DocumentScope } from '../retrieval/filter.js';
import { asksAboutPresent, byRecency, type RecencySettings } from '../retrieval/recency.js';
import { nowOf, type DocumentFilter, type FilterReport } from './filter.js';
import type { Answer, Comparison, Quote, QuoteContext, QuoteSource, SourceListing } from './types.js';

export interface AskOptions {
  /** Most quotes to return. */
  k?: number;
  mode?: RetrievalMode;
  /** Only documents from these dates and outlets compete (see filter.ts). */
  filter?: DocumentFilter | undefined;
  /** Today, for "7d" and for recency when no `until` is given (tests fix it). */
  now?: Date;
}

/** What a filter left for the answer to say: the resolved window and how many undated documents it left out. */
function filterReport(scope: DocumentScope | undefined): { filter?: FilterReport } {
  return scope ? { filter: { ...scope.filter, undatedExcluded: scope.undatedExcluded } } : {};
}

export interface SearchSettings {
  selection: SelectionSettings;
  /**
   * Below this best-sentence score the corpus is taken not to cover the question. Calibrated on
   * questions whose answers are not in the index (see `npm run eval`).
   */
  coverageThreshold: number;
  /** Overrides of the fusion constants (depth, RRF k, weights), for tuning; absent in production. */
  retrieval?: RetrieveOptions;
  /** Override of the recency bonus for questions about the present, for tuning. */
  recency?: RecencySettings;
}

export const DEFAULT_SEARCH: SearchSettings = { selection: DEFAULT_SELECTION, coverageThreshold: 0.44 };
export const DEFAULT_K = 5;

export function sourceOf(doc: DocumentRecord, collection?: string): QuoteSource {
  return {
    id: doc.id,
    ...(collection !== undefined ? { collection } : {}),
    path: doc.path,
    ...doc.meta,
    ...(doc.original ? { original: doc.original } : {}),
    ...(doc.retrieved ? { retrieved: doc.retrieved } : {}),
  };
}

/** Answers questions from one view of the store (a consistent snapshot, fixed for the Searcher's life). */
export class Searcher {
  constructor(
    readonly store: IndexView,
    readonly embedder: Embedder,
    readonly settings: SearchSettings = DEFAULT_SEARCH,
  ) {}

  private readonly sourceOfDocument = (doc: number): QuoteSource => sourceOf(this.store.document(doc), this.store.collectionOf?.(doc));

  /** A sentence as a quote, or the contiguous sentences `span.first..span.last` around it. */
  quoteOf(sentence: number, rank: { score: number; relevance: number } = { score: 0, relevance: 0 }, span?: SentenceSpan): Quote {
    const data = this.store;
    const first = data.sentence(span?.first ?? sentence);
    const last = data.sentence(span?.last ?? sentence);
    const text = data.text(first.doc);
    return {
      text: text.slice(first.start, last.end),
      source: this.sourceOfDocument(first.doc),
      start: first.start,
      end: last.end,
      score: Math.round(rank.score * 1000) / 1000,
      relevance: Math.round(rank.relevance * 1000) / 1000,
    };
  }

  /**
   * The indexed documents (those `only` keeps, else all) with their citation and size, and the
   * stories they belong to (each alone, without searching for retellings, when `stories` is false).
   */
  sources(only?: (source: QuoteSource) => boolean, stories = true): SourceListing[] {
    const data = this.store;
    const retellings = retellingsOf(this.store);
    const size = (range: [number, number]) => range[1] - range[0];
    return data.documentNumbers()
      .filter((i) => !only || only(this.sourceOfDocument(i)))
      .map((i) => {
        const story = stories ? retellings.storyOf(i) : { documents: [i], original: i };
        return {
          ...this.sourceOfDocument(i),
          passages: size(data.passageRange(i)),
          sentences: size(data.sentenceRange(i)),
          sameStoryAs: story.documents.filter((d) => d !== i).map((d) => data.document(d).id),
          likelyOriginal: data.document(story.original).id,
        };
      });
  }

  private documentIndex(idOrPath: string): number {
    const index = this.store.findDocument(idOrPath);
    if (index === undefined) throw createError('DOCUMENT_NOT_FOUND', idOrPath);
    return index;
  }

  /** A document's citation and its full text (the file as indexed). */
  document(idOrPath: string): { source: QuoteSource; text: string } {
    const index = this.documentIndex(idOrPath);
    return { source: this.sourceOfDocument(index), text: this.store.text(index) };
  }

  /** The paragraph around `[start, end)` in a document: what "show context" displays. */
  context(idOrPath: string, start: number, end: number): QuoteContext {
    const index = this.documentIndex(idOrPath);
    const text = this.store.text(index);
    if (!(start >= 0 && end <= text.length && start <= end)) throw createError('USAGE', `Offsets ${start}–${end} are outside the document.`);
    const from = text.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
    const newline = text.indexOf('\n', end);
    const to = newline < 0 ? text.length : newline;
    const slice = text.slice(from, to);
    const lead = slice.length - slice.trimStart().length;
    const trimmed = slice.trim();
    return { source: this.sourceOfDocument(index), text: trimmed, start: from + lead, end: from + lead + trimmed.length };
  }

  /**
   * Sentences of the best passages (of the filter's documents only), scored against the question,
   * best first; a question about the present (or as of an `until` day) prefers the newer of sources
   * that answer about as well.
   */
  private async scoreQuestion(question: string, options: AskOptions = {}) {
    // Not awaited yet: a database starts the word search while the model embeds the question.
    const embedding = this.embedder.embedQuery(question);
    embedding.catch(() => undefined); // its failure is thrown where it is awaited, below or in retrieve
    const scope = options.filter ? scopeOf(this.store, options.filter) : undefined;
    const candidates = await retrieve(this.store, question, embedding, options.mode, this.settings.retrieval, scope?.keepPassage);
    const queryVector = await embedding;
    const relevant = scoreSentences(this.store, question, queryVector, candidates, this.settings.selection);
    // A question with an `until` is asked "as of" that day, as "still" or "now" ask about today.
    const present = asksAboutPresent(question) || Boolean(options.filter?.until);
    const scored = present ? byRecency(this.store, relevant, nowOf(options.filter, options.now), this.settings.recency) : relevant;
    return { scored, scope, covered: scored.some((s) => s.relevance >= this.settings.coverageThreshold) };
  }

  private get searched() {
    return { documents: this.store.documentCount, passages: this.store.passageCount };
  }

  /** What each source says about a topic, side by side, with the figures they disagree on. */
  async compare(rawTopic: string, perSource = 2, options: Pick<AskOptions, 'filter' | 'now'> = {}): Promise<Comparison> {
    const topic = normalizeQuestion(rawTopic);
    const data = this.store;
    const { scored, scope } = await this.scoreQuestion(topic, options);
    const bySource = new Map<number, number[]>();
    const text = (sentence: number) => this.quoteOf(sentence).text;
    for (const candidate of scored) {
      if (candidate.relevance < this.settings.coverageThreshold) continue;
      const doc = data.sentence(candidate.sentence).doc;
      const picked = bySource.get(doc) ?? [];
      const repeated = picked.some((p) => text(p) === text(candidate.sentence));
      if (picked.length < perSource && !repeated) bySource.set(doc, [...picked, candidate.sentence]);
    }
    const ranks = new Map(scored.map((s) => [s.sentence, s]));
    const retellings = retellingsOf(this.store);
    const sources = [...bySource.entries()].map(([doc, sentences]) => {
      const story = retellings.storyOf(doc);
      return {
        source: this.sourceOfDocument(doc),
        quotes: sentences.map((s) => {
          const { source: _source, ...quote } = this.quoteOf(s, ranks.get(s));
          return quote;
        }),
        retells: story.original !== doc ? data.document(story.original).id : null,
      };
    });
    const discrepancies = findDiscrepancies(data, this.sourceOfDocument, [...bySource.values()].flat());
    return { topic, sources, discrepancies, searched: this.searched, ...filterReport(scope) };
  }

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = normalizeQuestion(rawQuestion);
    const data = this.store;
    const { scored, scope, covered } = await this.scoreQuestion(question, options);
    const groups = covered ? groupQuotes(data, scored, options.k ?? DEFAULT_K, this.settings.selection) : [];
    const claims = toClaims(this.store, groups);
    const relevant = scored.filter((s) => s.relevance >= this.settings.coverageThreshold).map((s) => s.sentence);
    const score = scoreLookup(scored);
    const taken = new Set<number>();
    const spanOf = (sentence: number) => {
      const span = quoteSpan(data, sentence, score, this.settings.selection.spanChars, taken);
      for (let s = span.first; s <= span.last; s += 1) taken.add(s);
      return span;
    };
    // A span never reaches into what another quote shows or cites as also reported.
    for (const claim of claims) for (const s of [claim.shown, ...claim.alsoReportedBy]) taken.add(s);
    return {
      question,
      quotes: claims.map((claim) => ({
        ...this.quoteOf(claim.shown, claim, spanOf(claim.shown)),
        alsoReportedBy: claim.alsoReportedBy.map((s) => {
          const { text, source, start, end } = this.quoteOf(s);
          return { source, text, start, end };
        }),
        corroboration: claim.corroboration,
      })),
      discrepancies: findDiscrepancies(data, this.sourceOfDocument, [...claims.flatMap((c) => [c.shown, ...c.alsoReportedBy]), ...relevant]),
      searched: this.searched,
      ...filterReport(scope),
    };
  }
}
