/**
 * /watch with DATABASE_URL on the loopback Discord: the watch lives in the database (not in the
 * server's store folder), and when two posters check it at once after an article is ingested
 * (as two bot processes would), each new sentence reaches the channel once: the one that claims
 * its key posts it, the other finds it claimed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MessageFlags, type APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWatches, type WatchPosting } from '../../src/bot/watch-posts.js';
import { WatchList } from '../../src/ingest/watches.js';
import { DAM_ARTICLES, writeDamCorpus } from '../export/corpus.js';
import { articleHtml, serve, startServer, type TestServer } from '../ingest/fixtures.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { foldersRemovedAfterAll, temporaryFolder } from '../helpers/seeds.js';
import { callbackOf } from './harness.js';
import { startTwoServers, type TwoServers } from './two-servers.js';

const TOPIC = 'Riverside dam repairs';
const RETOLD = 'Repairs on the Riverside dam started on Monday after inspectors found cracks in 12 of its concrete panels.';
const folders = foldersRemovedAfterAll();
let running: TwoServers | undefined;
let posters: WatchPosting[] = [];
let server: TestServer;
let root: string;

beforeAll(async () => {
  process.env.DATABASE_URL = await freshDatabase();
  server = await startServer();
  const paragraphs = DAM_ARTICLES['dam-courier.txt']!.text.split('\n').slice(2).filter(Boolean);
  server.routes.set('/news/dam-works', serve('text/html; charset=utf-8', articleHtml({ title: 'Dam works start in Riverside', paragraphs })));
  root = await temporaryFolder('verbatim-bot-pg-watch-');
  folders.push(root);
  await fs.mkdir(path.join(root, 'corpus'));
  await writeDamCorpus(path.join(root, 'corpus'), { 'dam-herald.txt': DAM_ARTICLES['dam-herald.txt']!, 'orchard.txt': DAM_ARTICLES['orchard.txt']! });
  running = await startTwoServers(root, () => undefined);
  posters = [0, 1].map(() => postWatches(running!.client, running!.ingestion, running!.library, running!.log));
}, 120_000);
afterAll(async () => {
  await Promise.all(posters.map((p) => p.stop()));
  await running?.stop();
  await server?.close();
  delete process.env.DATABASE_URL;
  await dropDatabases();
});

type Guild = 'a' | 'b';

/** /watch add in a server; returns the watch id. */
async function addWatch(guild: Guild): Promise<string> {
  const { discord, guilds, admins } = running!;
  const add = discord.sendSlashCommand({ name: 'watch', options: [{ type: 1, name: 'add', options: [{ type: 3, name: 'topic', value: TOPIC }] }], guildId: guilds[guild], user: admins[guild] });
  const reply = (await callbackOf(discord, add)).body as { data: { flags: number; embeds: APIEmbed[] } };
  expect(reply.data.flags).toBe(MessageFlags.Ephemeral);
  return /`([a-z0-9]+)`/.exec(reply.data.embeds[0]!.description!)![1]!;
}

/** What the watches have posted to a server's channel so far. */
function watchPosts(guild: Guild): APIEmbed[] {
  const { discord, channels } = running!;
  return discord
    .messagesIn(channels[guild])
    .filter((m) => m.author.id === discord.botUserId)
    .flatMap((m) => m.embeds ?? [])
    .filter((e) => e.footer?.text.startsWith('Watch '));
}

const storeOf = (guild: Guild) => path.join(root, 'collections', running!.guilds[guild], 'store');

describe('/watch with the PostgreSQL store', () => {
  it('posts each new sentence once when two posters check the watch at once', async () => {
    const { discord, guilds, admins } = running!;
    const id = await addWatch('a');
    // Kept in the database under A's collection, not in its store folder.
    expect((await WatchList.in(storeOf('a'), guilds.a).load()).map((w) => w.id)).toEqual([id]);
    await expect(fs.access(path.join(storeOf('a'), 'watches.json'))).rejects.toThrow();

    const ingest = discord.sendSlashCommand({ name: 'ingest', options: { url: `${server.base}/news/dam-works` }, user: admins.a, guildId: guilds.a });
    await discord.waitForCall((call) => call.method === 'PATCH' && call.path.includes(ingest.token) && call.status === 200, 30_000);
    await Promise.all(posters.map((p) => p.settled()));
    const posted = watchPosts('a');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.description!.split(RETOLD)).toHaveLength(2);
    const [watch] = await WatchList.in(storeOf('a'), guilds.a).load();
    expect(watch!.posted.length).toBeGreaterThan(0);
    expect(watch!.posted).toHaveLength(new Set(watch!.posted).size);
  });

  it('reaches the watch of a server that never added a document, from the shared collection, once', async () => {
    const { discord, channels } = running!;
    await addWatch('b');
    // Watching created B's collection (its folder), as writing watches.json would have.
    await fs.access(storeOf('b'));
    const before = { a: watchPosts('a').length, b: watchPosts('b').length };
    await writeDamCorpus(path.join(root, 'corpus'), {
      'dam-gazette.txt': { text: 'Dam repair bill rises\n\nThe Riverside dam repairs will cost 9 million dollars, the regional water board said on Friday.\n', meta: { title: 'Dam repair bill rises', outlet: 'Hill Gazette' } },
    });
    await discord.waitForCall((call) => call.method === 'POST' && call.path === `/channels/${channels.b}/messages` && call.status === 200, 60_000);
    await Promise.all(posters.map((p) => p.settled()));
    for (const guild of ['a', 'b'] as const) {
      const added = watchPosts(guild).slice(before[guild]);
      expect(added).toHaveLength(1);
      expect(added[0]!.description).toContain('9 million dollars');
    }
  }, 90_000);
});
