/**
 * The built bot with SHARDS=2 (`npm start` as dist/main.js): discord.js's ShardingManager runs two
 * shard processes on the loopback Discord, sharing one PostgreSQL database (tests/harness/
 * postgres-setup.ts). Two servers, one on each shard, read and write one collection
 * (COLLECTIONS_FILE): what is ingested on shard 0 is answered on shard 1 at once, quoted verbatim
 * and not embedded again there; a watch in shard 1's server is posted by shard 1; a shard that
 * dies is started again; SIGTERM stops every process. Without DATABASE_URL, SHARDS is refused.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { MessageFlags, PermissionFlagsBits, type APIEmbed, type APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Searcher } from '../../src/answer/searcher.js';
import { recommendedShardCount } from '../../src/bot/shards.js';
import { PostgresStore } from '../../src/index/postgres/store.js';
import { unescapeMarkdown } from '../../src/present/discord/markdown.js';
import { displayText } from '../../src/present/text.js';
import { startFakeDiscord, type FakeDiscord } from '../harness/fake-discord.js';
import { runBuilt, type Run } from '../helpers/built.js';
import { sharedEmbedder } from '../helpers/embedder.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { copySeedCorpus, foldersRemovedAfterAll, temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, makePdf, REPORT_PAGES, serve, startServer, type TestServer } from '../ingest/fixtures.js';
import { callbackOf, editOf, onlyEmbed, originalMessage } from './harness.js';

const folders = foldersRemovedAfterAll();
let discord: FakeDiscord;
let server: TestServer;
let bot: Run;
let url: string;
let collectionsDir: string;
/** How the sharded bot was started: its working folder and settings. */
let started: { cwd: string; env: NodeJS.ProcessEnv };
/** Server a is on shard 0, server b on shard 1; both map to the collection "newsroom". */
const guilds = { a: '', b: '' };
const channels = { a: '', b: '' };
const admins = {} as Record<'a' | 'b', APIUser>;
const pids: Record<number, number> = {};

function environment(cwd: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(DISCORD_|MENTION_|COOLDOWN_|LOG_LEVEL|DATABASE_|SHARD)/.test(key)));
  return { ...env, DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.restUrl, COOLDOWN_SECONDS: '0', LOG_LEVEL: 'info', STORE_DIR: path.join(cwd, 'store'), ...extra };
}

/** The pid of the newest process started for a shard (other than `previous`), from the manager's log. */
async function shardStarted(shard: number, previous?: number): Promise<number> {
  const newest = () => {
    const lines = bot.output().split('\n').filter((line) => line.includes(`shard started shard=${shard} shards=2 `));
    const pid = Number(/pid=(\d+)/.exec(lines.at(-1) ?? '')?.[1] ?? NaN);
    return Number.isNaN(pid) || pid === previous ? undefined : pid;
  };
  await bot.waitFor(new RegExp(`shard started shard=${shard} shards=2 pid=(?!${previous ?? 0}$)`));
  return newest()!;
}

const connectedLines = (shard: number) => bot.output().split('\n').filter((line) => line.includes('connected to Discord') && line.endsWith(`shard=${shard}`));

beforeAll(async () => {
  discord = await startFakeDiscord();
  server = await startServer();
  server.routes.set('/news/harbour/bridge-repairs', serve('text/html; charset=utf-8', articleHtml()));
  server.routes.set('/attachments/reservoir-plan.pdf', serve('application/pdf', makePdf(REPORT_PAGES, { title: 'Reservoir plan', author: 'Water Board' })));
  for (const [key, shard] of [['a', 0], ['b', 1]] as const) {
    ({ guildId: guilds[key], channelId: channels[key] } = discord.addGuild(`Newsroom ${key}`, { shard: [shard, 2] }));
    const role = discord.createRole('editors', PermissionFlagsBits.ManageGuild, guilds[key]);
    admins[key] = discord.createUser({ username: `editor-${key}`, roles: [role.id], guilds: [guilds[key]] });
  }
  const cwd = await temporaryFolder('verbatim-shards-');
  const corpus = await copySeedCorpus();
  folders.push(cwd, corpus);
  collectionsDir = path.join(cwd, 'collections');
  const collectionsFile = path.join(cwd, 'collections.json');
  await fs.writeFile(collectionsFile, JSON.stringify({ guilds: { [guilds.a]: 'newsroom', [guilds.b]: 'newsroom' } }));
  url = await freshDatabase();
  started = {
    cwd,
    env: environment(cwd, { SHARDS: '2', DATABASE_URL: url, CORPUS_DIR: corpus, COLLECTIONS_DIR: collectionsDir, COLLECTIONS_FILE: collectionsFile, ALLOW_PRIVATE_FETCH: 'true', FEED_POLL_MINUTES: '0', FETCH_TIMEOUT_MS: '5000' }),
  };
  bot = runBuilt('main.js', started.env, cwd);
  for (const shard of [0, 1]) {
    pids[shard] = await shardStarted(shard);
    await bot.waitFor(new RegExp(`connected to Discord .*shard=${shard}$`));
  }
}, 180_000);
afterAll(async () => {
  bot?.child.kill('SIGKILL');
  for (const pid of Object.values(pids)) killQuietly(pid);
  await discord?.close();
  await server?.close();
  await dropDatabases();
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ingest(key: 'a' | 'b', options: Record<string, unknown>): Promise<APIEmbed> {
  const sent = discord.sendSlashCommand({ name: 'ingest', options: options as never, user: admins[key], guildId: guilds[key] });
  await editOf(discord, sent);
  return onlyEmbed(originalMessage(discord, sent));
}

/** The quotes of an /ask answer in a server: “…” in the embed's description. */
async function ask(key: 'a' | 'b', question: string): Promise<string[]> {
  const sent = discord.sendSlashCommand({ name: 'ask', options: { question }, user: admins[key], guildId: guilds[key] });
  await editOf(discord, sent);
  return [...(onlyEmbed(originalMessage(discord, sent)).description ?? '').matchAll(/\*\*\d+\.\*\* “(.*)”\n/g)].map((m) => unescapeMarkdown(m[1]!));
}

/** Every stored text of a collection, as the database holds it. */
async function storedTexts(collection: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ text: string }>('SELECT text FROM documents WHERE collection = $1', [collection])).rows.map((r) => r.text);
  } finally {
    await client.end();
  }
}

