/**
 * /ingest and /forget end to end: the real bot logged in to the loopback Discord server, a live
 * corpus in a temporary folder, articles served by a loopback HTTP server (ALLOW_PRIVATE_FETCH for
 * loopback), and members with Manage Server, with the ingest role, and with neither.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MessageFlags, PermissionFlagsBits, type APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/client.js';
import { commands } from '../../src/bot/commands/index.js';
import { createLogger } from '../../src/log.js';
import { registerCommands } from '../../src/bot/register.js';
import { loadConfig } from '../../src/config.js';
import { startIngestion, type RunningIngestion } from '../../src/ingest/running.js';
import { openSearcher } from '../../src/answer/open.js';
import { logIn, startFakeDiscord, type FakeDiscord } from '../harness/fake-discord.js';
import { MODEL_DIR, MODEL_NAME, SEED_CORPUS, temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, makePdf, REPORT_PAGES, serve, startServer, type TestServer } from '../ingest/fixtures.js';
import { callbackOf, editOf, onlyEmbed, originalMessage } from './harness.js';
import type { Client } from 'discord.js';

let discord: FakeDiscord;
let client: Client;
let ingestion: RunningIngestion;
let server: TestServer;
let corpus: string;
let store: string;
let admin: APIUser;
let editor: APIUser;
let member: APIUser;
const logs: string[] = [];

beforeAll(async () => {
  server = await startServer();
  server.routes.set('/news/harbour/bridge-repairs', serve('text/html; charset=utf-8', articleHtml()));
  server.routes.set('/attachments/reservoir-plan.pdf', serve('application/pdf', makePdf(REPORT_PAGES, { title: 'Reservoir plan', author: 'Water Board' })));
  corpus = await temporaryFolder('verbatim-bot-ingest-corpus-');
  store = await temporaryFolder('verbatim-bot-ingest-store-');
  for (const name of ['003_0597df7a1cb1a5cd.txt', '004_918447a18b64fa1b.txt']) await fs.copyFile(path.join(SEED_CORPUS, name), path.join(corpus, name));

  discord = await startFakeDiscord();
  const adminRole = discord.createRole('admins', PermissionFlagsBits.ManageGuild);
  const editorRole = discord.createRole('editors');
  admin = discord.createUser({ username: 'admin', roles: [adminRole.id] });
  editor = discord.createUser({ username: 'editor', roles: [editorRole.id] });
  member = discord.createUser({ username: 'reader' });

  const config = loadConfig({ CORPUS_DIR: corpus, STORE_DIR: store, ALLOW_PRIVATE_FETCH: 'true', INGEST_ROLE_ID: editorRole.id, FEED_POLL_MINUTES: '0', FETCH_TIMEOUT_MS: '3000' });
  const log = createLogger({ level: 'debug', secrets: [discord.token], write: (line) => logs.push(line) });
  const searcher = await openSearcher({ corpusDir: corpus, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
  ingestion = startIngestion(searcher, config, log, 150);
  const bot = createBot({ searcher, log, commands, ingest: ingestion.access, config: { discordApiBase: discord.restUrl, mentionChannels: 'off', cooldownSeconds: 0 } });
  ingestion.attach(bot.context);
  client = bot.client;
  await registerCommands({ token: discord.token, apiBase: discord.restUrl, guildId: discord.guildId, commands });
  await logIn(client, discord);
});
afterAll(async () => {
  await client?.destroy();
  await discord?.close();
  await ingestion?.close();
  await server?.close();
  await Promise.all([corpus, store].map((dir) => dir && fs.rm(dir, { recursive: true, force: true })));
});

function refusal(body: unknown): string {
  expect(body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
  return (body as { data: { content: string } }).data.content;
}

async function askQuotes(question: string) {
  const sent = discord.sendSlashCommand({ name: 'ask', options: { question }, user: discord.createUser() });
  await editOf(discord, sent);
  return onlyEmbed(originalMessage(discord, sent)).description ?? '';
}

describe('/ingest', () => {
  it('refuses members without Manage Server or the ingest role, in a message only they see', async () => {
    const sent = discord.sendSlashCommand({ name: 'ingest', options: { url: `${server.base}/news/harbour/bridge-repairs` }, user: member });
    const content = refusal((await callbackOf(discord, sent)).body);
    expect(content).toMatch(/Manage Server.*\(INGEST_NOT_ALLOWED\)$/);
    expect(await fs.readdir(corpus)).toHaveLength(2);
  });

  it('adds a web page for a member with Manage Server, says what was added, and answers from it at once', async () => {
    const sent = discord.sendSlashCommand({ name: 'ingest', options: { url: `${server.base}/news/harbour/bridge-repairs` }, user: admin });
    const callback = await callbackOf(discord, sent);
    expect(callback.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    await editOf(discord, sent);
    const embed = onlyEmbed(originalMessage(discord, sent));
    expect(embed.title).toMatch(/^Added 1 document from bridge-repairs-[0-9a-f]{8}\.html$/);
    expect(embed.description).toContain('**Harbour Bridge to close for repairs** — The Harbour Times');
    expect(embed.description).toMatch(/\d+ passages? · `bridge-repairs-[0-9a-f]{8}`/);

    const answer = await askQuotes('How many steel cables were found to be corroded?');
    expect(answer).toContain('42 of the steel cables');
    // The quote is an exact span of the extracted text file beside the original.
    const quote = (await ingestion.live.current.ask('How many steel cables were found to be corroded?')).quotes[0]!;
    expect(quote.source.original).toMatch(/\.html$/);
    expect((await fs.readFile(path.join(corpus, quote.source.path), 'utf8')).slice(quote.start, quote.end)).toBe(quote.text);
  });

  it('adds an uploaded PDF for a member with the ingest role', async () => {
    const file = { filename: 'Reservoir Plan.pdf', url: `${server.base}/attachments/reservoir-plan.pdf`, size: 1200, contentType: 'application/pdf' };
    const sent = discord.sendSlashCommand({ name: 'ingest', options: { file }, user: editor });
    await editOf(discord, sent);
    const embed = onlyEmbed(originalMessage(discord, sent));
    expect(embed.title).toBe('Added 1 document from reservoir-plan.pdf');
    expect(embed.description).toContain('**Reservoir plan**');
    const quote = (await ingestion.live.current.ask('How much water will the Millbrook reservoir hold?')).quotes[0]!;
    expect(quote.source).toMatchObject({ original: 'reservoir-plan.pdf', path: 'reservoir-plan.pdf.txt' });
    expect((await fs.readFile(path.join(corpus, quote.source.path), 'utf8')).slice(quote.start, quote.end)).toBe(quote.text);
  });

  it('asks for exactly one of url and file, and reports a fetch that fails', async () => {
    const neither = discord.sendSlashCommand({ name: 'ingest', options: {}, user: admin });
    expect(refusal((await callbackOf(discord, neither)).body)).toMatch(/\(INGEST_NEEDS_SOURCE\)$/);
    const missing = discord.sendSlashCommand({ name: 'ingest', options: { url: `${server.base}/nothing-here` }, user: admin });
    await discord.waitForCall((call) => call.method === 'PATCH' && call.path.includes(missing.token), 15_000);
    const message = originalMessage(discord, missing);
    expect(message.content).toMatch(/\(FETCH_FAILED\)$/);
  });
});

describe('/forget', () => {
  it('offers titles to those allowed, and removes a document, its extracted text and its sidecar', async () => {
    const offered = discord.sendAutocomplete({ name: 'forget', focusedOption: 'document', value: 'harbour', user: admin });
    const choices = ((await callbackOf(discord, offered)).body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices.map((c) => c.name)).toEqual(['Harbour Bridge to close for repairs — The Harbour Times']);
    const hidden = discord.sendAutocomplete({ name: 'forget', focusedOption: 'document', value: 'harbour', user: member });
    expect(((await callbackOf(discord, hidden)).body as { data: { choices: unknown[] } }).data.choices).toEqual([]);

    const refused = discord.sendSlashCommand({ name: 'forget', options: { document: choices[0]!.value }, user: member });
    expect(refusal((await callbackOf(discord, refused)).body)).toMatch(/\(INGEST_NOT_ALLOWED\)$/);

    const sent = discord.sendSlashCommand({ name: 'forget', options: { document: choices[0]!.value }, user: admin });
    await editOf(discord, sent);
    const embed = onlyEmbed(originalMessage(discord, sent));
    expect(embed.title).toBe('Forgot 1 document');
    expect(embed.description).toContain('Harbour Bridge to close for repairs');
    const left = await fs.readdir(corpus);
    expect(left.filter((name) => name.startsWith('bridge-repairs'))).toEqual([]);
    expect(await askQuotes('How many steel cables were found to be corroded?')).not.toContain('42 of the steel cables');
  });
});
