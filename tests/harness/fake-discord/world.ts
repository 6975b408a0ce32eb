import {
  ChannelFlags,
  ChannelType,
  GuildMemberFlags,
  MessageType,
  PermissionFlagsBits,
  RoleFlags,
  UserFlags,
  type APIApplicationCommand,
  type APIAttachment,
  type APIDMChannel,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
} from 'discord.js';
import { snowflake } from './ids.js';

export type GuildChannel = APITextChannel | APIThreadChannel;

/** What every human member may do; the bot's role adds thread and message management on top. */
const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.UseExternalEmojis;
const BOT_PERMISSIONS = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageThreads;

export interface WorldOptions {
  botUsername: string;
  guildName: string;
  channelName: string;
}

export interface NewUser {
  username?: string;
  globalName?: string | null;
  bot?: boolean;
  /** Ids of roles (from createRole) the member has. */
  roles?: string[];
  /** The guilds the user is a member of: the first guild when omitted. */
  guilds?: string[];
}

/** One guild (server): its roles, members and first text channel. */
export interface Guild {
  id: string;
  name: string;
  ownerId: string;
  /** Its first text channel. */
  channelId: string;
  everyoneRole: APIRole;
  botRole: APIRole;
  /** Roles made by tests (createRole), besides @everyone and the bot's. */
  extraRoles: APIRole[];
  members: Map<string, APIGuildMember>;
}

export interface MessageFields {
  channelId: string;
  author: APIUser;
  content?: string;
  embeds?: APIMessage['embeds'];
  components?: APIMessage['components'];
  attachments?: APIAttachment[];
  flags?: number;
  type?: MessageType;
  webhookId?: string;
  mentions?: APIUser[];
  reference?: APIMessage;
  interactionMetadata?: APIMessage['interaction_metadata'];
}

/**
 * The guilds (the first one made with the world, more with addGuild), their text channels, users,
 * messages and registered commands that the fake server serves. The first guild's fields are
 * also the world's own (`guildId`, `channelId`, `members`, …), for tests that need only one.
 */
export class World {
  readonly botUser: APIUser;
  /** Modern applications share their id with their bot user. */
  readonly applicationId: string;
  readonly guilds = new Map<string, Guild>();
  readonly users = new Map<string, APIUser>();
  readonly channels = new Map<string, GuildChannel>();
  /** Direct-message channels between the bot and one user, by channel id. */
  readonly dmChannels = new Map<string, APIDMChannel>();
  readonly messages = new Map<string, APIMessage>();
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  private readonly first: Guild;
  private userCount = 0;

  constructor(private readonly options: WorldOptions) {
    this.botUser = this.createUser({ username: options.botUsername, bot: true, guilds: [] });
    this.applicationId = this.botUser.id;
    this.first = this.addGuild(options.guildName, options.channelName);
  }

  get guildId(): string {
    return this.first.id;
  }

  get channelId(): string {
    return this.first.channelId;
  }

  get ownerId(): string {
    return this.first.ownerId;
  }

  get guildName(): string {
    return this.first.name;
  }

  get everyoneRole(): APIRole {
    return this.first.everyoneRole;
  }

  get botRole(): APIRole {
    return this.first.botRole;
  }

  get members(): Map<string, APIGuildMember> {
    return this.first.members;
  }

  get extraRoles(): APIRole[] {
    return this.first.extraRoles;
  }

  /** Another guild the bot is in, with its owner, roles and one text channel. */
  addGuild(name: string, channelName = 'general', id = snowflake()): Guild {
    const guild: Guild = {
      id,
      name,
      ownerId: '',
      channelId: snowflake(),
      everyoneRole: role(id, '@everyone', 0, EVERYONE_PERMISSIONS),
      botRole: { ...role(snowflake(), this.options.botUsername, 1, BOT_PERMISSIONS), managed: true, tags: { bot_id: this.botUser.id } },
      extraRoles: [],
      members: new Map(),
    };
    this.guilds.set(id, guild);
    guild.members.set(this.botUser.id, newMember(this.botUser, [guild.botRole.id]));
    guild.ownerId = this.createUser({ username: this.guilds.size === 1 ? 'guild-owner' : `guild-owner-${this.guilds.size}`, guilds: [id] }).id;
    this.channels.set(guild.channelId, {
      id: guild.channelId,
      type: ChannelType.GuildText,
      guild_id: id,
      name: channelName,
      position: 0,
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      default_auto_archive_duration: 4320,
      permission_overwrites: [],
      flags: 0 as ChannelFlags,
    });
    return guild;
  }

  /** The bot's DM channel with a user (opened on first use, as Discord does). */
  dmChannel(user: APIUser): APIDMChannel {
    const open = [...this.dmChannels.values()].find((channel) => channel.recipients?.[0]?.id === user.id);
    if (open) return open;
    const channel: APIDMChannel = { id: snowflake(), type: ChannelType.DM, recipients: [user], last_message_id: null, name: null, flags: 0 as ChannelFlags };
    this.dmChannels.set(channel.id, channel);
    return channel;
  }

