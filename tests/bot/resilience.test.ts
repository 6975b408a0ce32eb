/**
 * Registration, cooldown, rate limits, reconnects, mention threads, failures and logging: the real
 * bot against the loopback Discord server, with one deliberately failing command added.
 */
import { MessageFlags, SlashCommandBuilder, type APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/bot/commands/index.js';
import type { SlashCommand } from '../../src/bot/types.js';
import { callbackOf, editOf, followUpOf, onlyEmbed, openTestCorpus, originalMessage, startBot, type Corpus, type RunningBot } from './harness.js';

let corpus: Corpus;
let bot: RunningBot;
let token: string;

/** A command that fails, before or after deferring; its error message carries the bot token. */
const boom: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('boom')
    .setDescription('Fails on purpose')
    .addBooleanOption((option) => option.setName('late').setDescription('Fail after deferring'))
    .toJSON(),
  async execute(interaction) {
    if (interaction.options.getBoolean('late')) await interaction.deferReply();
    throw new Error(`database exploded while holding ${token}`);
  },
};

beforeAll(async () => {
  corpus = await openTestCorpus();
  bot = await startBot(corpus.searcher, { commands: [...commands, boom], config: { mentionChannels: 'all', cooldownSeconds: 60 } });
  token = bot.discord.token;
});
afterAll(async () => {
  await bot?.stop();
  await corpus?.cleanup();
});

async function expectAskWorks(question = 'How many soldiers did North Korea send to Kursk?'): Promise<void> {
  const sent = bot.discord.sendSlashCommand({ name: 'ask', options: { question }, user: bot.discord.createUser() });
  expect(await callbackOf(bot.discord, sent)).toMatchObject({ status: 204, body: { type: 5 } });
  await editOf(bot.discord, sent);
  expect(onlyEmbed(originalMessage(bot.discord, sent)).description).toMatch(/11,000/);
}

describe('registration and login', () => {
  it('registers every command with one bulk PUT, and logs in', async () => {
    const put = await bot.discord.waitForCall({ method: 'PUT', path: `/applications/${bot.discord.applicationId}/guilds/${bot.discord.guildId}/commands` });
    expect(put.status).toBe(200);
    const registered = bot.discord.commands.guild.map((c) => `${c.type}:${c.name}`).sort();
    expect(registered).toEqual(['1:ask', '1:boom', '1:compare', '1:feed', '1:forget', '1:help', '1:ingest', '1:source', '1:sources', '1:timeline', '3:Check coverage']);
    const askCommand = bot.discord.commands.guild.find((c) => c.name === 'ask');
    expect(askCommand?.options?.map((o) => [o.name, o.required ?? false])).toEqual([['question', true], ['private', false], ['since', false], ['until', false], ['outlet', false]]);
    expect(bot.discord.gatewayStats.identifies).toBe(1);
    expect(bot.discord.findCalls({ method: 'GET', path: '/gateway/bot' })[0]?.status).toBe(200);
  });
});

describe('limits on people and on Discord', () => {
  it('asks a user to wait when they ask again within the cooldown, ephemerally', async () => {
    const user = bot.discord.createUser();
    const first = bot.discord.sendSlashCommand({ name: 'ask', options: { question: 'When did Ukraine launch its incursion into Kursk?' }, user });
    await editOf(bot.discord, first);
    const second = bot.discord.sendSlashCommand({ name: 'ask', options: { question: 'And how many troops?' }, user });
    const callback = await callbackOf(bot.discord, second);
    expect(callback.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } });
    expect((callback.body as { data: { content: string } }).data.content).toMatch(/^One moment: you can ask again in \d+ seconds\. \(COOLDOWN\)$/);
    // Someone else is not held up.
    await expectAskWorks();
  });

  it('rides out a 429 on the edit and delivers the answer', async () => {
    const sent = bot.discord.sendSlashCommand({ name: 'ask', options: { question: 'How many soldiers did North Korea send to Kursk?' }, user: bot.discord.createUser() });
    bot.discord.rateLimitNext((call) => call.method === 'PATCH' && call.path.includes(sent.token), 0.4);
    await editOf(bot.discord, sent);
    const edits = bot.discord.findCalls((call) => call.method === 'PATCH' && call.path.includes(sent.token));
    expect(edits.map((call) => call.status)).toEqual([429, 200]);
    expect(onlyEmbed(originalMessage(bot.discord, sent)).description).toMatch(/11,000/);
    expect(bot.logs.some((line) => line.includes('rate limited by Discord'))).toBe(true);
  });

  it('keeps answering after the gateway asks it to reconnect', async () => {
    await bot.discord.requestReconnect();
    expect(bot.discord.gatewayStats).toMatchObject({ identifies: 1, resumes: 1 });
    await expectAskWorks();
  });
});

