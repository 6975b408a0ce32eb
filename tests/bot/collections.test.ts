/**
 * Two servers on the loopback Discord, each with its own collection and both reading the shared
 * `default`: what server A adds is answerable in A and nowhere in B (answers, /sources,
 * autocomplete, /forget), B's forged buttons and document ids get the same "not found" as
 * unknown ones, and the shared collection is read by both and changed by neither.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MessageFlags, type APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionIngestion } from '../../src/ingest/collections.js';
import type { FakeDiscord, FakeInteraction } from '../harness/fake-discord.js';
import { articleHtml, rssFeed, serve, startServer, type TestServer } from '../ingest/fixtures.js';
import { SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { buttonId, callbackOf, editOf, onlyEmbed, originalMessage } from './harness.js';
import { startTwoServers, type TwoServers } from './two-servers.js';

let running: TwoServers | undefined;
let discord: FakeDiscord;
let ingestion: CollectionIngestion;
let server: TestServer;
let root: string;
let defaultCorpus: string;
let guilds: TwoServers['guilds'];
let admins: TwoServers['admins'];
let readerB: APIUser;
const logs: string[] = [];

const ARTICLE_QUESTION = 'How many steel cables were found to be corroded?';
const ARTICLE_SENTENCE = '42 of the steel cables';
const FERRY_PARAGRAPHS = [
  'The night ferry between Portwell and Stanmouth will return on 2 May after a three-year pause, the operator said on Thursday.',
  'Tickets for the crossing will cost 18 pounds for foot passengers, and the ferry will sail three times a week.',
];
const SHARED_QUESTION = 'How much territory does Ukraine still hold in Kursk?';

beforeAll(async () => {
  server = await startServer();
  server.routes.set('/news/harbour/bridge-repairs', serve('text/html; charset=utf-8', articleHtml()));
  server.routes.set('/news/ferry', serve('text/html; charset=utf-8', articleHtml({ title: 'Night ferry returns', paragraphs: FERRY_PARAGRAPHS })));
  root = await temporaryFolder('verbatim-bot-collections-');
  defaultCorpus = path.join(root, 'corpus');
  await fs.mkdir(defaultCorpus);
  for (const name of ['003_0597df7a1cb1a5cd.txt', '004_918447a18b64fa1b.txt']) await fs.copyFile(path.join(SEED_CORPUS, name), path.join(defaultCorpus, name));

  running = await startTwoServers(root, (line) => logs.push(line));
  ({ discord, ingestion, guilds, admins } = running);
  readerB = discord.createUser({ username: 'reader-b', guilds: [guilds.b] });

  // Server A adds an article: it lands in A's own collection, named after the server.
  const sent = discord.sendSlashCommand({ name: 'ingest', options: { url: `${server.base}/news/harbour/bridge-repairs` }, user: admins.a, guildId: guilds.a });
  await editOf(discord, sent);
  expect(onlyEmbed(originalMessage(discord, sent)).title).toMatch(/^Added 1 document/);
}, 120_000);
afterAll(async () => {
  await running?.stop();
  await server?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

type Guild = 'a' | 'b';

async function ask(guild: Guild, question: string): Promise<{ sent: FakeInteraction; text: string }> {
  const sent = discord.sendSlashCommand({ name: 'ask', options: { question }, user: discord.createUser({ guilds: [guilds[guild]] }), guildId: guilds[guild] });
  await editOf(discord, sent);
  const embed = onlyEmbed(originalMessage(discord, sent));
  return { sent, text: JSON.stringify(embed) };
}

async function choicesFor(guild: Guild, command: string, value: string, user?: APIUser): Promise<{ name: string; value: string }[]> {
  const sent = discord.sendAutocomplete({ name: command, focusedOption: 'document', value, guildId: guilds[guild], ...(user ? { user } : { user: admins[guild] }) });
  return ((await callbackOf(discord, sent)).body as { data: { choices: { name: string; value: string }[] } }).data.choices;
}

/** The one-sentence ephemeral failure a button or command got, with what the user typed blanked out. */
async function failureOf(sent: FakeInteraction, typed?: string): Promise<string> {
  const callback = await callbackOf(discord, sent);
  let content: string;
  if ((callback.body as { type: number }).type === 4) {
    expect(callback.body).toMatchObject({ data: { flags: MessageFlags.Ephemeral } });
    content = (callback.body as { data: { content: string } }).data.content;
  } else {
    await discord.waitForCall((call) => call.method === 'PATCH' && call.path.includes(sent.token), 15_000);
    content = originalMessage(discord, sent).content;
  }
  return typed ? content.split(typed).join('…') : content;
}