describe('SHARDS=2 with DATABASE_URL', () => {
  it('runs two shard processes, each logged in as its own shard with its own servers', () => {
    expect(discord.shards.sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(pids[0]).not.toBe(pids[1]);
    expect(bot.output()).not.toContain(discord.token);
  });

  it('answers in the server on shard 1 at once what was ingested in the server on shard 0, quoted verbatim, embedded once', async () => {
    const added = await ingest('a', { url: `${server.base}/news/harbour/bridge-repairs` });
    expect(added.title).toMatch(/^Added 1 document from bridge-repairs-[0-9a-f]{8}\.html$/);
    const quotes = await ask('b', 'How many steel cables were found to be corroded?');
    const quote = quotes.find((q) => q.includes('42 of the steel cables'));
    expect(quote).toBeDefined();
    expect((await storedTexts('newsroom')).some((text) => displayText(text).includes(quote!.replace(/ ?…$/, '')))).toBe(true);

    // Now that shard 1 has the collection open, a second article reaches it through the database's notification.
    const pdf = { filename: 'Reservoir Plan.pdf', url: `${server.base}/attachments/reservoir-plan.pdf`, size: 1200, contentType: 'application/pdf' };
    expect((await ingest('a', { file: pdf })).title).toBe('Added 1 document from reservoir-plan.pdf');
    const reservoir = await ask('b', 'How much water will the Millbrook reservoir hold?');
    expect(reservoir.length).toBeGreaterThan(0);
    const file = await fs.readFile(path.join(collectionsDir, 'newsroom', 'corpus', 'reservoir-plan.pdf.txt'), 'utf8');
    expect(await storedTexts('newsroom')).toContain(file);
    expect(displayText(file)).toContain(reservoir[0]!.replace(/ ?…$/, ''));
    // The quotes are exact slices of the text the database holds, whichever process reads it.
    const answer = await new Searcher(await new PostgresStore(url, 'newsroom').view(), await sharedEmbedder()).ask('How much water will the Millbrook reservoir hold?');
    expect(answer.quotes.length).toBeGreaterThan(0);
    for (const q of answer.quotes) expect(file.slice(q.start, q.end)).toBe(q.text);

    // Shard 1 heard of the write from the database, saw the same files appear in the collection's
    // folder, and found them indexed already.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const shard1 = bot.output().split('\n').filter((line) => line.endsWith('shard=1'));
    expect(shard1.filter((line) => line.includes('collection reopened: another process wrote it collection=newsroom'))).toHaveLength(1);
    expect(shard1.filter((line) => /(index updated|collection indexed).*embedded=[1-9]/.test(line))).toEqual([]);
    expect(bot.output().split('\n').filter((line) => /(index updated|collection indexed) .*embedded=1 .*shard=0$/.test(line))).toHaveLength(2);
  });

  it('posts a watch of the server on shard 1 from shard 1, when shard 0 ingests', async () => {
    const sent = discord.sendSlashCommand({ name: 'watch', options: [{ type: 1, name: 'add', options: [{ type: 3, name: 'topic', value: 'ferries during the bridge closure' }] }] as never, guildId: guilds.b, user: admins.b });
    const body = (await callbackOf(discord, sent)).body as { data: { flags?: number } };
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    server.routes.set('/news/harbour/ferries', serve('text/html; charset=utf-8', articleHtml({ title: 'Extra ferries for the bridge closure', paragraphs: ['Extra ferries will cross the harbour every ten minutes while the bridge is closed for repairs, the harbour authority said on Friday.', 'Tickets will cost the same as a bus fare.'] })));
    await ingest('a', { url: `${server.base}/news/harbour/ferries` });
    const posts = () => discord.messagesIn(channels.b).flatMap((m) => (m.author.id === discord.botUserId ? (m.embeds ?? []) : [])).filter((e) => e.footer?.text.startsWith('Watch '));
    await expect.poll(() => posts().length, { timeout: 15_000 }).toBe(1);
    expect(posts()[0]!.description).toContain('Extra ferries will cross the harbour every ten minutes');
    await bot.waitFor(/watch checked .*shard=1$/);
    expect(bot.output().split('\n').filter((line) => line.includes('watch channel cannot be posted to'))).toEqual([]);
  });

  it('starts a shard that dies again, and it answers as before', async () => {
    const connected = connectedLines(1).length;
    process.kill(pids[1]!, 'SIGKILL');
    await bot.waitFor(/shard exited; starting it again shard=1 code=null signal=SIGKILL/);
    pids[1] = await shardStarted(1, pids[1]);
    await expect.poll(() => connectedLines(1).length, { timeout: 60_000 }).toBeGreaterThan(connected);
    expect((await ask('b', 'How many steel cables were found to be corroded?')).some((q) => q.includes('42 of the steel cables'))).toBe(true);
  });

  it('stops every shard process on SIGTERM, and exits 0', async () => {
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(bot.output()).toMatch(/shutting down signal=SIGTERM\n/);
    for (const shard of [0, 1]) expect(bot.output()).toMatch(new RegExp(`shutting down signal=SIGTERM shard=${shard}`));
    expect(bot.output()).toContain('all shards stopped');
    for (const pid of Object.values(pids)) expect(alive(pid)).toBe(false);
  });
});

describe('SHARD_LIST', () => {
  it('runs only the shards it names, and they stop when their manager is gone', async () => {
    const sessions = discord.gatewayStats.identifies;
    bot = runBuilt('main.js', { ...started.env, SHARD_LIST: '1' }, started.cwd);
    const pid = await shardStarted(1);
    await bot.waitFor(/connected to Discord .*shard=1$/);
    expect(bot.output()).not.toMatch(/shard started shard=0/);
    expect(discord.gatewayStats.identifies).toBe(sessions + 1);
    expect((await ask('b', 'How many steel cables were found to be corroded?')).some((q) => q.includes('42 of the steel cables'))).toBe(true);
    bot.child.kill('SIGKILL');
    await expect.poll(() => alive(pid), { timeout: 15_000 }).toBe(false);
  });
});

describe('SHARDS refused before any shard starts', () => {
  /** What a manager that starts no shard writes (its first line, and how many), and its exit code. */
  async function refusal(extra: Record<string, string>): Promise<{ code: number | null; line: string; lines: number }> {
    const cwd = await temporaryFolder('verbatim-shards-');
    folders.push(cwd);
    const refused = runBuilt('main.js', environment(cwd, { SHARDS: '2', CORPUS_DIR: cwd, ...extra }), cwd);
    const { code } = await refused.exited;
    const lines = refused.output().trim().split('\n');
    expect(refused.output()).not.toContain('shard started');
    return { code, line: lines[0]!, lines: lines.length };
  }

  it('without DATABASE_URL, in one line, exit 2: the embedded store serves one process', async () => {
    const { code, line, lines } = await refusal({});
    expect({ code, lines }).toEqual({ code: 2, lines: 1 });
    expect(line).toMatch(/SHARDS=2 runs the bot as several processes, and the embedded store serves one: set DATABASE_URL .* code=SHARDS_NEED_DATABASE$/);
  });

  it('with a database that cannot be reached (exit 1, the cause logged), or a bad COLLECTIONS_FILE (exit 2, one line)', async () => {
    const unreachable = await refusal({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.line).toMatch(/ERROR Could not reach the PostgreSQL database at 127\.0\.0\.1:1\/none .* code=DATABASE_UNREACHABLE /);
    const file = path.join(started.cwd, 'bad-collections.json');
    await fs.writeFile(file, '{"guilds": {"123": "News Room"}}');
    const bad = await refusal({ DATABASE_URL: url, COLLECTIONS_FILE: file });
    expect({ code: bad.code, lines: bad.lines }).toEqual({ code: 2, lines: 1 });
    expect(bad.line).toMatch(/Cannot use .+bad-collections\.json: guilds\.123: "News Room" is not a collection name/);
  });

  it('asks Discord for the shard count SHARDS=auto starts', async () => {
    discord.settings.recommendedShards = 3;
    expect(await recommendedShardCount({ discordApiBase: discord.restUrl, discordToken: discord.token })).toBe(3);
    discord.settings.recommendedShards = 1;
  });
});
