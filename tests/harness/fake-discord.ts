/**
 * A Discord-compatible loopback server (REST /api/v10 + gateway v10) for driving a real discord.js Client in tests.
 * It records every REST call and enforces what Discord enforces: interaction ack deadline and single ack,
 * message/embed/component limits, tokens, and (on demand) 429s and gateway reconnects.
 *
 *   const discord = await startFakeDiscord();
 *   const client = new Client({ intents, rest: { api: discord.restUrl } });
 *   await client.login(discord.token);
 *   const interaction = discord.sendSlashCommand({ name: 'ask', options: { question: 'why?' } });
 *   const edit = await discord.waitForCall({ method: 'PATCH', path: /messages\/@original$/ });
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Events, type APIApplicationCommand, type APIMessage, type APIRole, type APIUser, type Client } from 'discord.js';
import type { ServerContext, Settings } from './fake-discord/context.js';
import { Gateway, servesGuild, type GatewayStats, type ShardPair } from './fake-discord/gateway.js';
import { botToken, snowflakeOnShard } from './fake-discord/ids.js';
import {
  InteractionStore,
  autocompletePayload,
  buttonPayload,
  messageContextMenuPayload,
  slashCommandPayload,
  type FakeInteraction,
  type OptionsInput,
  type Origin,
} from './fake-discord/interactions.js';
import { isEphemeral } from './fake-discord/messages.js';
import { guildCreatePayload, messageEvent, readyPayload } from './fake-discord/payloads.js';
import { RestApi, Router, matches, type CallMatcher, type IncomingCall, type RecordedCall } from './fake-discord/rest.js';
import { applicationRoutes } from './fake-discord/routes/application.js';
import { channelRoutes } from './fake-discord/routes/channels.js';
import { interactionRoutes } from './fake-discord/routes/interactions.js';
import { World, type NewUser } from './fake-discord/world.js';

export type { CallMatcher, IncomingCall, RecordedCall, RecordedFile } from './fake-discord/rest.js';
export type { AttachmentInput, FakeInteraction, OptionsInput } from './fake-discord/interactions.js';
export type { GatewayStats, ShardPair } from './fake-discord/gateway.js';
export { shardOfGuild } from './fake-discord/ids.js';
export type { NewUser } from './fake-discord/world.js';
export type { Settings } from './fake-discord/context.js';

export interface FakeDiscordOptions {
  /** Bot token the client must log in with; generated when omitted. */
  token?: string;
  /** Interaction acknowledgement deadline in ms (Discord: 3000). */
  ackDeadlineMs?: number;
  /** Interaction token lifetime for @original and follow-ups in ms (Discord: 15 minutes). */
  interactionTokenLifetimeMs?: number;
  /** The shard count /gateway/bot recommends (default 1); a live knob as `settings.recommendedShards`. */
  recommendedShards?: number;
  /** HELLO heartbeat_interval in ms (Discord: 41250). */
  heartbeatIntervalMs?: number;
  botUsername?: string;
  guildName?: string;
  channelName?: string;
}

/** Who acts and where; defaults: the default human user, in the guild's text channel. */
interface Actor {
  user?: APIUser;
  guildId?: string;
  channelId?: string;
}

export interface SlashCommandInput extends Actor {
  name: string;
  options?: OptionsInput;
}

export interface AutocompleteInput extends Actor {
  name: string;
  focusedOption: string;
  value: string;
  /** The other options already filled in. */
  options?: OptionsInput;
}

export interface ButtonInput extends Omit<Actor, 'channelId'> {
  customId: string;
  /** The message carrying the button; defaults to the bot's latest message in the channel. */
  messageId?: string;
}

export interface MessageContextMenuInput extends Actor {
  name: string;
  /** A message the server knows, or the content (and author) of one that existed before the test. */
  targetMessage: APIMessage | { content: string; author?: APIUser };
}

export interface UserMessageInput extends Actor {
  content: string;
  /** Users pinged; defaults to the `<@id>` mentions in `content` plus the author of `replyTo`. */
  mentions?: APIUser[];
  /** Id of the message this one replies to. */
  replyTo?: string;
}

export interface InteractionState {
  acknowledged: boolean;
  /** Callback type used to acknowledge (4 reply, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal). */
  responseType: number | undefined;
  originalMessageId: string | undefined;
  followupIds: string[];
}

export class FakeDiscord {
  readonly token: string;
  readonly port: number;
  /** Value for the client's `rest.api` option (no `/v10`: discord.js appends it). */
  readonly restUrl: string;
  readonly gatewayUrl: string;
  readonly botUser: APIUser;
  readonly botUserId: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  /** The default human member who sends commands and messages. */
  readonly user: APIUser;
  /** Live knobs: change `settings.ackDeadlineMs` to test slow handlers quickly. */
  readonly settings: Settings;
  private closed = false;

