/**
 * Posting what watches find: after each rebuild of a collection (feeds polled, /ingest, its corpus
 * folder changed), every watch whose channel reads that collection is checked, and what the new
 * documents say about its topic is posted there. Each sentence is claimed before it is posted
 * (src/ingest/watches.ts), so that it is posted once even when several processes check the same
 * watch. With several shards, each process checks only the watches of its own shards' servers
 * (every process sees each rebuild). Checks run one at a time; messages are sent one after another
 * through discord.js, which waits out Discord's rate limits.
 */
import { ShardClientUtil, type Client } from 'discord.js';
import { collectionDirs, collectionNames } from '../collections.js';
import type { WatchPost } from '../answer/watch.js';
import type { CollectionIngestion } from '../ingest/collections.js';
import { checkWatch } from '../ingest/watch-check.js';
import { WatchList, type Watch } from '../ingest/watches.js';
import { discordReply } from '../present/discord/reply.js';
import { watchDigestEmbed, watchPostEmbed } from '../present/discord/watch.js';
import type { Logger } from '../log.js';
import type { BotLibrary } from './library.js';

/** Messages (one per new document) a channel gets within DIGEST_WINDOW_MS before a burst is summarised. */
export const DIGEST_AFTER = 3;
const DIGEST_WINDOW_MS = 60_000;

export interface WatchPosting {
  /** Resolves once every check started so far has finished posting. */
  settled(): Promise<void>;
  /** Checks nothing more after the checks in progress. */
  stop(): Promise<void>;
}

/** Whether this client's shards serve a server (Discord sends a server's events to one shard only). */
export function servesGuild(client: Client, guildId: string): boolean {
  const { shards, shardCount } = client.options;
  if (!Array.isArray(shards) || shardCount === undefined || shardCount <= 1) return true;
  return shards.includes(ShardClientUtil.shardIdForGuildId(guildId, shardCount));
}

/** The posts whose sentences this process claimed for the watch (another process checking it too gets the rest, once). */
async function claimed(list: WatchList, id: string, posts: readonly WatchPost[]): Promise<WatchPost[]> {
  if (posts.length === 0) return [];
  const mine = new Set(await list.claim(id, posts.flatMap((p) => p.quotes.map((q) => q.key))));
  return posts.map((p) => ({ ...p, quotes: p.quotes.filter((q) => mine.has(q.key)) })).filter((p) => p.quotes.length > 0);
}

export function postWatches(client: Client, ingestion: CollectionIngestion, library: BotLibrary, log: Logger): WatchPosting {
  const options = ingestion.collections.options;
  /** When each channel was last sent a per-document message, newest last. */
  const sent = new Map<string, number[]>();
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  /** One message per document, or one digest when they would pass DIGEST_AFTER within the window. */
  async function post(watch: Watch & { channelId: string }, posts: readonly WatchPost[]): Promise<boolean> {
    const channel = await client.channels.fetch(watch.channelId).catch(() => null);
    if (!channel?.isSendable()) {
      log.warn('watch channel cannot be posted to', { watch: watch.id, channel: watch.channelId });
      return false;
    }
    const now = Date.now();
    const recent = (sent.get(watch.channelId) ?? []).filter((t) => now - t < DIGEST_WINDOW_MS);
    const messages = recent.length + posts.length > DIGEST_AFTER ? [watchDigestEmbed(watch, posts)] : posts.map((p) => watchPostEmbed(watch, p));
    for (const embed of messages) {
      await channel.send(discordReply({ embeds: [embed] }));
      recent.push(Date.now());
    }
    sent.set(watch.channelId, recent);
    return true;
  }

  /** Posts, or gives the claimed sentences back when posting fails. */
  async function postOrRelease(list: WatchList, watch: Watch & { channelId: string }, posts: readonly WatchPost[]): Promise<boolean> {
    const keys = posts.flatMap((p) => p.quotes.map((q) => q.key));
    const sent = await post(watch, posts).catch(async (error: unknown) => {
      await list.release(watch.id, keys);
      throw error;
    });
    if (!sent) await list.release(watch.id, keys);
    return sent;
  }

  /** Checks the watches of one collection's list that read `changed`, posts, and records what was posted. */
  async function checkList(list: WatchList, changed: string): Promise<void> {
    const checks = new Map<string, { checkedAt: string; posted: string[] }>();
    for (const watch of await list.load()) {
      if (watch.guildId === undefined || watch.channelId === undefined) continue;
      // Another shard's server: that shard's process checks and posts it.
      if (!servesGuild(client, watch.guildId)) continue;
      const place = { guildId: watch.guildId, channelId: watch.channelId };
      if (!library.reads(place).includes(changed)) continue;
      try {
        const check = await checkWatch(await library.reader(place), watch);
        const posts = await claimed(list, watch.id, check.posts);
        // Not posted (the channel is gone or hidden, or sending failed): given back, so a later check tries again.
        if (posts.length > 0 && !(await postOrRelease(list, { ...watch, channelId: watch.channelId }, posts))) continue;
        checks.set(watch.id, { checkedAt: check.newest ?? watch.lastCheckedAt, posted: [] });
        log.info('watch checked', { watch: watch.id, collection: changed, documents: posts.length, sentences: posts.reduce((n, p) => n + p.quotes.length, 0) });
      } catch (error) {
        log.warn('watch check failed', { watch: watch.id, collection: changed, error });
      }
    }
    if (checks.size > 0) await list.recordChecks(checks);
  }

  async function changed(name: string): Promise<void> {
    // Before logging in (collections opened at start) nothing can be posted: the next rebuild will.
    if (!client.isReady()) return;
    // A shared collection is read by every server: each collection's watches may read it.
    const lists = options.sharedCollections.includes(name) ? await collectionNames(options) : [name];
    for (const listName of lists) {
      if (stopped) return;
      await checkList(WatchList.in(collectionDirs(options, listName).storeDir, listName), name).catch((error: unknown) => log.warn('watches not checked', { collection: listName, error }));
    }
  }

  ingestion.collections.onSearcher((name) => {
    if (!stopped) queue = queue.then(() => changed(name));
  });
  return {
    settled: async () => {
      let seen: Promise<void>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    stop: async () => {
      stopped = true;
      await queue;
    },
  };
}
