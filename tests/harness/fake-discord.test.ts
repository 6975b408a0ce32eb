import { setTimeout as sleep } from 'node:timers/promises';
import {
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  type Interaction,
  type Message,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { shapeForIntents } from './fake-discord/intents.js';
import { logIn, shardOfGuild, startFakeDiscord, type FakeDiscord } from './fake-discord.js';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

let discord: FakeDiscord;
let client: Client;

type Handler = (interaction: Interaction) => Promise<unknown>;
const handlers = new Map<string, Handler>();

/** Runs `handler` on the next interaction with that command name / custom id; settles with the handler's outcome. */
function onNext<T>(key: string, handler: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    handlers.set(key, async (interaction) => {
      handlers.delete(key);
      await handler(interaction).then(resolve, reject);
    });
  });
}

function keyOf(interaction: Interaction): string {
  if (interaction.isCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isMessageComponent()) return interaction.customId;
  return '';
}

beforeAll(async () => {
  discord = await startFakeDiscord();
  client = new Client({ intents: INTENTS, rest: { api: discord.restUrl } });
  client.on(Events.InteractionCreate, (interaction) => void handlers.get(keyOf(interaction))?.(interaction));
  await logIn(client, discord);
});

afterAll(async () => {
  await client?.destroy();
  await discord?.close();
});

