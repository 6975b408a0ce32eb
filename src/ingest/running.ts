/**
 * Ingestion while the bot runs: the corpus folder is watched and re-indexed on change, /ingest and
 * /forget go through the same (one-at-a-time) rebuild, configured feeds are polled on an interval,
 * and every new Searcher replaces the one the bot answers from.
 */
import type { Config } from '../config.js';
import type { Searcher } from '../answer/searcher.js';
import { LiveSearcher, type LiveLog } from '../answer/live.js';
import { Ingestor } from './ingest.js';

export interface IngestAccess {
  ingestor: Ingestor;
  /** Members with this role may ingest, besides those with Manage Server. */
  roleId: string | undefined;
}

export interface RunningIngestion {
  access: IngestAccess;
  live: LiveSearcher;
  /** Makes `holder.searcher` follow every rebuild (the bot's context). */
  attach(holder: { searcher?: Searcher }): void;
  close(): Promise<void>;
}

type Settings = Pick<Config, 'corpusDir' | 'storeDir' | 'fetchMaxBytes' | 'fetchTimeoutMs' | 'allowPrivateFetch' | 'feedPollMinutes' | 'ingestRoleId'>;

export function startIngestion(searcher: Searcher, config: Settings, log: LiveLog & { error(message: string, fields?: Record<string, unknown>): void }, debounceMs?: number): RunningIngestion {
  const live = new LiveSearcher(searcher, { corpusDir: config.corpusDir, storeDir: config.storeDir, log, ...(debounceMs !== undefined ? { debounceMs } : {}) }).watch();
  const ingestor = new Ingestor({
    corpusDir: config.corpusDir,
    storeDir: config.storeDir,
    fetch: { maxBytes: config.fetchMaxBytes, timeoutMs: config.fetchTimeoutMs, allowPrivate: config.allowPrivateFetch },
    refresh: () => live.refresh(),
  });
  let polling: Promise<void> | null = null;
  const poll = () => {
    polling ??= ingestor
      .pollFeeds()
      .then((report) => {
        const added = report.feeds.reduce((n, f) => n + f.added.length, 0);
        if (added > 0 || report.feeds.some((f) => f.error || f.failed.length)) {
          log.info('feeds polled', { feeds: report.feeds.length, added, failed: report.feeds.map((f) => f.error ?? f.failed.length) });
        }
      })
      .catch((error: unknown) => log.warn('feed poll failed', { error }))
      .finally(() => {
        polling = null;
      });
  };
  const timer = config.feedPollMinutes > 0 ? setInterval(poll, config.feedPollMinutes * 60_000) : null;
  timer?.unref();
  return {
    access: { ingestor, roleId: config.ingestRoleId },
    live,
    attach: (holder) => {
      live.onSearcher((next) => {
        holder.searcher = next;
      });
    },
    close: async () => {
      if (timer) clearInterval(timer);
      await polling;
      await live.close();
    },
  };
}
