/**
 * A corpus that stays live while the bot runs: files added, changed or removed in the corpus
 * folder are indexed (incrementally: only what changed is read and embedded) without a restart,
 * and the Searcher is swapped only once the new view of the store is open, so questions keep
 * being answered from the previous one meanwhile. A failed update (a corpus emptied by mistake,
 * a full disk) is reported and the previous Searcher stays. After a write, segments are merged in
 * the background (a step at a time, so answers keep flowing), and the merged store swapped in.
 * With a shared database, another process's write is taken in by `reload` (no file is read).
 */
import { watch, type FSWatcher } from 'node:fs';
import { openStore } from '../index/backend.js';
import { buildIndex, type IndexReport } from '../index/build.js';
import { isExtractedText } from '../corpus/layout.js';
import { VerbatimError } from '../errors.js';
import { Searcher } from './searcher.js';
import { openSearcher, type OpenOptions } from './open.js';

export interface LiveLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface LiveOptions extends Pick<OpenOptions, 'corpusDir' | 'storeDir' | 'collection' | 'onWarning'> {
  /** Quiet time after the last change before rebuilding. */
  debounceMs?: number;
  log?: LiveLog;
}

export const DEFAULT_DEBOUNCE_MS = 750;
/** How long a replaced Searcher keeps its files open for questions still being answered on it. */
const RETIRE_AFTER_MS = 60_000;
/** Graph points added between pauses of a background merge. */
const MERGE_STEP = 32;

/**
 * Runs a task one at a time: calls made while it runs share one more run after it, so none
 * misses a change made meanwhile, and a burst of calls costs two runs at most.
 */
class OneAtATime<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly task: () => Promise<T>) {}

  run(): Promise<T> {
    if (!this.running) {
      this.running = this.task().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.run();
      });
    return this.queued;
  }

  /** Waits for the runs asked for so far; never rejects. */
  async settled(): Promise<void> {
    await (this.queued ?? this.running)?.catch(() => undefined);
  }
}

/** Holds the current Searcher; `refresh()` rebuilds and swaps it, one rebuild at a time. */
export class LiveSearcher {
  private readonly rebuilds = new OneAtATime(() => this.rebuild());
  private readonly reloads = new OneAtATime(() => this.swapToLatest());
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners: ((searcher: Searcher) => void)[] = [];
  private merging: Promise<void> | null = null;
  /** Swaps happen one at a time, each reading the store's latest version, so views only move forward. */
  private swapping: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** What the last rebuild did (null before the first). */
  lastReport: IndexReport | null = null;

  constructor(
    private searcher: Searcher,
    private readonly options: LiveOptions,
  ) {}

  get current(): Searcher {
    return this.searcher;
  }

  /** Called with each new Searcher after a rebuild changed the index. */
  onSearcher(listener: (searcher: Searcher) => void): this {
    this.listeners.push(listener);
    return this;
  }

  /** Brings the index up to date with the corpus and returns the Searcher to use (one rebuild at a time). */
  refresh(): Promise<Searcher> {
    return this.rebuilds.run();
  }

  /**
   * Another process wrote the collection (a shared database told us): swaps in a view of what the
   * store holds now, reading no file and embedding nothing (one reload at a time).
   */
  reload(): Promise<Searcher> {
    return this.reloads.run();
  }

  /** Waits for the reloads asked for so far (questions wait for them, so that they see what is written). */
  fresh(): Promise<void> {
    return this.reloads.settled();
  }

  /** Opens a view of the store's latest version and swaps it in, when it is newer than the current one. */
  private swapToLatest(): Promise<Searcher> {
    const swap = this.swapping.then(async () => {
      const store = openStore(this.options.storeDir, this.options.collection);
      const status = this.closed ? null : await store.status();
      if (!status || status.version === this.searcher.store.version) return this.searcher;
      const { embedder, settings } = this.searcher;
      const previous = this.searcher;
      this.searcher = new Searcher(await store.view(), embedder, settings);
      setTimeout(() => previous.store.close(), RETIRE_AFTER_MS).unref();
      for (const listener of this.listeners) listener(this.searcher);
      return this.searcher;
    });
    this.swapping = swap.catch(() => undefined);
    return swap;
  }

  private async rebuild(): Promise<Searcher> {
    const { embedder } = this.searcher;
    const store = openStore(this.options.storeDir, this.options.collection);
    // Merging is left to the background here, so that a write costs only what it writes.
    const report = await buildIndex({ corpusDir: this.options.corpusDir, storeDir: this.options.storeDir, store, embedder, mergeBudget: 0 });
    this.lastReport = report;
    for (const skipped of report.skipped) this.options.log?.warn(`skipped ${skipped.path}: ${skipped.reason}`);
    // Unless a reload (another process's write, since) has swapped in this version already.
    await this.swapToLatest();
    if (!report.upToDate) {
      this.options.log?.info('index updated', {
        documents: report.documents,
        embedded: report.embeddedDocuments,
        removed: report.removedDocuments,
        seconds: Number(report.seconds.toFixed(2)),
      });
      this.mergeInBackground();
    }
    return this.searcher;
  }

  /** Merges segments a step at a time, then swaps the merged store in. */
  private mergeInBackground(): void {
    if (this.merging || this.closed) return;
    this.merging = openStore(this.options.storeDir, this.options.collection)
      .maintain({ budget: Infinity, yieldEvery: MERGE_STEP })
      .then(async (changed) => {
        if (changed && !this.closed) await this.refresh();
      })
      .catch((error: unknown) => this.options.log?.warn('could not merge the index segments', { error }))
      .finally(() => {
        this.merging = null;
      });
  }

  /** Starts watching the corpus folder: a change is indexed after `debounceMs` of quiet. */
  watch(): this {
    if (this.watcher) return this;
    const debounce = this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    const changed = (name: string | null) => {
      // Hidden files are temporary writes; extracted text files are written by the reader itself.
      if (name && (name.split(/[\\/]/).some((part) => part.startsWith('.')) || isExtractedText(name))) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.refresh().catch((error: unknown) => {
          const why = 'could not update the index; answering from the previous one';
          // Someone's mistake to fix (an emptied folder, one the shared collection was not indexed from): one line, no stack.
          if (error instanceof VerbatimError && error.kind === 'user') this.options.log?.warn(`${why}: ${error.message}`, { code: error.code });
          else this.options.log?.warn(why, { error });
        });
      }, debounce);
    };
    try {
      this.watcher = watch(this.options.corpusDir, { recursive: true }, (_event, name) => changed(name));
    } catch {
      this.watcher = watch(this.options.corpusDir, (_event, name) => changed(name));
    }
    this.watcher.on('error', (error) => this.options.log?.warn('corpus watcher failed', { error }));
    return this;
  }

  /** Stops watching and waits for a rebuild in progress. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
    await this.rebuilds.settled();
    await this.fresh();
    await this.merging;
  }
}

/**
 * Opens the corpus (building the index if needed), then keeps it live: `onSearcher` gets each
 * new Searcher after files in the corpus change.
 */
export async function watchCorpus(
  options: LiveOptions & OpenOptions,
  onSearcher?: (searcher: Searcher) => void,
  searcher?: Searcher,
): Promise<LiveSearcher> {
  const live = new LiveSearcher(searcher ?? (await openSearcher(options)), options);
  if (onSearcher) live.onSearcher(onSearcher);
  return live.watch();
}
