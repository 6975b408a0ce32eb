/**
 * Recency for questions about the present ("still", "now", "currently", "latest", "so far", "as
 * of"): among sources that answer about as well, the newer ranks first. Freshness counts back from
 * the newest dated candidate (or "now", if that is earlier), so a corpus from last year still
 * prefers its latest report; other questions are ranked by relevance alone.
 */
import type { IndexView } from '../index/store.js';
import { publishedDay } from './filter.js';
import type { QuoteCandidate } from './quotes.js';

const PRESENT = /\b(?:still|now|nowadays|currently|current|latest|so far|as of|to date|at present|presently|today|these days|anymore|any more|this (?:week|weekend|month|year)|(?:last|past) week|most recent|recent|recently|up to date)\b/i;

export interface RecencySettings {
  /** Rank bonus of the freshest source: enough to pass one that answers up to about this much better. */
  weight: number;
  /** Days behind the freshest source after which a source's bonus has halved. */
  halfLifeDays: number;
}

export const DEFAULT_RECENCY: RecencySettings = { weight: 0.3, halfLifeDays: 14 };

export function asksAboutPresent(question: string): boolean {
  return PRESENT.test(question);
}

const DAY = 86_400_000;

/** Candidates re-scored for freshness (relevance, which decides coverage, is left alone), best first. */
export function byRecency(data: IndexView, scored: readonly QuoteCandidate[], now: Date, settings: RecencySettings = DEFAULT_RECENCY): QuoteCandidate[] {
  const dayOf = new Map<number, number | null>();
  const timeOf = (candidate: QuoteCandidate) => {
    const doc = data.sentence(candidate.sentence).doc;
    if (!dayOf.has(doc)) {
      const day = publishedDay(data.document(doc).meta.published);
      dayOf.set(doc, day === null ? null : Date.parse(`${day}T00:00:00Z`));
    }
    return dayOf.get(doc) ?? null;
  };
  const times = scored.map(timeOf);
  const dated = times.filter((t): t is number => t !== null);
  if (dated.length === 0) return [...scored];
  const reference = Math.min(now.getTime(), Math.max(...dated));
  return scored
    .map((candidate, i) => {
      const time = times[i];
      if (time === null || time === undefined) return candidate;
      const behind = Math.max(0, reference - time) / DAY;
      const freshness = Math.pow(0.5, behind / settings.halfLifeDays);
      return { ...candidate, score: candidate.score * (1 + settings.weight * freshness) };
    })
    .sort((a, b) => b.score - a.score);
}