  /** Use startFakeDiscord(). */
  constructor(
    private readonly server: Server,
    private readonly world: World,
    private readonly interactions: InteractionStore,
    private readonly rest: RestApi,
    private readonly gateway: Gateway,
    token: string,
    settings: Settings,
  ) {
    this.token = token;
    this.settings = settings;
    this.port = (server.address() as AddressInfo).port;
    this.restUrl = `http://127.0.0.1:${this.port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${this.port}`;
    this.botUser = world.botUser;
    this.botUserId = world.botUser.id;
    this.applicationId = world.applicationId;
    this.guildId = world.guildId;
    this.channelId = world.channelId;
    this.user = world.createUser({ username: 'alice' });
  }

  /** Every REST call so far, in arrival order. */
  get calls(): readonly RecordedCall[] {
    return this.rest.calls;
  }

  findCalls(matcher: CallMatcher): RecordedCall[] {
    return this.rest.calls.filter((call) => matches(matcher, call));
  }

  /** First call, already made or future, that matches; rejects after `timeoutMs` listing the calls seen. */
  waitForCall(matcher: CallMatcher, timeoutMs = 2000): Promise<RecordedCall> {
    return this.rest.waitForCall(matcher, timeoutMs);
  }

  /** The next matching request gets a 429 with Retry-After and X-RateLimit-* headers (scope: user). */
  rateLimitNext(matcher: CallMatcher<IncomingCall>, retryAfterSeconds: number): void {
    this.rest.rateLimitNext(matcher, retryAfterSeconds);
  }

  /** Sends op 7 Reconnect to connected sessions; resolves when each has resumed (or identified anew). */
  requestReconnect(timeoutMs = 5000): Promise<void> {
    return this.gateway.requestReconnect(timeoutMs);
  }

  get gatewayStats(): GatewayStats {
    return { ...this.gateway.stats };
  }

  /** The shards ([id, count]) of the gateway sessions open now. */
  get shards(): ShardPair[] {
    return this.gateway.shards;
  }

  /** A distinct user, a member of the first guild (or of `options.guilds`). */
  createUser(options?: NewUser): APIUser {
    return this.world.createUser(options);
  }

  /** A guild role with these permission bits (in the first guild unless `guildId`); create it before the bot logs in (it is sent with GUILD_CREATE). */
  createRole(name: string, permissions: bigint = 0n, guildId?: string): APIRole {
    return this.world.createRole(name, permissions, guildId);
  }

  /**
   * Another guild (server) the bot is in, with its own owner, roles and text channel: before the
   * bot logs in it arrives with the others after READY; later, as a GUILD_CREATE (the bot joining).
   * Members join it with `createUser({ guilds: [guildId] })`; commands and messages name it by
   * `guildId` (its channel by default) or by `channelId`.
   */
  addGuild(name = `Verbatim Test Guild ${this.world.guilds.size + 1}`, options: { shard?: ShardPair } = {}): { guildId: string; channelId: string } {
    const guild = this.world.addGuild(name, 'general', options.shard ? snowflakeOnShard(options.shard) : undefined);
    if (this.gateway.hasSessions()) this.gateway.dispatch('GUILD_CREATE', guildCreatePayload(this.world, guild.id));
    return { guildId: guild.id, channelId: guild.channelId };
  }

  sendSlashCommand(input: SlashCommandInput): FakeInteraction {
    const origin = this.origin(input);
    return this.dispatchInteraction(slashCommandPayload(this.world, origin, input.name, input.options), origin);
  }

  sendAutocomplete(input: AutocompleteInput): FakeInteraction {
    const origin = this.origin(input);
    const focused = { name: input.focusedOption, value: input.value };
    return this.dispatchInteraction(autocompletePayload(this.world, origin, input.name, focused, input.options), origin);
  }

  sendButton(input: ButtonInput): FakeInteraction {
    const message = input.messageId ? this.world.messages.get(input.messageId) : this.latestBotMessage(input.guildId);
    if (!message) throw new Error(`sendButton: no message ${input.messageId ?? 'from the bot'} to click on`);
    const origin = this.origin({ ...input, channelId: message.channel_id });
    return this.dispatchInteraction(buttonPayload(this.world, origin, input.customId, message), origin);
  }

  sendMessageContextMenu(input: MessageContextMenuInput): FakeInteraction {
    const origin = this.origin(input);
    const given = input.targetMessage;
    const known = 'id' in given ? this.world.messages.get(given.id) : undefined;
    const target =
      known ?? this.world.createMessage({ channelId: origin.channelId, author: given.author ?? this.user, content: given.content });
    return this.dispatchInteraction(messageContextMenuPayload(this.world, origin, input.name, target), origin);
  }

  /** A member posts in a channel: MESSAGE_CREATE (content hidden from sessions without MessageContent unless the bot is mentioned). */
  sendMessage(input: UserMessageInput): APIMessage {
    const origin = this.origin(input);
    const reference = input.replyTo ? this.world.messages.get(input.replyTo) : undefined;
    if (input.replyTo && !reference) throw new Error(`sendMessage: unknown message ${input.replyTo} to reply to`);
    const message = this.world.createMessage({
      channelId: origin.channelId,
      author: origin.user,
      content: input.content,
      ...(input.mentions ? { mentions: input.mentions } : {}),
      ...(reference ? { reference } : {}),
    });
    this.requireSession();
    this.gateway.dispatch('MESSAGE_CREATE', messageEvent(this.world, message));
    return message;
  }