describe('fake Discord with a real discord.js client', () => {
  it('logs in through /gateway/bot, IDENTIFY and READY, and receives the guild', async () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(discord.botUserId);
    expect(discord.botUserId).toMatch(/^\d{17,20}$/);
    expect(client.application?.id).toBe(discord.applicationId);
    const guild = client.guilds.cache.get(discord.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(discord.channelId)?.isTextBased()).toBe(true);
    expect(guild?.members.me?.id).toBe(discord.botUserId);
    expect(discord.findCalls({ method: 'GET', path: '/gateway/bot' })[0]?.status).toBe(200);
    expect(discord.gatewayStats.identifies).toBe(1);
  });

  it('records a deferred reply followed by an edit of @original', async () => {
    const done = onNext('ask', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      expect(interaction.options.getString('question')).toBe('what happened?');
      await interaction.deferReply();
      await interaction.editReply('Here is what the sources say.');
    });
    const sent = discord.sendSlashCommand({ name: 'ask', options: { question: 'what happened?' } });
    await done;

    const callback = await discord.waitForCall({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(callback.status).toBe(204);
    expect(callback.body).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await discord.waitForCall({ method: 'PATCH', path: `/webhooks/${discord.applicationId}/${sent.token}/messages/@original` });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ content: 'Here is what the sources say.' });
    expect(edit.time).toBeGreaterThanOrEqual(callback.time);

    const state = discord.interactionState(sent.id);
    expect(state).toMatchObject({ acknowledged: true, responseType: 5 });
    const original = discord.message(state.originalMessageId ?? '');
    expect(original?.content).toBe('Here is what the sources say.');
    expect((original?.flags ?? 0) & MessageFlags.Loading).toBe(0);
  });

  it('answers a second acknowledgement with 40060', async () => {
    const outcome = onNext('twice', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply('first');
      // discord.js guards reply() locally; go through its REST client to reach the server as a buggy bot would.
      await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: { type: 4, data: { content: 'second' } },
        auth: false,
      });
    });
    discord.sendSlashCommand({ name: 'twice' });
    const error = await outcome.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 40060, status: 400, message: 'Interaction has already been acknowledged.' });
  });

  it('answers an acknowledgement after the deadline with 10062', async () => {
    discord.settings.ackDeadlineMs = 300;
    try {
      const outcome = onNext('slow', async (interaction) => {
        if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
        await sleep(450);
        await interaction.reply('too late');
      });
      const sent = discord.sendSlashCommand({ name: 'slow' });
      await expect(outcome).rejects.toMatchObject({ code: 10062, status: 404, message: 'Unknown interaction' });
      expect(discord.interactionState(sent.id).acknowledged).toBe(false);
    } finally {
      discord.settings.ackDeadlineMs = 3000;
    }
  });

  it('rejects an over-long embed with 50035 without acknowledging, so a valid retry succeeds', async () => {
    const outcome = onNext('long', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const error = await interaction.reply({ embeds: [{ description: 'x'.repeat(4097) }] }).catch((caught: unknown) => caught);
      await interaction.reply({ embeds: [{ description: 'x'.repeat(4096) }] });
      return error;
    });
    const sent = discord.sendSlashCommand({ name: 'long' });
    const error = await outcome;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({
      code: 50035,
      status: 400,
      rawError: {
        message: 'Invalid Form Body',
        errors: {
          data: {
            embeds: { '0': { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }] } } },
          },
        },
      },
    });
    expect(discord.interactionState(sent.id).responseType).toBe(4);
  });

  it('enforces content, field and component limits on webhook edits', async () => {
    const outcome = onNext('limits', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.deferReply();
      const tooLong = await interaction.editReply('y'.repeat(2001)).catch((caught: unknown) => caught);
      const tooManyFields = await interaction
        .editReply({ embeds: [{ fields: Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' })) }] })
        .catch((caught: unknown) => caught);
      const tooManyRows = await interaction
        .editReply({
          content: 'rows',
          components: Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [{ type: 2, style: 1, custom_id: `b${i}`, label: 'ok' }] })),
        })
        .catch((caught: unknown) => caught);
      return { tooLong, tooManyFields, tooManyRows };
    });
    discord.sendSlashCommand({ name: 'limits' });
    const { tooLong, tooManyFields, tooManyRows } = await outcome;
    expect(tooLong).toMatchObject({ code: 50035, rawError: { errors: { content: { _errors: [{ message: 'Must be 2000 or fewer in length.' }] } } } });
    expect(tooManyFields).toMatchObject({ code: 50035, rawError: { errors: { embeds: { '0': { fields: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } } });
    expect(tooManyRows).toMatchObject({ code: 50035, rawError: { errors: { components: { _errors: [{ message: 'Must be 5 or fewer in length.' }] } } } });
  });

  it('rides out a 429 on the edit: discord.js waits Retry-After and retries', async () => {
    discord.rateLimitNext({ method: 'PATCH', path: /\/messages\/@original$/ }, 0.3);
    const done = onNext('busy', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.deferReply();
      await interaction.editReply('after the rate limit');
    });
    const sent = discord.sendSlashCommand({ name: 'busy' });
    await done;

    const edits = discord.findCalls({ method: 'PATCH', path: `/webhooks/${discord.applicationId}/${sent.token}/messages/@original` });
    expect(edits.map((call) => call.status)).toEqual([429, 200]);
    const [limited, retried] = edits;
    expect(limited?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.3, global: false });
    expect((retried?.time ?? 0) - (limited?.time ?? 0)).toBeGreaterThanOrEqual(300);
    expect(retried?.body).toMatchObject({ content: 'after the rate limit' });
  });

  it('resumes after an op 7 Reconnect and keeps handling interactions', async () => {
    await discord.requestReconnect();
    expect(discord.gatewayStats).toMatchObject({ identifies: 1, resumes: 1 });

    const done = onNext('again', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply('still here');
    });
    const sent = discord.sendSlashCommand({ name: 'again' });
    await done;
    const callback = await discord.waitForCall({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(callback.status).toBe(204);
  });

  it('delivers MESSAGE_CREATE with mentions to messageCreate', async () => {
    const author = discord.createUser({ username: 'reader' });
    const received = new Promise<Message>((resolve) => {
      const listener = (message: Message) => {
        if (message.author.id !== author.id) return;
        client.off(Events.MessageCreate, listener);
        resolve(message);
      };
      client.on(Events.MessageCreate, listener);
    });
    const sent = discord.sendMessage({ content: `<@${discord.botUserId}> who said it?`, user: author });
    const message = await received;
    expect(message.id).toBe(sent.id);
    expect(message.content).toBe(`<@${discord.botUserId}> who said it?`);
    expect(message.mentions.users.has(discord.botUserId)).toBe(true);
    expect(message.guildId).toBe(discord.guildId);
    expect(message.channelId).toBe(discord.channelId);
  });

  it('records autocomplete results and rejects more than 25 choices', async () => {
    const done = onNext('search', async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      expect(interaction.options.getFocused(true)).toMatchObject({ name: 'source', value: 'reu' });
      await interaction.respond([{ name: 'Reuters', value: 'reuters' }]);
    });
    const sent = discord.sendAutocomplete({ name: 'search', focusedOption: 'source', value: 'reu' });
    await done;
    const callback = await discord.waitForCall({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(callback.body).toEqual({ type: 8, data: { choices: [{ name: 'Reuters', value: 'reuters' }] } });

    const tooMany = onNext('search', async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      await interaction.respond(Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: `v${i}` })));
    });
    discord.sendAutocomplete({ name: 'search', focusedOption: 'source', value: 'x' });
    await expect(tooMany).rejects.toMatchObject({ code: 50035, rawError: { errors: { data: { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
  });

  it('returns an InteractionCallbackResponse with_response, and starts a thread from the reply', async () => {
    const done = onNext('discuss', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const response = await interaction.reply({ content: 'Let us discuss.', withResponse: true });
      const message = response.resource?.message;
      if (!message) throw new Error('no message in callback response');
      const thread = await message.startThread({ name: 'Discussion' });
      return { message, thread };
    });
    discord.sendSlashCommand({ name: 'discuss' });
    const { message, thread } = await done;
    expect(message.content).toBe('Let us discuss.');
    expect(thread.id).toBe(message.id);
    expect(thread.parentId).toBe(discord.channelId);
    expect(client.channels.cache.get(thread.id)?.isThread()).toBe(true);
    const call = await discord.waitForCall({ method: 'POST', path: `/channels/${discord.channelId}/messages/${message.id}/threads` });
    expect(call).toMatchObject({ status: 201, body: { name: 'Discussion' } });
  });

  it('parses multipart uploads (payload_json + files)', async () => {
    const done = onNext('export', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'quotes attached', files: [new AttachmentBuilder(Buffer.from('"verbatim"'), { name: 'quotes.txt' })] });
    });
    const sent = discord.sendSlashCommand({ name: 'export' });
    await done;
    const call = await discord.waitForCall({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(call.body).toMatchObject({ type: 4, data: { content: 'quotes attached', attachments: [{ id: '0' }] } });
    expect(call.files.map((file) => [file.field, file.name, file.data.toString()])).toEqual([['files[0]', 'quotes.txt', '"verbatim"']]);
    const original = discord.message(discord.interactionState(sent.id).originalMessageId ?? '');
    expect(original?.attachments[0]?.filename).toBe('quotes.txt');
  });

  it('handles a button click with an update, and a message context menu', async () => {
    const channel = client.channels.cache.get(discord.channelId);
    if (!channel?.isSendable()) throw new Error('the guild text channel should be sendable');
    const posted = await channel.send({
      content: 'Show sources?',
      components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'sources', label: 'Sources' }] }],
    });
    const clicked = onNext('sources', async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      expect(interaction.message.id).toBe(posted.id);
      await interaction.update({ content: 'Sources: Reuters', components: [] });
    });
    discord.sendButton({ customId: 'sources', messageId: posted.id });
    await clicked;
    expect(discord.message(posted.id)).toMatchObject({ content: 'Sources: Reuters', components: [] });

    const quoted = onNext('Check quote', async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) throw new Error('expected a message context menu');
      await interaction.reply({ content: `checking: ${interaction.targetMessage.content}`, flags: MessageFlags.Ephemeral });
    });
    const sent = discord.sendMessageContextMenu({ name: 'Check quote', targetMessage: { content: 'a claim' } });
    await quoted;
    const callback = await discord.waitForCall({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'checking: a claim', flags: MessageFlags.Ephemeral } });
  });

  it('refuses webhook edits before the interaction is acknowledged (10015)', async () => {
    const sent = discord.sendSlashCommand({ name: 'unanswered' });
    const error = await client.rest
      .patch(Routes.webhookMessage(discord.applicationId, sent.token, '@original'), { body: { content: 'too soon' }, auth: false })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 10015, status: 404 });
  });

  it('answers unknown routes with 404 in Discord error shape', async () => {
    const error = await client.rest.get('/no/such/route').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, rawError: { code: 0, message: '404: Not Found' } });
  });
});

