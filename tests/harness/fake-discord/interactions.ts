import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentButtonInteraction,
  type APIUser,
  type InteractionResponseType,
} from 'discord.js';
import { randomToken, snowflake } from './ids.js';
import type { World } from './world.js';

export type FakeInteraction =
  | APIChatInputApplicationCommandGuildInteraction
  | APIApplicationCommandAutocompleteGuildInteraction
  | APIMessageComponentButtonInteraction
  | APIMessageApplicationCommandGuildInteraction;

/** Server-side state of one dispatched interaction. */
export interface InteractionRecord {
  payload: FakeInteraction;
  /** Who invoked it, and where (the payload types leave these optional). */
  user: APIUser;
  channelId: string;
  dispatchedAt: number;
  ack: { type: InteractionResponseType; at: number } | undefined;
  /** The message `@original` refers to: the reply, the deferred placeholder, or the clicked component's message. */
  originalMessageId: string | undefined;
  followupIds: string[];
}

export class InteractionStore {
  private readonly byId = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();

  add(payload: FakeInteraction, origin: Origin): InteractionRecord {
    const record: InteractionRecord = { payload, ...origin, dispatchedAt: Date.now(), ack: undefined, originalMessageId: undefined, followupIds: [] };
    this.byId.set(payload.id, record);
    this.byToken.set(payload.token, record);
    return record;
  }

  get(id: string): InteractionRecord | undefined {
    return this.byId.get(id);
  }

  withToken(token: string): InteractionRecord | undefined {
    return this.byToken.get(token);
  }
}

export interface Origin {
  user: APIUser;
  channelId: string;
}

/** Options as a name -> value record (types inferred or taken from the registered command), or raw Discord options. */
/** An uploaded file for an attachment option: it goes into `resolved.attachments` and the option's value is its id. */
export interface AttachmentInput {
  filename: string;
  url: string;
  size: number;
  contentType?: string;
}

export type OptionsInput = Record<string, string | number | boolean | AttachmentInput> | APIApplicationCommandInteractionDataOption[];

/**
 * Fields a DM interaction carries: the user instead of a member, no guild, and the bot's DM as
 * its context (a guild-installed app's owner in a DM is "0").
 */
