/** `verbatim add` and `verbatim feed …`: bringing coverage in from the command line. */
import type { Config } from '../config.js';
import type { Embedder } from '../index/embedder.js';
import { openStore } from '../index/backend.js';
import { JoinedView } from '../index/joined.js';
import { Ingestor } from '../ingest/ingest.js';
import type { PollReport } from '../ingest/poll.js';
import type { AddedDocument } from '../ingest/types.js';
import { Searcher } from '../answer/searcher.js';
import { indexCorpus, loadEmbedder, type OpenOptions } from '../answer/open.js';
import type { CliArgs } from './args.js';
import { describeIndexReport, type Output } from './output.js';

export function fetchPolicy(config: Pick<Config, 'fetchMaxBytes' | 'fetchTimeoutMs' | 'allowPrivateFetch'>) {
  return { maxBytes: config.fetchMaxBytes, timeoutMs: config.fetchTimeoutMs, allowPrivate: config.allowPrivateFetch };
}

export function describeDocument(doc: AddedDocument): string {
  const outlet = doc.outlet ? ` — ${doc.outlet}` : '';
  const from = doc.original ?? doc.path;
  return `${doc.title ?? doc.id}${outlet} (${from}; ${doc.passages} passage${doc.passages === 1 ? '' : 's'})`;
}

function describePoll(report: PollReport): string[] {
  const lines: string[] = [];
  for (const feed of report.feeds) {
    const name = feed.title ? `${feed.title} (${feed.url})` : feed.url;
    if (feed.error) {
      lines.push(`${name}: ${feed.error}`);
      continue;
    }
    lines.push(`${name}: ${feed.added.length} new item${feed.added.length === 1 ? '' : 's'} added${feed.failed.length ? `, ${feed.failed.length} failed` : ''}`);
    for (const item of feed.added) lines.push(`  + ${item.title ?? item.link ?? item.id} → ${item.file}`);
    for (const item of feed.failed) lines.push(`  ! ${item.title ?? item.link ?? item.id}: ${item.reason}`);
  }
  if (report.feeds.length === 0) lines.push('No feeds yet: add one with "verbatim feed add URL".');
  return lines;
}

export async function runIngest(args: CliArgs, config: Config, options: OpenOptions & { name: string }, io: Output): Promise<number> {
  let embedder: Embedder | undefined;
  const ingestor = new Ingestor({
    corpusDir: options.corpusDir,
    storeDir: options.storeDir,
    collection: options.name,
    fetch: fetchPolicy(config),
    refresh: async () => {
      embedder ??= await loadEmbedder(options);
      const report = await indexCorpus(options, embedder);
      describeIndexReport(report).forEach((line) => io.stderr.write(`${line}\n`));
      // Only to report what was added: the search structures load if a search ever asks for them.
      const view = await openStore(options.storeDir, options.name).view({ eager: false });
      return new Searcher(new JoinedView([{ name: options.name, view }]), embedder);
    },
  });
  const print = (value: unknown, lines: string[]) => io.stdout.write(args.json ? `${JSON.stringify(value)}\n` : `${lines.join('\n')}\n`);
  const [first = '', second] = args.targets;

  if (args.command === 'add') {
    const result = /^https?:\/\//i.test(first) ? await ingestor.addUrl(first) : await ingestor.addFile(first);
    print(result, [`Added ${result.file}:`, ...result.documents.map((doc) => `  ${describeDocument(doc)}`)]);
    return 0;
  }
  if (first === 'add') {
    const feed = await ingestor.addFeed(second!);
    print(feed, [`Following ${feed.title ?? feed.url} (${feed.url}). "verbatim feed poll" adds its items.`]);
    return 0;
  }
  if (first === 'remove') {
    await ingestor.removeFeed(second!);
    print({ removed: second }, [`No longer following ${second}.`]);
    return 0;
  }
  if (first === 'list') {
    const feeds = await ingestor.listFeeds();
    print(
      feeds.map(({ seen, ...feed }) => ({ ...feed, items: seen.length })),
      feeds.length
        ? feeds.map((f) => `${f.url}  ${f.title ?? ''}  (${f.seen.length} items added, last polled ${f.lastPolledAt ?? 'never'})`)
        : ['No feeds yet: add one with "verbatim feed add URL".'],
    );
    return 0;
  }
  const report = await ingestor.pollFeeds();
  print(report, [...describePoll(report), ...report.documents.map((doc) => `  indexed: ${describeDocument(doc)}`)]);
  return report.feeds.some((feed) => feed.error) ? 1 : 0;
}
