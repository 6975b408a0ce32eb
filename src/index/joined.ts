/**
 * Several collections' views read as one corpus: a question to a Discord server searches its own
 * collection and the shared ones together, with one ranking. Each member's numbers (documents,
 * sentences, passages, sentence rows) are shifted past the previous members', and searches merge
 * the members' hits; word search uses the statistics of all members together, so a passage
 * scores exactly as it would if the collections were one.
 */
import { addWordStatistics } from './lexical.js';
import { sharedNamesFrom } from './names.js';
import type { IndexView, SearchRequest, SearchResults, ViewExtent } from './store.js';
import type { DocumentRecord, LexicalHit, PassageRecord, SentenceRecord, VectorHit, WordStatistics } from './types.js';

export interface NamedView {
  /** The collection's name. */
  name: string;
  view: IndexView;
}

interface Member extends NamedView {
  base: ViewExtent;
}

type Key = keyof ViewExtent;

/** Hits of several members, best first (ties: the lower number, as within one view), the best `k`. */
function merged<H extends { passage: number }>(lists: H[][], k: number, score: (hit: H) => number): H[] {
  return lists
    .flat()
    .sort((a, b) => score(b) - score(a) || a.passage - b.passage)
    .slice(0, k);
}

export class JoinedView implements IndexView {
  private readonly members: Member[] = [];
  readonly extent: ViewExtent;
  readonly documentCount: number;
  readonly passageCount: number;
  readonly version: string;
  private live: number[] | undefined;
  private readonly shared = new Map<string, string[]>();
  /**
   * The search of the members in one place (PostgreSQL's, in the database): a single collection's
   * own, whose numbers are the joined ones, or several searched together with their statistics
   * summed (`searchTogether`). Otherwise the per-member searches below run instead.
   */
  readonly search?: (request: SearchRequest) => Promise<SearchResults>;

  /**
   * `views` in order of preference: a document id found in two members is the first's. With none
   * (a server that has added nothing, where nothing is shared) it is an empty corpus of `model`.
   */
  constructor(
    views: readonly NamedView[],
    private readonly model?: { modelId: string; dimensions: number },
  ) {
    if (views.length === 0 && !model) throw new Error('an empty joined view needs its model');
    const base: ViewExtent = { documents: 0, sentences: 0, passages: 0, rows: 0 };
    for (const { name, view } of views) {
      if (view.modelId !== views[0]!.view.modelId) throw new Error(`collection ${name} was indexed with another model`);
      this.members.push({ name, view, base: { ...base } });
      for (const key of Object.keys(base) as Key[]) base[key] += view.extent[key];
    }
    this.extent = base;
    this.documentCount = views.reduce((n, m) => n + m.view.documentCount, 0);
    this.passageCount = views.reduce((n, m) => n + m.view.passageCount, 0);
    this.version = views.map((m) => `${m.name}@${m.view.version}`).join(',');
    const only = views.length === 1 ? views[0]!.view : undefined;
    const together = views.length > 1 ? views[0]!.view.searchTogether?.(views.map((m) => m.view), this.members.map((m) => m.base.passages)) : undefined;
    if (only?.search) this.search = (request) => only.search!(request);
    else if (together) this.search = together;
  }

  get modelId(): string {
    return this.members[0]?.view.modelId ?? this.model!.modelId;
  }

  get dimensions(): number {
    return this.members[0]?.view.dimensions ?? this.model!.dimensions;
  }

  /** The collections, in order. */
  get collections(): readonly string[] {
    return this.members.map((m) => m.name);
  }

  /** The member whose numbers of kind `key` hold `n`. */
  private member(key: Key, n: number): Member {
    for (let i = this.members.length - 1; i > 0; i -= 1) if (this.members[i]!.base[key] <= n) return this.members[i]!;
    return this.members[0]!;
  }

  collectionOf(doc: number): string {
    return this.member('documents', doc).name;
  }

  documentNumbers(): readonly number[] {
    this.live ??= this.members.flatMap((m) => m.view.documentNumbers().map((d) => d + m.base.documents));
    return this.live;
  }

  document(doc: number): DocumentRecord {
    const m = this.member('documents', doc);
    return m.view.document(doc - m.base.documents);
  }

