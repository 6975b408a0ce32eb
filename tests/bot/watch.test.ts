/**
 * /watch on the loopback Discord, with two servers that each have their own collection and read the
 * shared `default`: a watch in server A gets the relevant sentences of an article ingested in A,
 * quoted exactly and labelled, once (not again when the article is re-indexed); server B's watch
 * on the same topic gets nothing from A's article; a burst of documents is one digest; only Manage
 * Server may watch; B cannot remove A's watch; a document added to the shared collection reaches
 * both servers' watches, through a 429.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MessageFlags, type APIEmbed, type APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postWatches, type WatchPosting } from '../../src/bot/watch-posts.js';
import type { CollectionIngestion } from '../../src/ingest/collections.js';
import type { FakeDiscord, FakeInteraction } from '../harness/fake-discord.js';
import { DAM_ARTICLES, writeDamCorpus } from '../export/corpus.js';
import { articleHtml, serve, startServer, type TestServer } from '../ingest/fixtures.js';
import { temporaryFolder } from '../helpers/seeds.js';
import { callbackOf } from './harness.js';
import { startTwoServers, type TwoServers } from './two-servers.js';

const TOPIC = 'Riverside dam repairs';
/** The Courier's sentence that retells the Herald's (the Herald is in the shared collection). */
const RETOLD = 'Repairs on the Riverside dam started on Monday after inspectors found cracks in 12 of its concrete panels.';
const COURIER_PARAGRAPHS = DAM_ARTICLES['dam-courier.txt']!.text.split('\n').slice(2).filter(Boolean);

let running: TwoServers | undefined;
let discord: FakeDiscord;
let ingestion: CollectionIngestion;
let posting: WatchPosting;
let server: TestServer;
let root: string;
let guilds: TwoServers['guilds'];
let channels: TwoServers['channels'];
let admins: TwoServers['admins'];
let memberA: APIUser;
const watchIds = { a: '', b: '' };