  /** Raw dispatch to every gateway session, for events without a helper. */
  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }

  interactionState(id: string): InteractionState {
    const record = this.interactions.get(id);
    if (!record) throw new Error(`Unknown interaction ${id}`);
    return {
      acknowledged: record.ack !== undefined,
      responseType: record.ack?.type,
      originalMessageId: record.originalMessageId,
      followupIds: [...record.followupIds],
    };
  }

  message(id: string): APIMessage | undefined {
    return this.world.messages.get(id);
  }

  messagesIn(channelId: string = this.channelId): APIMessage[] {
    return this.world.messagesIn(channelId);
  }

  /** Commands the bot registered: global, and in the first guild. */
  get commands(): { global: APIApplicationCommand[]; guild: APIApplicationCommand[] } {
    return { global: [...this.world.globalCommands], guild: this.guildCommands(this.guildId) };
  }

  /** Commands the bot registered in one guild. */
  guildCommands(guildId: string): APIApplicationCommand[] {
    return [...(this.world.guildCommands.get(guildId) ?? [])];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rest.dispose();
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The bot's DM channel with a user: commands sent with this `channelId` arrive as DMs. */
  dmChannelId(user: APIUser): string {
    return this.world.dmChannel(user).id;
  }

  private origin(actor: Actor): Origin {
    if (actor.channelId !== undefined && this.world.dmChannels.has(actor.channelId)) {
      if (actor.guildId !== undefined) throw new Error(`Channel ${actor.channelId} is a DM, not in guild ${actor.guildId}`);
      return { user: actor.user ?? this.user, channelId: actor.channelId };
    }
    const channelId = actor.channelId ?? this.world.guild(actor.guildId ?? this.guildId).channelId;
    if (!this.world.channel(channelId)) throw new Error(`Unknown channel ${channelId}`);
    const guild = this.world.guildOfChannel(channelId);
    if (actor.guildId !== undefined && actor.guildId !== guild.id) throw new Error(`Channel ${channelId} is not in guild ${actor.guildId}`);
    return { user: actor.user ?? this.user, channelId };
  }

  private latestBotMessage(guildId: string = this.guildId): APIMessage | undefined {
    return this.world.messagesIn(this.world.guild(guildId).channelId).filter((message) => message.author.id === this.botUserId).at(-1);
  }

  private dispatchInteraction<T extends FakeInteraction>(payload: T, origin: Origin): T {
    this.requireSession();
    this.interactions.add(payload, origin);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  private requireSession(): void {
    if (!this.gateway.hasSessions()) throw new Error('No gateway session: log a discord.js client in before sending events');
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const world = new World({
    botUsername: options.botUsername ?? 'verbatim',
    guildName: options.guildName ?? 'Verbatim Test Guild',
    channelName: options.channelName ?? 'general',
  });
  const token = options.token ?? botToken(world.botUser.id);
  const settings: Settings = {
    ackDeadlineMs: options.ackDeadlineMs ?? 3000,
    interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60 * 1000,
    recommendedShards: options.recommendedShards ?? 1,
  };
  const interactions = new InteractionStore();
  const router = new Router();
  const rest = new RestApi(router, token);
  const server = createServer((req, res) => {
    rest.handle(req, res).catch((error: unknown) => {
      // A harness bug, not a Discord behaviour: make it loud.
      console.error('fake-discord: unhandled error', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const gateway = new Gateway(server, {
    token,
    botUserId: world.botUser.id,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    onIdentify: (sessionId, shard) => {
      const guildIds = [...world.guilds.keys()].filter((id) => servesGuild(shard, id));
      return {
        // A distinct path, so a resume that ignores resume_gateway_url would still work but be visible in logs.
        ready: readyPayload(world, sessionId, `${base}/resume`, shard, guildIds),
        then: guildIds.map((id) => ({ t: 'GUILD_CREATE', d: guildCreatePayload(world, id) })),
      };
    },
  });

  const publish = (t: string, message: APIMessage, d: unknown) => {
    if (!isEphemeral(message)) gateway.dispatch(t, d);
  };
  const ctx: ServerContext = {
    world,
    interactions,
    settings,
    gatewayUrl: () => base,
    dispatch: (t, d) => gateway.dispatch(t, d),
    messageCreated: (message) => publish('MESSAGE_CREATE', message, messageEvent(world, message)),
    messageUpdated: (message) => publish('MESSAGE_UPDATE', message, messageEvent(world, message)),
    messageDeleted: (message) =>
      publish('MESSAGE_DELETE', message, {
        id: message.id,
        channel_id: message.channel_id,
        ...(world.dmChannels.has(message.channel_id) ? {} : { guild_id: world.guildOfChannel(message.channel_id).id }),
      }),
  };
  applicationRoutes(router, ctx);
  channelRoutes(router, ctx);
  interactionRoutes(router, ctx);

  return new FakeDiscord(server, world, interactions, rest, gateway, token, settings);
}

/** Logs a real discord.js client in to the fake server and waits until it is ready. */
export async function logIn(client: Client, discord: FakeDiscord): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(discord.token);
  await ready;
}
