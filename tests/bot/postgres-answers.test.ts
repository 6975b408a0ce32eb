/**
 * The answers behind buttons with DATABASE_URL, on the loopback Discord with two servers (A, B):
 * a button pressed after the bot was destroyed and a new bot client started on the same database
 * still finds its answer; B pressing A's key gets the same "not found" as a made-up key; a
 * database lost during a button press gets the clear one-line reply, and the bot keeps running
 * and answers the same button once the database is back. The database is reached through a
 * loopback TCP relay that the test can cut, as a network or a server restart would.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MessageFlags, type APIEmbed, type APIUser, type Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/client.js';
import { commands } from '../../src/bot/commands/index.js';
import { logIn, type FakeDiscord, type FakeInteraction } from '../harness/fake-discord.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';
import { foldersRemovedAfterAll, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { buttonId, callbackOf, editOf, originalMessage } from './harness.js';
import { startTwoServers, type TwoServers } from './two-servers.js';

const QUESTION = 'How much territory does Ukraine still hold in Kursk?';
const folders = foldersRemovedAfterAll();
let running: TwoServers | undefined;
let restarted: Client | undefined;
let discord: FakeDiscord;
let guilds: TwoServers['guilds'];
let admins: TwoServers['admins'];
let readerB: APIUser;
let relay: Relay;
const logs: string[] = [];

interface Relay {
  port: number;
  /** Refuses new connections and cuts the open ones. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
}

/** A TCP relay on 127.0.0.1 to the database's port. */
async function startRelay(target: number): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
  };
}

beforeAll(async () => {
  const url = new URL(await freshDatabase());
  relay = await startRelay(Number(url.port));
  url.port = String(relay.port);
  process.env.DATABASE_URL = url.toString();
  const root = await temporaryFolder('verbatim-bot-pg-answers-');
  folders.push(root);
  await fs.mkdir(path.join(root, 'corpus'));
  for (const name of ['003_0597df7a1cb1a5cd.txt', '004_918447a18b64fa1b.txt']) await fs.copyFile(path.join(SEED_CORPUS, name), path.join(root, 'corpus', name));
  running = await startTwoServers(root, (line) => logs.push(line));
  ({ discord, guilds, admins } = running);
  readerB = discord.createUser({ username: 'reader-b', guilds: [guilds.b] });
}, 120_000);
afterAll(async () => {
  await restarted?.destroy();
  await running?.stop();
  await relay?.restore().catch(() => undefined);
  delete process.env.DATABASE_URL;
  await dropDatabases();
});

/** Asks in a server; returns the answer's message. */
async function ask(guild: 'a' | 'b') {
  const sent = discord.sendSlashCommand({ name: 'ask', options: { question: QUESTION }, user: discord.createUser({ guilds: [guilds[guild]] }), guildId: guilds[guild] });
  await editOf(discord, sent);
  return originalMessage(discord, sent);
}

function press(customId: string, messageId: string, guild: 'a' | 'b'): FakeInteraction {
  return discord.sendButton({ customId, messageId, guildId: guilds[guild], user: guild === 'a' ? admins.a : readerB });
}

/** The one ephemeral sentence a press got. */
async function failureOf(sent: FakeInteraction): Promise<string> {
  const callback = await callbackOf(discord, sent);
  expect(callback.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
  return (callback.body as { data: { content: string } }).data.content;
}

/** "Show context" worked: the paragraphs around the page's quotes, only to the clicker. */
async function expectContext(sent: FakeInteraction): Promise<void> {
  const callback = await callbackOf(discord, sent);
  expect(callback.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
  expect(((callback.body as { data: { embeds: APIEmbed[] } }).data.embeds ?? []).length).toBeGreaterThan(0);
}

describe('answers behind buttons in PostgreSQL', () => {
  it('serves a button after the bot is destroyed and a new client started on the same database', async () => {
    const message = await ask('a');
    const context = buttonId(message, 'Show context');
    const [, , key] = context.split(':');

    await running!.client.destroy();
    ({ client: restarted } = createBot({ library: running!.library, log: running!.log, commands, config: { discordApiBase: discord.restUrl, mentionChannels: 'off', cooldownSeconds: 0 } }));
    await logIn(restarted, discord);

    await expectContext(press(context, message.id, 'a'));
    // The first page, drawn again from the kept answer, is the message as it was.
    const page = press(`ans:page:${key}:0`, message.id, 'a');
    expect(await callbackOf(discord, page)).toMatchObject({ body: { type: 7 } });
    expect(discord.message(message.id)?.embeds).toEqual(message.embeds);
  });

  it("gives B the same \"not found\" for A's key as for a made-up one", async () => {
    const inA = await ask('a');
    const [, , key] = buttonId(inA, 'Show context').split(':');
    const onB = (await ask('b')).id;
    const madeUp = await failureOf(press('ans:ctx:AAAAAAAA:0', onB, 'b'));
    expect(madeUp).toMatch(/\(ANSWER_EXPIRED\)$/);
    expect(await failureOf(press(`ans:ctx:${key}:0`, onB, 'b'))).toBe(madeUp);
    expect(await failureOf(press(`ans:page:${key}:0`, onB, 'b'))).toBe(madeUp);
  });

  it('answers a press while the database is lost with one clear line, and serves it again once it is back', async () => {
    const message = await ask('a');
    const context = buttonId(message, 'Show context');
    await relay.cut();
    try {
      expect(await failureOf(press(context, message.id, 'a'))).toMatch(/^Could not reach the PostgreSQL database at 127\.0\.0\.1:\d+\/verbatim_test_\w+ \(.+\)\. Check DATABASE_URL and that the server is running\. \(DATABASE_UNREACHABLE\)$/);
      expect(logs.some((line) => line.includes('failed: DATABASE_UNREACHABLE'))).toBe(true);
    } finally {
      await relay.restore();
    }
    await expectContext(press(context, message.id, 'a'));
  });
});