describe('two servers, two collections', () => {
  it('writes server A\'s article to A\'s own collection, never to the shared one', async () => {
    expect(await fs.readdir(path.join(root, 'collections'))).toEqual([guilds.a]);
    expect((await fs.readdir(path.join(root, 'collections', guilds.a, 'corpus'))).some((f) => f.startsWith('bridge-repairs'))).toBe(true);
    expect(await fs.readdir(defaultCorpus)).toHaveLength(2);
  });

  it('answers from the article in A, and never in B', async () => {
    expect((await ask('a', ARTICLE_QUESTION)).text).toContain(ARTICLE_SENTENCE);
    expect((await ask('b', ARTICLE_QUESTION)).text).not.toContain(ARTICLE_SENTENCE);
  });

  it('reads the shared collection from both servers', async () => {
    for (const guild of ['a', 'b'] as const) expect((await ask(guild, SHARED_QUESTION)).text).toMatch(/90 sq km/);
  });

  it('lists and offers the article only in A', async () => {
    for (const guild of ['a', 'b'] as const) {
      const sent = discord.sendSlashCommand({ name: 'sources', guildId: guilds[guild], user: admins[guild] });
      const body = (await callbackOf(discord, sent)).body as { data: { embeds: unknown[] } };
      expect(JSON.stringify(body.data.embeds).includes('Harbour Bridge to close for repairs')).toBe(guild === 'a');
      expect((await choicesFor(guild, 'source', 'harbour')).length).toBe(guild === 'a' ? 1 : 0);
      expect((await choicesFor(guild, 'forget', 'harbour')).length).toBe(guild === 'a' ? 1 : 0);
    }
    // The shared documents are offered to read, never to forget.
    expect((await choicesFor('a', 'source', 'kursk')).length).toBeGreaterThan(0);
    expect(await choicesFor('a', 'forget', '')).toHaveLength(1);
  });

  it('answers a DM from the shared collections only: never from a server\'s own', async () => {
    const user = discord.createUser({ guilds: [guilds.a] });
    const inDm = async (question: string) => {
      const sent = discord.sendSlashCommand({ name: 'ask', options: { question }, user, channelId: discord.dmChannelId(user) });
      await editOf(discord, sent);
      return JSON.stringify(onlyEmbed(originalMessage(discord, sent)));
    };
    // A member of A asks in a DM: A's article is not there, the shared coverage is.
    expect(await inDm(ARTICLE_QUESTION)).not.toContain(ARTICLE_SENTENCE);
    expect(await inDm(SHARED_QUESTION)).toMatch(/90 sq km/);
  });

  it('gives B the same "not found" for A\'s document ids as for ones that never existed', async () => {
    const [article] = await choicesFor('a', 'source', 'harbour');
    const plainId = article!.value.split(':').at(-1)!;
    const unknown = await failureOf(discord.sendSlashCommand({ name: 'source', options: { document: 'no-such-document' }, guildId: guilds.b, user: readerB }), 'no-such-document');
    expect(unknown).toMatch(/\(DOCUMENT_NOT_FOUND\)$/);
    for (const typed of [article!.value, plainId]) {
      expect(await failureOf(discord.sendSlashCommand({ name: 'source', options: { document: typed }, guildId: guilds.b, user: readerB }), typed)).toBe(unknown);
      const forgotten = await failureOf(discord.sendSlashCommand({ name: 'forget', options: { document: typed }, guildId: guilds.b, user: admins.b }), typed);
      expect(forgotten).toBe(unknown);
    }
    // Nor can A forget what is shared: the shared collection is nobody's in Discord.
    const [shared] = await choicesFor('a', 'source', 'kursk');
    expect(await failureOf(discord.sendSlashCommand({ name: 'forget', options: { document: shared!.value }, guildId: guilds.a, user: admins.a }), shared!.value)).toBe(unknown);
    expect(await fs.readdir(defaultCorpus)).toHaveLength(2);
    // A itself still reaches its article.
    const shown = discord.sendSlashCommand({ name: 'source', options: { document: article!.value }, guildId: guilds.a, user: admins.a });
    expect(JSON.stringify((await callbackOf(discord, shown)).body)).toContain('Harbour Bridge to close for repairs');
  });

  it('gives B the same "not found" for A\'s answer and document buttons as for made-up ones', async () => {
    const { sent } = await ask('a', ARTICLE_QUESTION);
    const contextButton = buttonId(originalMessage(discord, sent), 'Show context');
    const [, , key] = contextButton.split(':');
    const { sent: own } = await ask('b', SHARED_QUESTION);
    const onB = originalMessage(discord, own).id;
    const press = (customId: string) => discord.sendButton({ customId, messageId: onB, guildId: guilds.b, user: readerB });
    const madeUp = await failureOf(press('ans:ctx:AAAAAAAA:0'));
    expect(madeUp).toMatch(/\(ANSWER_EXPIRED\)$/);
    expect(await failureOf(press(`ans:ctx:${key}:0`))).toBe(madeUp);
    expect(await failureOf(press(`ans:page:${key}:0`))).toBe(madeUp);

    const [article] = await choicesFor('a', 'source', 'harbour');
    const unknownDoc = await failureOf(press('doc:0:no-such-document'), 'no-such-document');
    expect(unknownDoc).toMatch(/\(DOCUMENT_NOT_FOUND\)$/);
    expect(await failureOf(press(`doc:0:${article!.value}`), article!.value)).toBe(unknownDoc);
    // In A the same button works.
    const inA = discord.sendButton({ customId: contextButton, messageId: originalMessage(discord, sent).id, guildId: guilds.a, user: admins.a });
    expect(JSON.stringify((await callbackOf(discord, inA)).body)).toContain(ARTICLE_SENTENCE);
  });
});

