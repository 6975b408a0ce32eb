import { GatewayIntentBits } from 'discord.js';

/** The intent a dispatch needs; events not listed (READY, INTERACTION_CREATE, ...) are always sent. */
const REQUIRED_INTENT: Record<string, number> = {
  GUILD_CREATE: GatewayIntentBits.Guilds,
  CHANNEL_CREATE: GatewayIntentBits.Guilds,
  CHANNEL_UPDATE: GatewayIntentBits.Guilds,
  CHANNEL_DELETE: GatewayIntentBits.Guilds,
  THREAD_CREATE: GatewayIntentBits.Guilds,
  THREAD_UPDATE: GatewayIntentBits.Guilds,
  THREAD_DELETE: GatewayIntentBits.Guilds,
  MESSAGE_CREATE: GatewayIntentBits.GuildMessages,
  MESSAGE_UPDATE: GatewayIntentBits.GuildMessages,
  MESSAGE_DELETE: GatewayIntentBits.GuildMessages,
  TYPING_START: GatewayIntentBits.GuildMessageTyping,
};

interface MessageLike {
  author?: { id: string };
  mentions?: Array<{ id: string }>;
}

/**
 * What a session with `intents` receives for a dispatch: nothing without the event's intent, and, like Discord,
 * messages with content, embeds, attachments and components emptied unless the session has MessageContent, the bot
 * wrote the message or the message mentions the bot.
 */
export function shapeForIntents(t: string, d: unknown, intents: number, botUserId: string): unknown {
  const required = REQUIRED_INTENT[t];
  if (required !== undefined && (intents & required) === 0) return undefined;
  if (t !== 'MESSAGE_CREATE' && t !== 'MESSAGE_UPDATE') return d;
  if ((intents & GatewayIntentBits.MessageContent) !== 0) return d;
  const message = d as MessageLike;
  if (message.author?.id === botUserId || message.mentions?.some((user) => user.id === botUserId)) return d;
  return { ...(d as object), content: '', embeds: [], attachments: [], components: [] };
}