describe('mentions in a channel', () => {
  it('answers "@verbatim …" in a thread started from the message, and ignores bots', async () => {
    const otherBot = bot.discord.createUser({ username: 'otherbot', bot: true });
    const ignored = bot.discord.sendMessage({ content: `<@${bot.discord.botUserId}> How many soldiers did North Korea send?`, user: otherBot });
    const human = bot.discord.createUser();
    const asked = bot.discord.sendMessage({ content: `<@${bot.discord.botUserId}> How many soldiers did North Korea send to Kursk?`, user: human });

    const thread = await bot.discord.waitForCall({ method: 'POST', path: `/channels/${bot.discord.channelId}/messages/${asked.id}/threads` }, 15_000);
    expect(thread).toMatchObject({ status: 201, body: { name: 'How many soldiers did North Korea send to Kursk?' } });
    const threadId = (thread.response as { id: string }).id;
    const posted = await bot.discord.waitForCall({ method: 'POST', path: `/channels/${threadId}/messages` }, 15_000);
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const embed = (posted.body as { embeds: APIEmbed[] }).embeds[0]!;
    expect(embed.title).toBe('How many soldiers did North Korea send to Kursk?');
    expect(embed.description).toMatch(/11,000/);
    expect(bot.discord.messagesIn(threadId).at(-1)?.embeds[0]?.title).toBe(embed.title);
    // The bot's message was seen first and never answered.
    expect(bot.discord.findCalls({ path: `/channels/${bot.discord.channelId}/messages/${ignored.id}/threads` })).toEqual([]);
  });

  it('takes the question from the message replied to when the mention comes alone', async () => {
    const claim = bot.discord.sendMessage({ content: 'Did Ukraine really capture 1,000 sq km of Russian land at first?', user: bot.discord.createUser() });
    const reply = bot.discord.sendMessage({ content: `<@${bot.discord.botUserId}>`, replyTo: claim.id, user: bot.discord.createUser() });
    const thread = await bot.discord.waitForCall({ method: 'POST', path: `/channels/${bot.discord.channelId}/messages/${reply.id}/threads` }, 15_000);
    expect(thread.body).toMatchObject({ name: 'Did Ukraine really capture 1,000 sq km of Russian land at first?' });
    const posted = await bot.discord.waitForCall({ method: 'POST', path: `/channels/${(thread.response as { id: string }).id}/messages` }, 15_000);
    expect((posted.body as { embeds: APIEmbed[] }).embeds[0]?.description).toMatch(/1,000 (sq km|square kilometers)/);
    // The message without a mention got no thread.
    expect(bot.discord.findCalls({ path: `/channels/${bot.discord.channelId}/messages/${claim.id}/threads` })).toEqual([]);
  });
});

describe('failures', () => {
  it('turns a failing handler into one ephemeral sentence with its code, logs the cause, and keeps working', async () => {
    const sent = bot.discord.sendSlashCommand({ name: 'boom', user: bot.discord.createUser() });
    const callback = await callbackOf(bot.discord, sent);
    expect(callback.body).toMatchObject({
      type: 4,
      data: { content: 'Something went wrong inside verbatim. The details are in the log. (INTERNAL)', flags: MessageFlags.Ephemeral },
    });
    const logged = bot.logs.find((line) => line.includes('failed: INTERNAL') && line.includes('name=boom'));
    expect(logged).toContain('database exploded while holding [redacted]');
    await expectAskWorks();
  });

  it('after a public deferral, removes the placeholder and tells only the user', async () => {
    const sent = bot.discord.sendSlashCommand({ name: 'boom', options: { late: true }, user: bot.discord.createUser() });
    expect(await callbackOf(bot.discord, sent)).toMatchObject({ body: { type: 5 } });
    const followUp = await followUpOf(bot.discord, sent);
    expect(followUp.body).toMatchObject({ content: 'Something went wrong inside verbatim. The details are in the log. (INTERNAL)', flags: MessageFlags.Ephemeral });
    expect(bot.discord.findCalls({ method: 'DELETE', path: `/webhooks/${bot.discord.applicationId}/${sent.token}/messages/@original` })).toHaveLength(1);
    await expectAskWorks();
  });

  it('answers an unknown command and an expired button with a sentence, not silence', async () => {
    const unknown = bot.discord.sendSlashCommand({ name: 'nope', user: bot.discord.createUser() });
    expect((await callbackOf(bot.discord, unknown)).body).toMatchObject({ type: 4, data: { content: expect.stringMatching(/\(DISCORD_UNKNOWN_COMMAND\)$/), flags: 64 } });

    const channel = bot.discord.messagesIn().find((m) => m.author.id === bot.discord.botUserId && m.components?.length);
    const expired = bot.discord.sendButton({ customId: 'ans:page:gone:1', messageId: channel!.id });
    expect((await callbackOf(bot.discord, expired)).body).toMatchObject({ type: 4, data: { content: expect.stringMatching(/\(ANSWER_EXPIRED\)$/), flags: 64 } });
  });
});

describe('logs', () => {
  it('never contain the bot token, or an interaction token', () => {
    expect(bot.logs.length).toBeGreaterThan(20);
    const interactionTokens = bot.discord.calls.flatMap((call) => /^\/interactions\/\d+\/([^/]+)/.exec(call.path)?.[1] ?? []);
    for (const line of bot.logs) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(token.slice(token.lastIndexOf('.') + 1));
      for (const secret of interactionTokens) expect(line).not.toContain(secret);
    }
  });
});
