/**
 * Many collections in one long-running process (the bot): each is loaded when first asked about,
 * kept live (its corpus folder watched, re-indexed on change, one rebuild at a time), and closed
 * again when the open ones outgrow the memory budget, least recently used first. Shared
 * collections are read by every question, so they stay open. The model is loaded once for all.
 * With a shared database, `followStore` keeps them fresh with what other processes write.
 */
import { promises as fs } from 'node:fs';
import { collectionExists } from '../collections.js';
import { followStoreChanges } from '../index/backend.js';
import type { Embedder } from '../index/embedder.js';
import type { ChangeFeed } from '../index/postgres/changes.js';
import { JoinedView } from '../index/joined.js';
import { collectionOptions, type CollectionSettings } from './collections.js';
import { LiveSearcher, type LiveLog } from './live.js';
import { openView } from './open.js';
import { Searcher } from './searcher.js';
import { asVerbatimError, createError } from '../errors.js';

/**
 * Memory an open collection takes per passage: vectors, postings, texts and records, as the
 * benchmark measured it (2.88 KiB per passage, README "Benchmarks"), rounded up.
 */
const BYTES_PER_PASSAGE = 3 * 1024;
/**
 * What an open collection takes besides its passages (vector index, watcher, caches): the bench
 * measured 18.6 MiB more resident memory with 8 small collections (30 passages each) open.
 */
const BYTES_PER_COLLECTION = 2 * 1024 * 1024;
/** How long a closed collection's files stay open for questions still being answered from it. */
const RETIRE_AFTER_MS = 60_000;
/** Searchers over sets of collections kept ready (they hold caches, such as retellings). */
const READERS_KEPT = 64;

export interface OpenCollectionsOptions extends CollectionSettings {
  /** COLLECTION_MEMORY_MB, in bytes. */
  memoryBytes: number;
  debounceMs?: number;
  log?: LiveLog;
}

/** An estimate of what a collection holds in memory once open. */
export function collectionBytes(passages: number): number {
  return BYTES_PER_COLLECTION + passages * BYTES_PER_PASSAGE;
}

export class OpenCollections {
  /** Open collections, least recently used first (Map order). */
  private readonly open = new Map<string, LiveSearcher>();
  private readonly opening = new Map<string, Promise<LiveSearcher>>();
  private readonly readers = new Map<string, Searcher>();
  private readonly listeners: ((name: string, searcher: Searcher) => void)[] = [];
  /** Collections written elsewhere while being opened: reloaded once open. */
  private readonly changedWhileOpening = new Set<string>();
  private feed: ChangeFeed | null = null;

  constructor(
    readonly options: OpenCollectionsOptions,
    readonly embedder: Embedder,
  ) {}

  /** Collections open now, least recently used first. */
  get names(): string[] {
    return [...this.open.keys()];
  }

  /** Estimated memory of the open collections. */
  get bytes(): number {
    return [...this.open.values()].reduce((n, live) => n + collectionBytes(live.current.store.passageCount), 0);
  }

  /** Called with a collection's Searcher when it is opened and after each rebuild. */
  onSearcher(listener: (name: string, searcher: Searcher) => void): void {
    this.listeners.push(listener);
  }

  exists(name: string): Promise<boolean> {
    return collectionExists(this.options, name);
  }

  /**
   * The live collection, loaded (and indexed) on first use; with `create`, its folders are made
   * when it does not exist yet. A collection that does not exist is COLLECTION_UNKNOWN.
   */
  async live(name: string, create = false): Promise<LiveSearcher> {
    const open = this.open.get(name);
    if (open) {
      this.open.delete(name);
      this.open.set(name, open);
      return open;
    }
    let opening = this.opening.get(name);
    if (!opening) {
      opening = this.load(name, create).finally(() => this.opening.delete(name));
      this.opening.set(name, opening);
    }
    return opening;
  }