function dmBase(world: World, origin: Origin) {
  const channel = world.dmChannels.get(origin.channelId)!;
  return {
    id: snowflake(),
    application_id: world.applicationId,
    token: `aW50ZXJhY3Rpb246${randomToken(120)}`,
    version: 1 as const,
    channel_id: channel.id,
    channel,
    user: origin.user,
    app_permissions: '0',
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
    context: InteractionContextType.BotDM,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** Fields every guild interaction carries; discord.js reads all of them (entitlements and owners must be present). */
function base(world: World, origin: Origin) {
  // A DM's payload has another shape; the callers' guild types are kept for the guild case, which is every other test's.
  if (world.dmChannels.has(origin.channelId)) return dmBase(world, origin) as unknown as ReturnType<typeof guildBase>;
  return guildBase(world, origin);
}

function guildBase(world: World, origin: Origin) {
  const channel = world.channel(origin.channelId);
  if (!channel) throw new Error(`Unknown channel ${origin.channelId}`);
  const guildId = world.guildOfChannel(channel.id).id;
  const { user: _user, ...member } = world.member(origin.user.id, guildId);
  return {
    id: snowflake(),
    application_id: world.applicationId,
    token: `aW50ZXJhY3Rpb246${randomToken(120)}`,
    version: 1 as const,
    guild_id: guildId,
    guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
    channel_id: channel.id,
    channel: { ...channel, permissions: world.permissionsOf(world.botUser.id, guildId) },
    member: { ...member, user: origin.user, permissions: world.permissionsOf(origin.user.id, guildId) },
    app_permissions: world.permissionsOf(world.botUser.id, guildId),
    locale: Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** The registered command with that name and type (guild commands shadow global ones), if any. */
export function findCommand(world: World, name: string, type: ApplicationCommandType, guildId: string | null = world.guildId): APIApplicationCommand | undefined {
  // In a DM (no guild) only global commands exist.
  const candidates = [...(guildId === null ? [] : (world.guildCommands.get(guildId) ?? [])), ...world.globalCommands];
  return candidates.find((command) => command.name === name && command.type === type);
}

/** The guild an interaction comes from: its channel's. */
const guildOf = (world: World, origin: Origin) => (world.dmChannels.has(origin.channelId) ? null : world.guildOfChannel(origin.channelId).id);

function commandRef(world: World, origin: Origin, name: string, type: ApplicationCommandType) {
  const command = findCommand(world, name, type, guildOf(world, origin));
  return { id: command?.id ?? snowflake(), name, type, ...(command?.guild_id ? { guild_id: command.guild_id } : {}) };
}

function toOptions(world: World, origin: Origin, input: OptionsInput | undefined, command: APIApplicationCommand | undefined) {
  if (input === undefined) return { options: [] as APIApplicationCommandInteractionDataOption[], resolved: undefined };
  if (Array.isArray(input)) return { options: input, resolved: undefined };
  const resolved: APIInteractionDataResolved = {};
  const options = Object.entries(input).map(([name, value]) => {
    const declared = command?.options?.find((option) => option.name === name)?.type;
    if (typeof value === 'object') {
      const id = snowflake();
      const attachment = { id, filename: value.filename, size: value.size, url: value.url, proxy_url: value.url, ...(value.contentType ? { content_type: value.contentType } : {}) };
      (resolved.attachments ??= {})[id] = attachment;
      return { name, type: ApplicationCommandOptionType.Attachment, value: id } as APIApplicationCommandInteractionDataOption;
    }
    const type = declared ?? inferType(value);
    if (type === ApplicationCommandOptionType.User && typeof value === 'string') {
      const user = world.users.get(value);
      const guildId = guildOf(world, origin);
      const member = guildId === null ? undefined : world.guild(guildId).members.get(value);
      if (user) (resolved.users ??= {})[value] = user;
      if (member) {
        const { user: _user, ...partial } = member;
        (resolved.members ??= {})[value] = { ...partial, permissions: world.permissionsOf(value, guildId!) };
      }
    }
    return { name, type, value } as APIApplicationCommandInteractionDataOption;
  });
  return { options, resolved: Object.keys(resolved).length > 0 ? resolved : undefined };
}

function inferType(value: string | number | boolean): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  return ApplicationCommandOptionType.String;
}

export function slashCommandPayload(world: World, origin: Origin, name: string, input?: OptionsInput): APIChatInputApplicationCommandGuildInteraction {
  const command = findCommand(world, name, ApplicationCommandType.ChatInput, guildOf(world, origin));
  const { options, resolved } = toOptions(world, origin, input, command);
  return {
    ...base(world, origin),
    type: InteractionType.ApplicationCommand,
    data: { ...commandRef(world, origin, name, ApplicationCommandType.ChatInput), type: ApplicationCommandType.ChatInput, options, ...(resolved ? { resolved } : {}) },
  };
}

export function autocompletePayload(
  world: World,
  origin: Origin,
  name: string,
  focused: { name: string; value: string },
  others?: OptionsInput,
): APIApplicationCommandAutocompleteGuildInteraction {
  const command = findCommand(world, name, ApplicationCommandType.ChatInput, guildOf(world, origin));
  const { options } = toOptions(world, origin, others, command);
  const focusedType = command?.options?.find((option) => option.name === focused.name)?.type ?? ApplicationCommandOptionType.String;
  const focusedOption = { name: focused.name, type: focusedType, value: focused.value, focused: true } as APIApplicationCommandInteractionDataOption;
  return {
    ...base(world, origin),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: { ...commandRef(world, origin, name, ApplicationCommandType.ChatInput), type: ApplicationCommandType.ChatInput, options: [...options, focusedOption] },
  };
}

export function buttonPayload(world: World, origin: Origin, customId: string, message: APIMessage): APIMessageComponentButtonInteraction {
  return {
    ...base(world, origin),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  };
}

export function messageContextMenuPayload(world: World, origin: Origin, name: string, target: APIMessage): APIMessageApplicationCommandGuildInteraction {
  return {
    ...base(world, origin),
    type: InteractionType.ApplicationCommand,
    data: {
      ...commandRef(world, origin, name, ApplicationCommandType.Message),
      type: ApplicationCommandType.Message,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    },
  };
}
