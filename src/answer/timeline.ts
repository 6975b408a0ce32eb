/**
 * `verbatim timeline TOPIC`: the sources that cover a topic (a sentence at least as relevant as
 * the no-coverage threshold, within the filter), placed on their publication days.
 */
import { coverageTimeline, type CoverageTimeline, type DatedCoverage } from '../coverage/timeline.js';
import { retellingsOf } from '../coverage/retellings.js';
import { publishedDay, scopeOf } from '../retrieval/filter.js';
import { normalizeQuestion } from '../retrieval/question.js';
import { scoreSentences } from '../retrieval/quotes.js';
import { retrieve } from '../retrieval/retrieve.js';
import type { FilterReport } from './filter.js';
import { sourceOf, type AskOptions, type Searcher } from './searcher.js';
import type { QuoteSource } from './types.js';

/** Passages looked into for a timeline: far more than an answer quotes, to count every source that covers the topic. */
const TIMELINE_PASSAGES = 100;

export interface Timeline extends CoverageTimeline<QuoteSource> {
  topic: string;
  /** Every dated source covering the topic, oldest first. */
  entries: DatedCoverage<QuoteSource>[];
  /** Sources covering the topic that state no publication date (not on the chart). */
  undated: number;
  filter?: FilterReport;
}

export async function timelineOf(searcher: Searcher, rawTopic: string, options: Pick<AskOptions, 'filter'> = {}): Promise<Timeline> {
  const topic = normalizeQuestion(rawTopic);
  const { store, embedder, settings } = searcher;
  const vector = await embedder.embedQuery(topic);
  const scope = options.filter ? scopeOf(store, options.filter) : undefined;
  const candidates = await retrieve(store, topic, vector, 'hybrid', settings.retrieval, scope?.keepPassage);
  const scored = scoreSentences(store, topic, vector, candidates, { ...settings.selection, passages: TIMELINE_PASSAGES });
  const documents = new Set<number>();
  for (const candidate of scored) if (candidate.relevance >= settings.coverageThreshold) documents.add(store.sentence(candidate.sentence).doc);
  const retellings = retellingsOf(store);
  const entries: DatedCoverage<QuoteSource>[] = [];
  let undated = 0;
  for (const doc of documents) {
    const source = sourceOf(store.document(doc));
    const day = publishedDay(source.published);
    if (day === null) undated += 1;
    else entries.push({ source, day, retelling: retellings.storyOf(doc).original !== doc });
  }
  entries.sort((a, b) => a.day.localeCompare(b.day));
  return {
    topic,
    ...coverageTimeline(entries),
    entries,
    undated,
    ...(scope ? { filter: { ...scope.filter, undatedExcluded: scope.undatedExcluded } } : {}),
  };
}