  private async load(name: string, create: boolean): Promise<LiveSearcher> {
    const options = collectionOptions(this.options, name, {
      onWarning: (message) => this.options.log?.warn(message),
      onIndexed: (report) => this.options.log?.info('collection indexed', { collection: name, documents: report.documents, embedded: report.embeddedDocuments, seconds: Number(report.seconds.toFixed(2)) }),
    });
    if (create) await fs.mkdir(options.corpusDir, { recursive: true });
    else if (!(await this.exists(name))) throw createError('COLLECTION_UNKNOWN', name);
    const started = Date.now();
    const searcher = new Searcher(await openView(options, this.embedder), this.embedder);
    const live = new LiveSearcher(searcher, { ...options, log: this.options.log, ...(this.options.debounceMs !== undefined ? { debounceMs: this.options.debounceMs } : {}) });
    live.onSearcher((next) => {
      this.forgetReaders(name);
      for (const listener of this.listeners) listener(name, next);
    });
    live.watch();
    this.open.set(name, live);
    if (this.changedWhileOpening.delete(name)) this.reload(name, live);
    this.options.log?.info('collection opened', { collection: name, passages: searcher.store.passageCount, ms: Date.now() - started });
    this.evict();
    // Opening indexes what changed while it was closed (a first write creates it): that is news too.
    for (const listener of this.listeners) listener(name, searcher);
    return live;
  }

  /**
   * With a shared database (DATABASE_URL), listens for what any process writes: an open collection
   * written elsewhere has its view reopened (its Searcher swapped, listeners told, as after a
   * rebuild here), and after the listening connection came back, every open collection is.
   */
  async followStore(): Promise<void> {
    this.feed ??= await followStoreChanges({
      changed: (name) => {
        const live = this.open.get(name);
        if (live) this.reload(name, live);
        else if (this.opening.has(name)) this.changedWhileOpening.add(name);
      },
      reconnected: () => {
        for (const [name, live] of this.open) this.reload(name, live);
      },
      ...(this.options.log ? { log: this.options.log } : {}),
    });
  }

  private reload(name: string, live: LiveSearcher): void {
    const before = live.current;
    live
      .reload()
      .then((searcher) => {
        if (searcher !== before) this.options.log?.info('collection reopened: another process wrote it', { collection: name, passages: searcher.store.passageCount });
      })
      .catch((error: unknown) => this.options.log?.warn('could not reopen a collection written elsewhere; answering from the previous view', { collection: name, error }));
  }

  /** Closes the least recently used collections (never a shared one) while over the budget. */
  private evict(): void {
    for (const [name, live] of this.open) {
      if (this.bytes <= this.options.memoryBytes) return;
      if (this.options.sharedCollections.includes(name) || this.open.size <= 1) continue;
      this.open.delete(name);
      this.forgetReaders(name);
      const view = live.current.store;
      void live.close().then(() => setTimeout(() => view.close(), RETIRE_AFTER_MS).unref());
      this.options.log?.info('collection closed to stay within COLLECTION_MEMORY_MB', { collection: name });
    }
  }

  private forgetReaders(name: string): void {
    for (const key of [...this.readers.keys()]) if (key.split(',').includes(name)) this.readers.delete(key);
  }

  /**
   * A Searcher over the collections named that exist, read as one corpus (in that order). One
   * that cannot be read (its corpus emptied, say) is left out, so that it never stops questions.
   */
  async reader(names: readonly string[]): Promise<Searcher> {
    const present: string[] = [];
    const lives: LiveSearcher[] = [];
    for (const name of names) {
      if (!(await this.exists(name))) continue;
      const live = await this.live(name).catch((error: unknown) => {
        if (asVerbatimError(error).kind !== 'user') throw error;
        this.options.log?.warn('collection left out of questions', { collection: name, error: asVerbatimError(error).message });
        return null;
      });
      if (live) {
        present.push(name);
        lives.push(live);
      }
    }
    // A write another process made is reopened before the question is answered (see `followStore`).
    await Promise.all(lives.map((live) => live.fresh()));
    const key = present.join(',');
    // A rebuild of any of them forgets the readers over it (see `load`).
    const known = this.readers.get(key);
    if (known) return known;
    const view = new JoinedView(
      lives.map((live, i) => ({ name: present[i]!, view: live.current.store })),
      this.embedder,
    );
    const searcher = new Searcher(view, this.embedder);
    this.readers.delete(key);
    this.readers.set(key, searcher);
    while (this.readers.size > READERS_KEPT) this.readers.delete(this.readers.keys().next().value!);
    return searcher;
  }

  /** Stops watching every collection and waits for rebuilds in progress. */
  async close(): Promise<void> {
    await this.feed?.close();
    this.feed = null;
    await Promise.all([...this.opening.values()].map((p) => p.catch(() => undefined)));
    await Promise.all([...this.open.values()].map((live) => live.close()));
    this.open.clear();
    this.readers.clear();
  }
}
