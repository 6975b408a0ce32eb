import type { IndexView } from '../index/store.js';
import type { QuoteGroup } from '../retrieval/quotes.js';
import { sameStatement, statementFeatures } from '../retrieval/statements.js';
import { sentencesOf } from '../index/lookup.js';
import { retellingsOf } from './retellings.js';

/** A claim as the answer shows it: the cleanest telling, and who else tells it. */
export interface Claim {
  /** Sentence shown as the quote. */
  shown: number;
  /** The claim's rank score and relevance to the question (its best telling's). */
  score: number;
  relevance: number;
  /** One sentence per other document stating the same thing, best first. */
  alsoReportedBy: number[];
  /** How many sources state it, and how many independent reports they amount to. */
  corroboration: { sources: number; reports: number; retellings: number };
}

/** A telling this close to the best in relevance competes on cleanliness. */
const RELEVANCE_TOLERANCE = 0.85;

/** Adds the tellings of the lead's claim found in retellings of its document that retrieval missed. */
function tellingsInRetellings(store: IndexView, lead: number, known: Map<number, number>, score: number): void {
  const data = store;
  const leadFeatures = statementFeatures(data, lead);
  const story = retellingsOf(store).storyOf(data.sentence(lead).doc);
  const tellers = new Set([...known.keys()].map((s) => data.sentence(s).doc));
  for (const doc of story.documents) {
    if (tellers.has(doc)) continue;
    const match = sentencesOf(data, doc).find((i) => sameStatement(data, leadFeatures, statementFeatures(data, i)));
    if (match !== undefined) known.set(match, score);
  }
}

/** Claims for quote groups in rank order; a sentence is shown or cited once in an answer. */
export function toClaims(store: IndexView, groups: readonly QuoteGroup[]): Claim[] {
  const used = new Set<number>();
  const claims: Claim[] = [];
  for (const group of groups) {
    const claim = toClaim(store, group, used);
    if (!claim) continue;
    claims.push(claim);
    for (const s of [claim.shown, ...claim.alsoReportedBy]) used.add(s);
  }
  return claims;
}

/**
 * Turns a group of sentences stating one thing into a claim: the telling shown is the original
 * report's where it is about as relevant, else the most cleanly spelled, else the most relevant.
 */
export function toClaim(store: IndexView, group: QuoteGroup, alreadyShown: ReadonlySet<number> = new Set()): Claim | null {
  const data = store;
  const retellings = retellingsOf(store);
  const story = (doc: number) => retellings.storyOf(doc);
  const scores = new Map<number, number>([[group.lead.sentence, group.lead.score]]);
  for (const d of group.duplicates) if (!scores.has(d.sentence)) scores.set(d.sentence, d.score);
  tellingsInRetellings(store, group.lead.sentence, scores, group.lead.score);

  const docOf = (s: number) => data.sentence(s).doc;
  const best = Math.max(...scores.values());
  const isOriginal = (s: number) => story(docOf(s)).original === docOf(s) && story(docOf(s)).documents.length > 1;
  const eligible = [...scores.entries()]
    .filter(([s, score]) => score >= best * RELEVANCE_TOLERANCE && !alreadyShown.has(s))
    .map(([s]) => s);
  if (eligible.length === 0) return null; // an earlier quote already shows this claim
  const shown = eligible.sort(
    (a, b) =>
      Number(isOriginal(b)) - Number(isOriginal(a)) ||
      retellings.oddSpelling(docOf(a)) - retellings.oddSpelling(docOf(b)) ||
      scores.get(b)! - scores.get(a)!,
  )[0]!;

  const byDocument = new Map<number, number>();
  for (const [s] of [...scores.entries()].sort((a, b) => b[1] - a[1])) {
    if (docOf(s) !== docOf(shown) && !byDocument.has(docOf(s)) && !alreadyShown.has(s)) byDocument.set(docOf(s), s);
  }
  const documents = [docOf(shown), ...byDocument.keys()];
  const reports = new Set(documents.map((d) => story(d))).size;
  return {
    shown,
    score: group.lead.score,
    relevance: group.lead.relevance,
    alsoReportedBy: [...byDocument.values()],
    corroboration: { sources: documents.length, reports, retellings: documents.length - reports },
  };
}
