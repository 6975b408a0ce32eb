/**
 * Writing to many collections while the bot runs: each collection has its own Ingestor (its corpus
 * folder, its feeds, its one-rebuild-at-a-time live index), so that adding to one never waits for
 * another; feeds of every collection are polled on the interval, one collection after another.
 * Several processes sharing a database (shards) each run this timer: a collection's feeds are
 * polled by whichever takes the turn first (a lock in the database), and not again by the others
 * while they are fresher than half the interval.
 */
import type { Config } from '../config.js';
import { collectionDirs, collectionNames } from '../collections.js';
import { takeTurn } from '../index/backend.js';
import type { OpenCollections } from '../answer/open-collections.js';
import type { Searcher } from '../answer/searcher.js';
import { Ingestor } from './ingest.js';

type Settings = Pick<Config, 'fetchMaxBytes' | 'fetchTimeoutMs' | 'allowPrivateFetch' | 'feedPollMinutes'>;

interface PollLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export class CollectionIngestion {
  private readonly ingestors = new Map<string, Ingestor>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    readonly collections: OpenCollections,
    private readonly settings: Settings,
    private readonly log?: PollLog,
  ) {}

  /** The Ingestor of a collection; the collection is created (and loaded) by its first write. */
  ingestor(name: string): Ingestor {
    let ingestor = this.ingestors.get(name);
    if (!ingestor) {
      const { corpusDir, storeDir } = collectionDirs(this.collections.options, name);
      ingestor = new Ingestor({
        corpusDir,
        storeDir,
        collection: name,
        fetch: { maxBytes: this.settings.fetchMaxBytes, timeoutMs: this.settings.fetchTimeoutMs, allowPrivate: this.settings.allowPrivateFetch },
        refresh: async () => {
          await (await this.collections.live(name, true)).refresh();
          return this.collections.reader([name]);
        },
      });
      this.ingestors.set(name, ingestor);
    }
    return ingestor;
  }

  /** What a writer of `name` sees: that collection alone (empty until its first write). */
  own(name: string): Promise<Searcher> {
    return this.collections.reader([name]);
  }

  /** Polls every collection's feeds now (one poll at a time). */
  poll(): Promise<void> {
    this.polling ??= this.pollAll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async pollAll(): Promise<void> {
    for (const name of await collectionNames(this.collections.options)) {
      const ingestor = this.ingestor(name);
      try {
        if ((await ingestor.listFeeds()).length === 0) continue;
        const took = await takeTurn('feeds', name, async () => {
          // Read again under the lock: another process may have just polled them.
          if (this.polledRecently(await ingestor.listFeeds())) return;
          const report = await ingestor.pollFeeds();
          const added = report.feeds.reduce((n, f) => n + f.added.length, 0);
          if (added > 0 || report.feeds.some((f) => f.error || f.failed.length)) {
            this.log?.info('feeds polled', { collection: name, feeds: report.feeds.length, added, failed: report.feeds.map((f) => f.error ?? f.failed.length) });
          }
        });
        if (!took) this.log?.info('feeds left to the process polling them now', { collection: name });
      } catch (error) {
        this.log?.warn('feed poll failed', { collection: name, error });
      }
    }
  }

  /** Whether every feed was polled within half the interval (by this process or another). */
  private polledRecently(feeds: readonly { lastPolledAt: string | null }[]): boolean {
    const fresh = (this.settings.feedPollMinutes * 60_000) / 2;
    return this.timer !== null && feeds.every((f) => f.lastPolledAt !== null && Date.now() - Date.parse(f.lastPolledAt) < fresh);
  }

  /** Polls on FEED_POLL_MINUTES (0: never). */
  start(): this {
    if (this.settings.feedPollMinutes > 0 && !this.timer) {
      this.timer = setInterval(() => void this.poll(), this.settings.feedPollMinutes * 60_000);
      this.timer.unref();
    }
    return this;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await this.collections.close();
  }
}
