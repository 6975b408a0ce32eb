import type { IndexView } from '../index/store.js';
import { dot } from '../retrieval/retrieve.js';
import { jaccard, sameStatement, statementFeatures, type StatementFeatures } from '../retrieval/statements.js';
import { sentencesOf, sentenceText } from '../index/lookup.js';
import { namesIn, SpellingCheck } from './names.js';

/** Documents that tell one story: a report and its rewrites, translations and republications. */
export interface StoryGroup {
  documents: number[];
  /** The document the others most likely derive from. */
  original: number;
}

/**
 * A retelling restates a good part of the other's sentences (at least this share of the shorter
 * document's, and never fewer than a few) and names the same people, places and figures
 * (at least this share of their names and numbers in common). Documents merely on the same
 * topic share statements in general terms but few specifics; measured on the seeds, an unseen
 * corpus and SciFact, retellings share 0.36–0.85 of their names and numbers, neighbours 0–0.18.
 */
const RETELLING_ALIGNMENT = 0.25;
const MIN_PAIRS = 3;
const SHARED_SPECIFICS = 0.3;
/** Documents whose average passage is at least this similar are compared sentence by sentence. */
const CANDIDATE_SIMILARITY = 0.6;
/** Nearest passages looked at to find a document's candidate retellings. */
const CANDIDATE_PASSAGES = 30;

/**
 * Finds which documents retell one another, lazily: a document's story is worked out the first
 * time it is asked for, by following retelling links from it, and then remembered.
 */
export class RetellingFinder {
  private readonly features = new Map<number, StatementFeatures[]>();
  private readonly specifics = new Map<number, Set<string>>();
  private readonly groups = new Map<number, StoryGroup>();
  private readonly links = new Map<number, Map<number, number>>();
  private spelling: SpellingCheck | undefined;

  constructor(private readonly store: IndexView) {}

  /** Share of a document's names that look garbled: lower is cleaner. */
  oddSpelling(doc: number): number {
    this.spelling ??= new SpellingCheck(this.store);
    return this.spelling.oddSpellingRate(doc);
  }

  private featuresOf(doc: number): StatementFeatures[] {
    let features = this.features.get(doc);
    if (!features) {
      const data = this.store;
      features = sentencesOf(data, doc).map((i) => statementFeatures(data, i));
      this.features.set(doc, features);
    }
    return features;
  }

  /** A document's names and figures: what a retelling keeps and a different story does not share. */
  private specificsOf(doc: number): Set<string> {
    let specifics = this.specifics.get(doc);
    if (!specifics) {
      const data = this.store;
      specifics = new Set<string>();
      for (const i of sentencesOf(data, doc)) {
        const text = sentenceText(data, i);
        for (const name of namesIn(` ${text}`)) specifics.add(name.toLowerCase());
        for (const figure of text.match(/\d[\d,.]*\d|\d/g) ?? []) specifics.add(figure.replace(/,/g, ''));
      }
      this.specifics.set(doc, specifics);
    }
    return specifics;
  }

  /**
   * Sentences of the two documents paired one to one when they state the same thing (one generic
   * sentence cannot vouch for many); stops early once `needed` pairs are out of reach.
   */
  private matchedPairs(a: number, b: number, needed: number): number {
    const left = this.featuresOf(a);
    const right = this.featuresOf(b);
    const used = new Set<number>();
    let pairs = 0;
    for (const [i, x] of left.entries()) {
      const match = right.findIndex((y, j) => !used.has(j) && sameStatement(this.store, x, y));
      if (match >= 0) {
        used.add(match);
        pairs += 1;
      }
      if (pairs + left.length - i - 1 < needed) break;
    }
    return pairs;
  }

  /** Documents that retell `doc` or that it retells, with how strongly they align. */
  private retellingLinks(doc: number): Map<number, number> {
    const known = this.links.get(doc);
    if (known) return known;
    const data = this.store;
    const found = new Map<number, number>();
    const vector = data.documentVector(doc);
    const near = new Set(data.searchVectors(vector, CANDIDATE_PASSAGES).map((h) => data.passage(h.passage).doc));
    for (const other of near) {
      if (other === doc) continue;
      if (dot(vector, data.documentVector(other)) < CANDIDATE_SIMILARITY) continue;
      if (jaccard(this.specificsOf(doc), this.specificsOf(other)) < SHARED_SPECIFICS) continue;
      const sizes = [this.featuresOf(doc).length, this.featuresOf(other).length];
      // The pairs needed for the shorter document to reach the alignment, and never fewer than a few.
      const needed = Math.max(MIN_PAIRS, Math.ceil(Math.min(...sizes) * RETELLING_ALIGNMENT));
      const pairs = this.matchedPairs(doc, other, needed);
      if (pairs >= needed) found.set(other, pairs / sizes[0]! + pairs / sizes[1]!);
    }
    this.links.set(doc, found);
    return found;
  }

  /** The story group of a document: everything reachable through retelling links. */
  storyOf(doc: number): StoryGroup {
    const known = this.groups.get(doc);
    if (known) return known;
    const members = new Set([doc]);
    const queue = [doc];
    const resemblance = new Map<number, number>();
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const [other, strength] of this.retellingLinks(current)) {
        resemblance.set(current, (resemblance.get(current) ?? 0) + strength);
        if (!members.has(other)) {
          members.add(other);
          queue.push(other);
        }
      }
    }
    const documents = [...members].sort((a, b) => a - b);
    const group = { documents, original: this.pickOriginal(documents, resemblance) };
    for (const member of documents) this.groups.set(member, group);
    return group;
  }

  /** The earliest dated member; else the one the others resemble most, penalising garbled spelling. */
  private pickOriginal(members: number[], resemblance: Map<number, number>): number {
    const dated = members
      .map((doc) => ({ doc, time: Date.parse(this.store.document(doc).meta.published ?? '') }))
      .filter((d) => !Number.isNaN(d.time))
      .sort((a, b) => a.time - b.time);
    if (dated.length > 0) return dated[0]!.doc;
    const merit = (doc: number) => (resemblance.get(doc) ?? 0) - this.oddSpelling(doc) * 5;
    return [...members].sort((a, b) => merit(b) - merit(a) || a - b)[0]!;
  }
}

const finders = new WeakMap<IndexView, RetellingFinder>();

/** The retelling finder of an index view, made once. */
export function retellingsOf(store: IndexView): RetellingFinder {
  let finder = finders.get(store);
  if (!finder) {
    finder = new RetellingFinder(store);
    finders.set(store, finder);
  }
  return finder;
}
