/**
 * Watching a topic: what new documents say about it, sentence by sentence, at the same relevance
 * bar as a covered answer, each labelled against what earlier documents said: a new claim, a
 * retelling of an earlier source (named), or a figure that differs from an earlier one (with that
 * value and its source). Which documents are new, and which sentences were already posted, is
 * the caller's (the watch list).
 */
import { createHash } from 'node:crypto';
import { findDiscrepancies } from '../coverage/discrepancies.js';
import { normalizeQuestion } from '../retrieval/question.js';
import { scoreSentences, type QuoteCandidate } from '../retrieval/quotes.js';
import { dot, retrieve } from '../retrieval/retrieve.js';
import { isHeading } from '../retrieval/spans.js';
import { sameStatement, statementFeatures } from '../retrieval/statements.js';
import { sourceOf, type Searcher } from './searcher.js';
import type { DiscrepancyValue, QuoteSource } from './types.js';

export type WatchLabel = 'new claim' | 'retelling' | 'differing figure';

export interface WatchQuote {
  /** Exactly `fileText.slice(start, end)` of `source.path`. */
  text: string;
  start: number;
  end: number;
  source: QuoteSource;
  relevance: number;
  label: WatchLabel;
  /** For a retelling: the earlier sources that said the same. */
  retells?: QuoteSource[];
  /** For a differing figure: this sentence's value against an earlier source's. */
  differs?: { about: string; value: DiscrepancyValue; earlier: DiscrepancyValue }[];
  /** Stable for the sentence's text in its document: what "posted once per watch" counts. */
  key: string;
}

/** What one new document says about the topic. */
export interface WatchPost {
  document: QuoteSource;
  quotes: WatchQuote[];
}

/** Every sentence of `docs` scored against the topic, as a question's retrieved passages are. */
function scoreDocuments(searcher: Searcher, topic: string, vector: Float32Array, docs: readonly number[]): QuoteCandidate[] {
  const store = searcher.store;
  const candidates = docs.flatMap((doc) => {
    const [first, end] = store.passageRange(doc);
    return Array.from({ length: end - first }, (_, i) => ({ passage: first + i, fused: 1, similarity: dot(vector, store.passageVector(first + i)) }));
  });
  return scoreSentences(store, topic, vector, candidates, { ...searcher.settings.selection, passages: candidates.length });
}

export async function watchTopic(searcher: Searcher, rawTopic: string, newDocuments: readonly number[]): Promise<WatchPost[]> {
  const topic = normalizeQuestion(rawTopic);
  const store = searcher.store;
  const bar = searcher.settings.coverageThreshold;
  const vector = await searcher.embedder.embedQuery(topic);
  const fresh = new Set(newDocuments);
  // A headline names a topic; it states nothing to report.
  const relevant = scoreDocuments(searcher, topic, vector, newDocuments).filter((s) => s.relevance >= bar && !isHeading(store, s.sentence));
  // What earlier documents said about it: the answer to the topic as a question, new documents left out.
  const earlier = scoreSentences(store, topic, vector, await retrieve(store, topic, vector), searcher.settings.selection)
    .filter((s) => s.relevance >= bar && !fresh.has(store.sentence(s.sentence).doc))
    .map((s) => s.sentence);
  const earlierFeatures = earlier.map((s) => statementFeatures(store, s));
  const source = (doc: number) => sourceOf(store.document(doc));
  const byDocument = new Map<number, WatchQuote[]>();
  for (const candidate of relevant.sort((a, b) => a.sentence - b.sentence)) {
    const { doc, start, end } = store.sentence(candidate.sentence);
    const features = statementFeatures(store, candidate.sentence);
    const same = earlierFeatures.filter((e) => sameStatement(store, features, e));
    const differs = findDiscrepancies(store, source, [candidate.sentence, ...earlier]).flatMap((d) => {
      const mine = d.values.find((v) => v.source.id === store.document(doc).id && v.start >= start && v.end <= end);
      const other = d.values.find((v) => !fresh.has(store.findDocument(v.source.id) ?? -1) && v.value !== mine?.value);
      return mine && other ? [{ about: d.about, value: mine, earlier: other }] : [];
    });
    const text = store.text(doc).slice(start, end);
    const retells = [...new Map(same.map((e) => [e.doc, source(e.doc)])).values()];
    const quote: WatchQuote = {
      text,
      start,
      end,
      source: source(doc),
      relevance: Math.round(candidate.relevance * 1000) / 1000,
      label: differs.length > 0 ? 'differing figure' : retells.length > 0 ? 'retelling' : 'new claim',
      ...(differs.length > 0 ? { differs } : retells.length > 0 ? { retells } : {}),
      key: createHash('sha256').update(`${store.document(doc).id}\n${text}`).digest('hex').slice(0, 24),
    };
    byDocument.set(doc, [...(byDocument.get(doc) ?? []), quote]);
  }
  return newDocuments.filter((doc) => byDocument.has(doc)).map((doc) => ({ document: source(doc), quotes: byDocument.get(doc)! }));
}
