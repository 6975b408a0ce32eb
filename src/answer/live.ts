/**
 * A corpus that stays live while the bot runs: files added, changed or removed in the corpus
 * folder are indexed (incrementally, by content hash) without a restart, and the Searcher is
 * swapped only once the new store is loaded, so questions keep being answered from the previous
 * one meanwhile. A failed rebuild (a corpus emptied by mistake, a full disk) is reported and the
 * previous Searcher stays.
 */
import { watch, type FSWatcher } from 'node:fs';
import { buildIndex, type IndexReport } from '../index/build.js';
import { loadStore } from '../index/store.js';
import { isExtractedText } from '../corpus/layout.js';
import { Searcher } from './searcher.js';
import { openSearcher, type OpenOptions } from './open.js';

export interface LiveLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface LiveOptions extends Pick<OpenOptions, 'corpusDir' | 'storeDir' | 'onWarning'> {
  /** Quiet time after the last change before rebuilding. */
  debounceMs?: number;
  log?: LiveLog;
}

export const DEFAULT_DEBOUNCE_MS = 750;

/** Holds the current Searcher; `refresh()` rebuilds and swaps it, one rebuild at a time. */
export class LiveSearcher {
  private running: Promise<Searcher> | null = null;
  private queued: Promise<Searcher> | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners: ((searcher: Searcher) => void)[] = [];
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

  /**
   * Brings the index up to date with the corpus and returns the Searcher to use. Calls made while
   * a rebuild runs share one more rebuild after it (so none misses a change made meanwhile).
   */
  refresh(): Promise<Searcher> {
    if (!this.running) {
      this.running = this.rebuild().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh();
      });
    return this.queued;
  }

  private async rebuild(): Promise<Searcher> {
    const { embedder, settings } = this.searcher;
    const report = await buildIndex({ corpusDir: this.options.corpusDir, storeDir: this.options.storeDir, embedder });
    this.lastReport = report;
    for (const skipped of report.skipped) this.options.log?.warn(`skipped ${skipped.path}: ${skipped.reason}`);
    if (report.upToDate) return this.searcher;
    this.searcher = new Searcher(await loadStore(this.options.storeDir), embedder, settings);
    this.options.log?.info('index updated', {
      documents: report.documents,
      embedded: report.embeddedDocuments,
      removed: report.removedDocuments,
      seconds: Number(report.seconds.toFixed(2)),
    });
    for (const listener of this.listeners) listener(this.searcher);
    return this.searcher;
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
        this.refresh().catch((error: unknown) =>
          this.options.log?.warn('could not update the index; answering from the previous one', { error }),
        );
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
    await (this.queued ?? this.running)?.catch(() => undefined);
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