  guild(id: string = this.guildId): Guild {
    const guild = this.guilds.get(id);
    if (!guild) throw new Error(`The fake bot is not in guild ${id}`);
    return guild;
  }

  /** The guild a channel (or thread) belongs to. */
  guildOfChannel(channelId: string): Guild {
    const channel = this.channels.get(channelId);
    if (!channel?.guild_id) throw new Error(`Unknown channel ${channelId}`);
    return this.guild(channel.guild_id);
  }

  /** A distinct user who (by default) is also a member of the first guild. */
  createUser(options: NewUser = {}): APIUser {
    this.userCount++;
    const username = options.username ?? `user${this.userCount}`;
    const user: APIUser = {
      id: snowflake(),
      username,
      discriminator: '0',
      global_name: options.globalName === undefined ? (options.bot ? null : username) : options.globalName,
      avatar: null,
      bot: options.bot ?? false,
      flags: 0 as UserFlags,
      public_flags: 0 as UserFlags,
    };
    this.users.set(user.id, user);
    for (const guildId of options.guilds ?? [this.guildId]) this.guild(guildId).members.set(user.id, newMember(user, options.roles ?? []));
    return user;
  }

  member(userId: string, guildId: string = this.guildId): APIGuildMember {
    const member = this.guild(guildId).members.get(userId);
    if (!member) throw new Error(`User ${userId} is not a member of the fake guild ${guildId}`);
    return member;
  }

  /** Computed guild-level permissions as Discord serialises them: a decimal string. */
  permissionsOf(userId: string, guildId: string = this.guildId): string {
    const guild = this.guild(guildId);
    let bits = BigInt(guild.everyoneRole.permissions);
    for (const roleId of this.member(userId, guildId).roles) {
      if (roleId === guild.botRole.id) bits |= BigInt(guild.botRole.permissions);
      const extra = guild.extraRoles.find((r) => r.id === roleId);
      if (extra) bits |= BigInt(extra.permissions);
    }
    return bits.toString();
  }

  channel(id: string): GuildChannel | undefined {
    return this.channels.get(id);
  }

  roles(guildId: string = this.guildId): APIRole[] {
    const guild = this.guild(guildId);
    return [guild.everyoneRole, guild.botRole, ...guild.extraRoles];
  }

  /** A guild role; create it before the bot connects so that it arrives with GUILD_CREATE. */
  createRole(name: string, permissions: bigint = 0n, guildId: string = this.guildId): APIRole {
    const guild = this.guild(guildId);
    const created = role(snowflake(), name, guild.extraRoles.length + 2, permissions);
    guild.extraRoles.push(created);
    return created;
  }

  /** Users a message pings: explicit `<@id>` / `<@!id>` mentions of known users plus the author of a replied-to message. */
  mentionsIn(content: string, reference?: APIMessage): APIUser[] {
    const found = new Map<string, APIUser>();
    for (const match of content.matchAll(/<@!?(\d+)>/g)) {
      const user = this.users.get(match[1] ?? '');
      if (user) found.set(user.id, user);
    }
    if (reference) found.set(reference.author.id, reference.author);
    return [...found.values()];
  }

  createMessage(fields: MessageFields): APIMessage {
    const content = fields.content ?? '';
    const message: APIMessage = {
      id: snowflake(),
      channel_id: fields.channelId,
      author: fields.author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: fields.mentions ?? this.mentionsIn(content, fields.reference),
      mention_roles: [],
      attachments: fields.attachments ?? [],
      embeds: fields.embeds ?? [],
      components: fields.components ?? [],
      pinned: false,
      type: fields.type ?? (fields.reference ? MessageType.Reply : MessageType.Default),
      flags: fields.flags ?? 0,
    };
    if (fields.webhookId) {
      message.webhook_id = fields.webhookId;
      message.application_id = this.applicationId;
    }
    if (fields.reference) {
      message.message_reference = { type: 0, message_id: fields.reference.id, channel_id: fields.reference.channel_id, guild_id: this.guildOfChannel(fields.reference.channel_id).id };
      message.referenced_message = fields.reference;
    }
    if (fields.interactionMetadata) message.interaction_metadata = fields.interactionMetadata;
    this.messages.set(message.id, message);
    const channel = this.channels.get(fields.channelId);
    if (channel) channel.last_message_id = message.id;
    return message;
  }

  /** Every message the channel holds, oldest first. */
  messagesIn(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((message) => message.channel_id === channelId);
  }
}

function newMember(user: APIUser, roles: string[]): APIGuildMember {
  return {
    user,
    nick: null,
    roles: [...roles],
    joined_at: new Date().toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

function role(id: string, name: string, position: number, permissions: bigint): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}