  /** By id or path, in the first collection that has it; `collection:id` names the collection. */
  findDocument(idOrPath: string): number | undefined {
    const colon = idOrPath.indexOf(':');
    const named = colon > 0 ? this.members.find((m) => m.name === idOrPath.slice(0, colon)) : undefined;
    const local = named?.view.findDocument(idOrPath.slice(colon + 1));
    if (named && local !== undefined) return local + named.base.documents;
    for (const m of this.members) {
      const found = m.view.findDocument(idOrPath);
      if (found !== undefined) return found + m.base.documents;
    }
    return undefined;
  }

  text(doc: number): string {
    const m = this.member('documents', doc);
    return m.view.text(doc - m.base.documents);
  }

  sentenceRange(doc: number): [number, number] {
    const m = this.member('documents', doc);
    const [first, end] = m.view.sentenceRange(doc - m.base.documents);
    return [first + m.base.sentences, end + m.base.sentences];
  }

  passageRange(doc: number): [number, number] {
    const m = this.member('documents', doc);
    const [first, end] = m.view.passageRange(doc - m.base.documents);
    return [first + m.base.passages, end + m.base.passages];
  }

  sentence(s: number): SentenceRecord {
    const m = this.member('sentences', s);
    const record = m.view.sentence(s - m.base.sentences);
    return { ...record, doc: record.doc + m.base.documents };
  }

  passage(p: number): PassageRecord {
    const m = this.member('passages', p);
    const record = m.view.passage(p - m.base.passages);
    return {
      doc: record.doc + m.base.documents,
      first: record.first + m.base.sentences,
      end: record.end + m.base.sentences,
      sentenceRow: record.sentenceRow + m.base.rows,
    };
  }

  sentenceRow(s: number): number {
    const m = this.member('sentences', s);
    return m.view.sentenceRow(s - m.base.sentences) + m.base.rows;
  }

  sentenceVector(row: number): Float32Array {
    const m = this.member('rows', row);
    return m.view.sentenceVector(row - m.base.rows);
  }

  passageVector(p: number): Float32Array {
    const m = this.member('passages', p);
    return m.view.passageVector(p - m.base.passages);
  }

  documentVector(doc: number): Float32Array {
    const m = this.member('documents', doc);
    return m.view.documentVector(doc - m.base.documents);
  }

  /** A member's passage filter: `keep` asked in the joined numbering. */
  private static keepIn(m: { base: { passages: number } }, keep?: (passage: number) => boolean) {
    return keep && ((p: number) => keep(p + m.base.passages));
  }

  searchVectors(vector: Float32Array, k: number, keep?: (passage: number) => boolean): VectorHit[] {
    const lists = this.members.map((m) =>
      m.view.searchVectors(vector, k, JoinedView.keepIn(m, keep)).map((hit) => ({ ...hit, passage: hit.passage + m.base.passages })));
    return merged(lists, k, (hit) => hit.similarity);
  }

  searchWords(text: string, k: number, keep?: (passage: number) => boolean, statistics?: WordStatistics): LexicalHit[] {
    statistics ??= this.wordStatistics(text);
    const lists = this.members.map((m) =>
      m.view.searchWords(text, k, JoinedView.keepIn(m, keep), statistics).map((hit) => ({ ...hit, passage: hit.passage + m.base.passages })));
    return merged(lists, k, (hit) => hit.score);
  }

  wordStatistics(text: string): WordStatistics {
    return addWordStatistics(this.members.map((m) => m.view.wordStatistics(text)));
  }

  nameDocuments(name: string, limit: number): number {
    let count = 0;
    for (const m of this.members) {
      count += m.view.nameDocuments(name, limit - count);
      if (count >= limit) break;
    }
    return count;
  }

  nameCounts(initial: string): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.members) for (const [name, n] of m.view.nameCounts(initial)) counts.set(name, (counts.get(name) ?? 0) + n);
    return counts;
  }

  sharedNames(initial: string): readonly string[] {
    return sharedNamesFrom(this.shared, initial, (prefix) => this.nameCounts(prefix));
  }

  /** The members belong to whoever opened them (they outlive this view); nothing to release here. */
  close(): void {}
}
