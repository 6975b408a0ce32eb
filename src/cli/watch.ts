/** `verbatim watch add|list|remove|check`: topics watched in the store folder, and what new documents say about them. */
import { openSearcher, type OpenOptions } from '../answer/open.js';
import { checkWatch } from '../ingest/watch-check.js';
import { WatchList } from '../ingest/watches.js';
import { renderWatchCheck } from '../present/watch.js';
import type { CliArgs } from './args.js';
import type { Output } from './output.js';

/** Checks every watch against the documents indexed since its last check; remembers what was reported. */
async function check(list: WatchList, options: OpenOptions, args: Pick<CliArgs, 'json'>, io: Output): Promise<void> {
  // Taken before indexing: a document indexed while this runs is new to the next check too (its sentences are not reported twice).
  const checkedAt = new Date().toISOString();
  const searcher = await openSearcher(options);
  const checks = new Map<string, { checkedAt: string; posted: string[] }>();
  // A Discord channel's watches are the bot's to post; checking them here would mark their sentences as posted.
  for (const watch of (await list.load()).filter((w) => w.channelId === undefined)) {
    const { posts, posted } = await checkWatch(searcher, watch);
    const { id, topic } = watch;
    io.stdout.write(`${args.json ? JSON.stringify({ watch: { id, topic }, since: watch.lastCheckedAt, documents: posts }) : renderWatchCheck(watch, posts)}\n`);
    checks.set(id, { checkedAt, posted });
  }
  await list.recordChecks(checks);
}

export async function runWatch(args: CliArgs, options: OpenOptions, io: Output): Promise<number> {
  const list = WatchList.in(options.storeDir, options.collection);
  const [sub, ...rest] = args.targets;
  if (sub === 'add') {
    const watch = await list.add(rest.join(' ').trim());
    io.stdout.write(`${args.json ? JSON.stringify(watch) : `Watching “${watch.topic}” as ${watch.id}: "verbatim watch check" shows what documents indexed from now on say about it.`}\n`);
  } else if (sub === 'remove') {
    const removed = await list.remove(rest[0]!);
    io.stdout.write(`${args.json ? JSON.stringify(removed) : `No longer watching “${removed.topic}” (${removed.id}).`}\n`);
  } else if (sub === 'list') {
    const watches = await list.load();
    if (args.json) io.stdout.write(`${JSON.stringify(watches.map(({ posted, ...w }) => ({ ...w, posted: posted.length })))}\n`);
    else io.stdout.write(`${watches.length === 0 ? 'No watches.' : watches.map((w) => `${w.id}  “${w.topic}”  last checked ${w.lastCheckedAt}${w.channelId ? `  (posted by the bot to Discord channel ${w.channelId})` : ''}`).join('\n')}\n`);
  } else {
    await check(list, options, args, io);
  }
  return 0;
}
