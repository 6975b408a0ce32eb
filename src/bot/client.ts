/** The discord.js client with verbatim's handlers wired in. */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.js';
import type { IngestAccess } from '../ingest/running.js';
import type { FetchPolicy } from '../ingest/fetch.js';
import type { Searcher } from '../answer/searcher.js';
import { openAnswerStore, type AnswerStore } from './answer-store.js';
import { commands as defaultCommands } from './commands/index.js';
import { Cooldown } from './cooldown.js';
import { interactionHandler } from './interactions.js';
import type { Logger } from '../log.js';
import { mentionHandler } from './mentions.js';
import type { BotContext, Command } from './types.js';
import { singleLibrary, type BotLibrary } from './library.js';

export interface BotOptions {
  /** One corpus for every place (without `library`). */
  searcher?: Searcher;
  /** Each server its collections (src/bot/library.ts); without it, `searcher` everywhere. */
  library?: BotLibrary;
  config: Pick<Config, 'discordApiBase' | 'mentionChannels' | 'cooldownSeconds'> & Partial<Pick<Config, 'fetchMaxBytes' | 'fetchTimeoutMs' | 'allowPrivateFetch'>>;
  log: Logger;
  /** /ingest and /forget (src/ingest/running.ts); without it they answer INGEST_UNAVAILABLE. */
  ingest?: IngestAccess;
  /** The commands to serve; all of src/bot/commands by default. */
  commands?: readonly Command[];
  /** Where answers behind buttons are kept; by default the database with DATABASE_URL, else memory. */
  answers?: AnswerStore;
}

/** Guilds for interactions; mention replies also need channel messages and their content. */
export function intentsFor(mentionChannels: Config['mentionChannels']): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds];
  if (mentionChannels !== 'off') intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  return intents;
}

/** Fetch limits from the settings, with the settings' own defaults for a bot made without them (tests). */
function fetchPolicyOf(config: BotOptions['config']): FetchPolicy {
  return { maxBytes: config.fetchMaxBytes ?? 5 * 1024 * 1024, timeoutMs: config.fetchTimeoutMs ?? 20_000, allowPrivate: config.allowPrivateFetch ?? false };
}

export function createBot(options: BotOptions): { client: Client; context: BotContext } {
  const { config, log } = options;
  if (!options.library && !options.searcher) throw new Error('createBot needs a searcher or a library');
  const context: BotContext = {
    library: options.library!,
    ...(options.searcher ? { searcher: options.searcher } : {}),
    log,
    cooldown: new Cooldown(config.cooldownSeconds),
    answers: options.answers ?? openAnswerStore(),
    mentionReplies: config.mentionChannels,
    fetch: fetchPolicyOf(config),
    ...(options.ingest ? { ingest: options.ingest } : {}),
  };
  if (!options.library) context.library = singleLibrary(context as BotContext & { searcher: Searcher });
  const client = new Client({
    intents: intentsFor(config.mentionChannels),
    // rest.api is the base without /v10; DISCORD_API_BASE points it at a test server.
    rest: { api: config.discordApiBase },
    // Belt and braces: even a reply built elsewhere pings no one.
    allowedMentions: { parse: [] },
    // discord.js takes its shards from SHARDS and SHARD_COUNT in the environment, as the ShardingManager
    // sets them in a shard process; elsewhere SHARDS is verbatim's own setting, and this process is the one shard.
    ...(process.env.SHARDING_MANAGER ? {} : { shards: [0], shardCount: 1 }),
  });

  const onInteraction = interactionHandler(options.commands ?? defaultCommands, context);
  const onMessage = mentionHandler(context);
  // Each handler catches its own failures; the .catch is for a bug in that catching.
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction).catch((error: unknown) => log.error('interaction handler crashed', { error })));
  if (config.mentionChannels !== 'off') {
    client.on(Events.MessageCreate, (message) => void onMessage(message).catch((error: unknown) => log.error('message handler crashed', { error })));
  }
  client.once(Events.ClientReady, (ready) => log.info('connected to Discord', { user: ready.user.tag, guilds: ready.guilds.cache.size }));
  client.on(Events.Error, (error) => log.error('discord client error', { error }));
  client.on(Events.Warn, (message) => log.warn(message));
  client.on(Events.ShardError, (error, shard) => log.error('gateway error', { shard, error }));
  client.on(Events.ShardReconnecting, (shard) => log.info('gateway reconnecting', { shard }));
  client.on(Events.ShardResume, (shard, replayed) => log.info('gateway resumed', { shard, replayed }));
  client.on(Events.Debug, (message) => log.debug(message));
  client.rest.on('rateLimited', (info) => log.info('rate limited by Discord; waiting', { route: info.route, ms: info.retryAfter, scope: info.scope }));
  return { client, context };
}
