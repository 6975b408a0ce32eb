import type { Store } from '../index/store.js';
import { sameStatement, sentenceRows, statementFeatures, type StatementFeatures } from '../search/statements.js';
import { sentencesOf } from '../index/lookup.js';
import { SpellingCheck } from './names.js';

/** Documents that tell one story: a report and its rewrites, translations and republications. */
export interface StoryGroup {
  documents: number[];
  /** The document the others most likely derive from. */
  original: number;
}

/** Share of A's sentences that B states too, above which B retells A (or A retells B). */
const RETELLING_ALIGNMENT = 0.5;
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
  private readonly vectors: Float32Array[];
  private readonly groups = new Map<number, StoryGroup>();
  private readonly links = new Map<number, Map<number, number>>();
  private spelling: SpellingCheck | undefined;

  constructor(private readonly store: Store) {
    this.vectors = this.documentVectors();
  }

  /** Share of a document's names that look garbled: lower is cleaner. */
  oddSpelling(doc: number): number {
    this.spelling ??= new SpellingCheck(this.store.data);
    return this.spelling.oddSpellingRate(doc);
  }

  private featuresOf(doc: number): StatementFeatures[] {
    let features = this.features.get(doc);
    if (!features) {
      const { data } = this.store;
      const rows = sentenceRows(data);
      features = sentencesOf(data, doc).map((i) => statementFeatures(data, rows, i));
      this.features.set(doc, features);
    }
    return features;
  }

  private documentVectors(): Float32Array[] {
    const { data, manifest } = this.store;
    const dims = manifest.dimensions;
    const vectors = data.documents.map(() => new Float32Array(dims));
    data.passages.forEach((passage, p) => {
      const v = vectors[passage.doc]!;
      for (let d = 0; d < dims; d += 1) v[d]! += data.passageVectors[p * dims + d]!;
    });
    for (const v of vectors) {
      const norm = Math.hypot(...v) || 1;
      for (let d = 0; d < dims; d += 1) v[d]! /= norm;
    }
    return vectors;
  }

  private alignment(from: number, to: number): number {
    const a = this.featuresOf(from);
    if (a.length === 0) return 0;
    const dims = this.store.manifest.dimensions;
    const b = this.featuresOf(to);
    return a.filter((x) => b.some((y) => sameStatement(this.store.data, dims, x, y))).length / a.length;
  }

  /** Documents that retell `doc` or that it retells, with how strongly they align. */
  private retellingLinks(doc: number): Map<number, number> {
    const known = this.links.get(doc);
    if (known) return known;
    const { data } = this.store;
    const found = new Map<number, number>();
    const near = new Set(this.store.vectors.query(this.vectors[doc]!, CANDIDATE_PASSAGES).map((h) => data.passages[h.passage]!.doc));
    for (const other of near) {
      if (other === doc) continue;
      let similarity = 0;
      for (let d = 0; d < this.vectors[doc]!.length; d += 1) similarity += this.vectors[doc]![d]! * this.vectors[other]![d]!;
      if (similarity < CANDIDATE_SIMILARITY) continue;
      const strength = this.alignment(doc, other) + this.alignment(other, doc);
      if (Math.max(this.alignment(doc, other), this.alignment(other, doc)) >= RETELLING_ALIGNMENT) found.set(other, strength);
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
      .map((doc) => ({ doc, time: Date.parse(this.store.data.documents[doc]!.meta.published ?? '') }))
      .filter((d) => !Number.isNaN(d.time))
      .sort((a, b) => a.time - b.time);
    if (dated.length > 0) return dated[0]!.doc;
    const merit = (doc: number) => (resemblance.get(doc) ?? 0) - this.oddSpelling(doc) * 5;
    return [...members].sort((a, b) => merit(b) - merit(a) || a - b)[0]!;
  }
}

const finders = new WeakMap<Store, RetellingFinder>();

/** The retelling finder of a loaded store, made once. */
export function retellingsOf(store: Store): RetellingFinder {
  let finder = finders.get(store);
  if (!finder) {
    finder = new RetellingFinder(store);
    finders.set(store, finder);
  }
  return finder;
}