describe('fake Discord authentication and gateway protocol', () => {
  it('rejects a wrong token with 401 on REST', async () => {
    const stranger = new Client({ intents: INTENTS, rest: { api: discord.restUrl } });
    await expect(stranger.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(discord.calls.at(-1)).toMatchObject({ path: '/gateway/bot', status: 401 });
  });

  it('sends HELLO, acks heartbeats and closes with 4004 on a bad IDENTIFY', async () => {
    const socket = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
    const frames: Array<{ op: number; d: unknown }> = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as { op: number; d: unknown }));
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.send(JSON.stringify({ op: 1, d: null }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 0, properties: {} } }));
    expect(await closed).toBe(4004);
    expect(frames[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 41250 } });
    expect(frames[1]).toMatchObject({ op: 11 });
  });

  it('hides message content from sessions without the MessageContent intent unless the bot is mentioned', () => {
    const bot = '1';
    const message = { content: 'secret', author: { id: '2' }, mentions: [] as Array<{ id: string }>, embeds: [] };
    const withoutContent = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages;
    expect(shapeForIntents('MESSAGE_CREATE', message, withoutContent, bot)).toMatchObject({ content: '' });
    expect(shapeForIntents('MESSAGE_CREATE', { ...message, mentions: [{ id: bot }] }, withoutContent, bot)).toMatchObject({ content: 'secret' });
    expect(shapeForIntents('MESSAGE_CREATE', message, withoutContent | GatewayIntentBits.MessageContent, bot)).toMatchObject({ content: 'secret' });
    expect(shapeForIntents('MESSAGE_CREATE', message, GatewayIntentBits.Guilds, bot)).toBeUndefined();
  });
});