beforeAll(async () => {
  server = await startServer();
  server.routes.set('/news/dam-works', serve('text/html; charset=utf-8', articleHtml({ title: 'Dam works start in Riverside', paragraphs: COURIER_PARAGRAPHS })));
  root = await temporaryFolder('verbatim-bot-watch-');
  const defaultCorpus = path.join(root, 'corpus');
  await fs.mkdir(defaultCorpus);
  await writeDamCorpus(defaultCorpus, { 'dam-herald.txt': DAM_ARTICLES['dam-herald.txt']!, 'orchard.txt': DAM_ARTICLES['orchard.txt']! });

  running = await startTwoServers(root, () => undefined);
  ({ discord, ingestion, guilds, channels, admins } = running);
  memberA = discord.createUser({ username: 'member-a', guilds: [guilds.a] });
  posting = postWatches(running.client, ingestion, running.library, running.log);
}, 120_000);
afterAll(async () => {
  await posting?.stop();
  await running?.stop();
  await server?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

type Guild = 'a' | 'b';

function sub(name: string, options: Record<string, string> = {}) {
  return [{ type: 1, name, options: Object.entries(options).map(([key, value]) => ({ type: 3, name: key, value })) }];
}

/** The reply to a /watch (an ephemeral embed) or its one-line failure. */
async function watchCommand(guild: Guild, name: string, options: Record<string, string> = {}, user = admins[guild]): Promise<{ embed?: APIEmbed; content?: string }> {
  const sent: FakeInteraction = discord.sendSlashCommand({ name: 'watch', options: sub(name, options), guildId: guilds[guild], user });
  const body = (await callbackOf(discord, sent)).body as { data: { flags?: number; embeds?: APIEmbed[]; content?: string } };
  expect(body.data.flags).toBe(MessageFlags.Ephemeral);
  return { ...(body.data.embeds?.[0] ? { embed: body.data.embeds[0] } : {}), ...(body.data.content ? { content: body.data.content } : {}) };
}

/** What the watches have posted to a server's channel so far. */
function posts(guild: Guild): APIEmbed[] {
  return discord
    .messagesIn(channels[guild])
    .filter((m) => m.author.id === discord.botUserId)
    .flatMap((m) => m.embeds ?? [])
    .filter((e) => e.footer?.text.startsWith('Watch '));
}

async function ingestInA(url: string): Promise<void> {
  const sent = discord.sendSlashCommand({ name: 'ingest', options: { url }, user: admins.a, guildId: guilds.a });
  await discord.waitForCall((call) => call.method === 'PATCH' && call.path.includes(sent.token) && call.status === 200, 30_000);
  await posting.settled();
}

/** A watch's digest of a burst (see watchDigestEmbed), rather than one document's quotes. */
const isDigest = (embed: APIEmbed) => (embed.footer?.text ?? '').includes('summarised rather than posted one by one');

describe('/watch', () => {
  it('is refused to a member without Manage Server', async () => {
    expect((await watchCommand('a', 'add', { topic: TOPIC }, memberA)).content).toMatch(/\(INGEST_NOT_ALLOWED\)$/);
  });

  it('posts the relevant sentences of an article ingested in A to A\'s channel, quoted exactly, and nothing to B', async () => {
    for (const guild of ['a', 'b'] as const) {
      const { embed } = await watchCommand(guild, 'add', { topic: TOPIC });
      expect(embed?.title).toBe(`Watching “${TOPIC}” here`);
      watchIds[guild] = /`([a-z0-9]+)`/.exec(embed!.description!)![1]!;
    }
    await ingestInA(`${server.base}/news/dam-works`);
    const inA = posts('a');
    expect(inA).toHaveLength(1);
    expect(inA[0]!.footer!.text).toContain(watchIds.a);
    expect(inA[0]!.description).toContain(`“${RETOLD}”\n*retelling of Riverside dam repairs begin (Valley Herald)*`);
    // The quote is the article's own text, as stored in A's collection.
    const own = await ingestion.own(guilds.a);
    const texts = own.store.documentNumbers().map((doc) => own.store.text(doc));
    expect(texts.some((text) => text.includes(RETOLD))).toBe(true);
    expect(posts('b')).toHaveLength(0);
  });

  it('does not post the same sentences again when the article is re-indexed', async () => {
    server.routes.set('/news/dam-works', serve('text/html; charset=utf-8', articleHtml({ title: 'Dam works start in Riverside', paragraphs: [...COURIER_PARAGRAPHS, 'Orchards in the valley picked a record apple harvest this autumn.'] })));
    await ingestInA(`${server.base}/news/dam-works`);
    expect(posts('a')).toHaveLength(1);
  });

  it('lists a server\'s watches there only, and gives B the same "not found" for A\'s watch as for an unknown one', async () => {
    expect(JSON.stringify((await watchCommand('a', 'list')).embed)).toContain(watchIds.a);
    expect(JSON.stringify((await watchCommand('b', 'list')).embed)).not.toContain(watchIds.a);
    const unknown = (await watchCommand('b', 'remove', { id: 'ffffffff' })).content!;
    expect(unknown).toMatch(/\(WATCH_NOT_FOUND\)$/);
    expect((await watchCommand('b', 'remove', { id: watchIds.a })).content).toBe(unknown.replace('ffffffff', watchIds.a));
    expect((await watchCommand('a', 'remove', { id: watchIds.a })).embed?.title).toBe(`No longer watching “${TOPIC}”`);
    expect(JSON.stringify((await watchCommand('a', 'list')).embed)).toContain('0 watches');
  });

  it('summarises a burst of documents in one digest', async () => {
    const { embed } = await watchCommand('a', 'add', { topic: TOPIC });
    const id = /`([a-z0-9]+)`/.exec(embed!.description!)![1]!;
    const before = posts('a').length;
    const corpus = path.join(root, 'collections', guilds.a, 'corpus');
    const outlets = ['North Star', 'Dale Post', 'Lake Times', 'Ridge News', 'Fen Chronicle'];
    await writeDamCorpus(
      corpus,
      Object.fromEntries(
        outlets.map((outlet, i) => [
          `dam-${i}.txt`,
          { text: `Dam inspection ${i + 1}\n\nThe Riverside dam repairs will need ${i + 20} more workers, the ${outlet} learned on Friday.\n`, meta: { title: `Dam inspection ${i + 1}`, outlet } },
        ]),
      ),
    );
    // A loaded machine may index the five files in more than one rebuild: wait until all are posted.
    const titles = outlets.map((_, i) => `Dam inspection ${i + 1}`);
    await vi.waitFor(() => expect(titles.every((t) => JSON.stringify(posts('a').slice(before)).includes(t))).toBe(true), { timeout: 60_000, interval: 200 });
    await posting.settled();
    const burst = posts('a').slice(before);
    const digests = burst.filter(isDigest);
    // At most DIGEST_AFTER messages of one document each; the rest of the burst is summarised.
    expect(burst.length - digests.length).toBeLessThanOrEqual(3);
    expect(digests.length).toBeGreaterThanOrEqual(1);
    for (const digest of digests) expect(digest.footer!.text).toContain(id);
    for (const title of titles) expect(burst.filter((e) => JSON.stringify(e).includes(title))).toHaveLength(1);
    expect(posts('b').every((e) => !JSON.stringify(e).includes('Dam inspection'))).toBe(true);
  }, 90_000);

  it('posts what a document added to the shared collection says to the watches of every server reading it', async () => {
    const before = { a: posts('a').length, b: posts('b').length };
    // Discord answers B's first post with a 429: discord.js waits it out and sends again.
    const toB = (call: { method: string; path: string }) => call.method === 'POST' && call.path === `/channels/${channels.b}/messages`;
    discord.rateLimitNext(toB, 0.5);
    await writeDamCorpus(path.join(root, 'corpus'), {
      'dam-gazette.txt': { text: 'Dam repair bill rises\n\nThe Riverside dam repairs will cost 9 million dollars, the regional water board said on Friday.\n', meta: { title: 'Dam repair bill rises', outlet: 'Hill Gazette' } },
    });
    await discord.waitForCall((call) => toB(call) && call.status === 200, 60_000);
    expect(discord.calls.filter(toB).map((call) => call.status)).toEqual([429, 200]);
    await posting.settled();
    for (const guild of ['a', 'b'] as const) {
      const added = posts(guild).slice(before[guild]);
      expect(added).toHaveLength(1);
      // A's channel may still be within the minute of the burst above (split over rebuilds on a
      // loaded machine, it can reach three single posts): then the rule makes this a digest too.
      if (guild === 'a' && isDigest(added[0]!)) expect(added[0]!.description).toContain('Dam repair bill rises');
      else expect(added[0]!.description).toMatch(/“The Riverside dam repairs will cost 9 million dollars, the regional water board said on Friday\.”\n\*differing figure .*7 million.*Valley Herald/);
    }
  }, 90_000);
});