describe('/feed', () => {
  const feedOf = (options: Record<string, string>, guild: Guild, user: APIUser) => discord.sendSlashCommand({ name: 'feed', options, guildId: guilds[guild], user });
  async function reply(sent: FakeInteraction): Promise<string> {
    await editOf(discord, sent);
    return JSON.stringify(originalMessage(discord, sent).embeds);
  }

  it('follows a feed for the server, lists it only there, and adds its articles to that server alone', async () => {
    server.routes.set('/feeds/local.xml', serve('application/rss+xml', rssFeed(server.base, [{ title: 'Night ferry returns', path: '/news/ferry', date: 'Thu, 01 May 2025 08:00:00 GMT' }])));
    const url = `${server.base}/feeds/local.xml`;
    expect(await failureOf(feedOf({ url }, 'b', readerB))).toMatch(/\(INGEST_NOT_ALLOWED\)$/);
    expect(await reply(discord.sendSlashCommand({ name: 'feed', options: [{ type: 1, name: 'add', options: [{ type: 3, name: 'url', value: url }] }], guildId: guilds.a, user: admins.a }))).toContain('Following Harbour Times: Local');
    expect(await reply(discord.sendSlashCommand({ name: 'feed', options: [{ type: 1, name: 'list', options: [] }], guildId: guilds.a, user: admins.a }))).toContain(url);
    expect(await reply(discord.sendSlashCommand({ name: 'feed', options: [{ type: 1, name: 'list', options: [] }], guildId: guilds.b, user: admins.b }))).toContain('0 feeds followed');
    const removeInB = discord.sendSlashCommand({ name: 'feed', options: [{ type: 1, name: 'remove', options: [{ type: 3, name: 'url', value: url }] }], guildId: guilds.b, user: admins.b });
    expect(await failureOf(removeInB)).toMatch(/\(FEED_NOT_FOUND\)$/);

    await ingestion.poll();
    expect((await ask('a', 'When will the night ferry return?')).text).toContain('2 May');
    expect((await ask('b', 'When will the night ferry return?')).text).not.toContain('Portwell');
  });
});