describe('several guilds', () => {
  it('serves a guild added after login as the bot joining it: its own channel, members, roles and commands', async () => {
    const { guildId, channelId } = discord.addGuild('Second Guild');
    const admins = discord.createRole('admins', 0x20n, guildId);
    const both = discord.createUser({ username: 'both', guilds: [discord.guildId, guildId], roles: [admins.id] });
    await expect.poll(() => client.guilds.cache.has(guildId)).toBe(true);
    expect(client.guilds.cache.get(guildId)?.channels.cache.has(channelId)).toBe(true);
    expect(client.channels.cache.get(channelId)).toMatchObject({ guildId });

    await client.rest.put(Routes.applicationGuildCommands(discord.applicationId, guildId), { body: [{ name: 'where', description: 'Which guild?' }] });
    expect(discord.guildCommands(guildId).map((c) => c.name)).toEqual(['where']);
    const seen = onNext('where', async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: `in ${interaction.guildId}` });
      return { guildId: interaction.guildId, channelId: interaction.channelId, manageGuild: interaction.memberPermissions?.has(0x20n) };
    });
    discord.sendSlashCommand({ name: 'where', guildId, user: both });
    expect(await seen).toEqual({ guildId, channelId, manageGuild: true });
    // The same member has no such role in the first guild.
    const first = onNext('where', async (interaction) => ({ guildId: interaction.guildId, manageGuild: interaction.memberPermissions?.has(0x20n) }));
    discord.sendSlashCommand({ name: 'where', user: both, guildId: discord.guildId });
    expect(await first).toEqual({ guildId: discord.guildId, manageGuild: false });
    expect(() => discord.sendSlashCommand({ name: 'where', guildId, channelId: discord.channelId })).toThrow(/not in guild/);
  });
});

describe('shards', () => {
  it('serves each shard its own guilds and their interactions, DMs on shard 0, and recommends a shard count', async () => {
    const sharded = await startFakeDiscord({ recommendedShards: 2 });
    const clients = [0, 1].map((id) => new Client({ intents: INTENTS, rest: { api: sharded.restUrl }, shards: [id], shardCount: 2 }));
    try {
      const guilds = [0, 1].map((id) => sharded.addGuild(`On shard ${id}`, { shard: [id, 2] }).guildId);
      expect(guilds.map((id) => shardOfGuild(id, 2))).toEqual([0, 1]);
      for (const client of clients) await logIn(client, sharded);
      expect(sharded.shards.sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      const all = [sharded.guildId, ...guilds];
      for (const [id, client] of clients.entries()) {
        expect([...client.guilds.cache.keys()].sort()).toEqual(all.filter((guild) => shardOfGuild(guild, 2) === id).sort());
      }

      const seen: Array<{ shard: number; guildId: string | null }> = [];
      clients.forEach((client, shard) =>
        client.on(Events.InteractionCreate, (interaction) => {
          seen.push({ shard, guildId: interaction.guildId });
          if (interaction.isChatInputCommand()) void interaction.reply({ content: 'here' });
        }),
      );
      const member = sharded.createUser({ username: 'member', guilds });
      for (const guildId of guilds) sharded.sendSlashCommand({ name: 'where', guildId, user: member });
      sharded.sendSlashCommand({ name: 'where', channelId: sharded.dmChannelId(member), user: member });
      await expect.poll(() => seen.length).toBe(3);
      expect(seen).toEqual(expect.arrayContaining([{ shard: 0, guildId: guilds[0] }, { shard: 1, guildId: guilds[1] }, { shard: 0, guildId: null }]));

      // A guild joined later arrives on its shard only.
      const late = sharded.addGuild('Joined later', { shard: [1, 2] }).guildId;
      await expect.poll(() => clients[1]!.guilds.cache.has(late)).toBe(true);
      expect(clients[0]!.guilds.cache.has(late)).toBe(false);
    } finally {
      for (const client of clients) await client.destroy();
      await sharded.close();
    }
  });

  it('tells /gateway/bot callers the recommended shard count, and closes an IDENTIFY with an impossible shard with 4010', async () => {
    const response = await fetch(`${discord.restUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${discord.token}` } });
    expect(await response.json()).toMatchObject({ shards: 1 });
    discord.settings.recommendedShards = 3;
    const again = await fetch(`${discord.restUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${discord.token}` } });
    expect(await again.json()).toMatchObject({ shards: 3 });
    discord.settings.recommendedShards = 1;

    for (const shard of [[2, 2], [0, 0], 'one'] as const) {
      const socket = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send(JSON.stringify({ op: 2, d: { token: discord.token, intents: 1, properties: {}, shard } }));
      expect(await closed).toBe(4010);
    }
  });
});
