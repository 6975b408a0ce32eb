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

/** The one guild, its text channel, users, messages and registered commands that the fake server serves. */
export class World {
  readonly botUser: APIUser;
  /** Modern applications share their id with their bot user. */
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly ownerId: string;
  readonly guildName: string;
  readonly everyoneRole: APIRole;
  readonly botRole: APIRole;
  readonly users = new Map<string, APIUser>();
  readonly members = new Map<string, APIGuildMember>();
  readonly channels = new Map<string, GuildChannel>();
  readonly messages = new Map<string, APIMessage>();
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  /** Roles made by tests (createRole), besides @everyone and the bot's. */
  readonly extraRoles: APIRole[] = [];
  private userCount = 0;

  constructor(options: WorldOptions) {
    this.botUser = this.createUser({ username: options.botUsername, bot: true });
    this.applicationId = this.botUser.id;
    this.guildId = snowflake();
    this.guildName = options.guildName;
    this.ownerId = this.createUser({ username: 'guild-owner' }).id;
    this.everyoneRole = role(this.guildId, '@everyone', 0, EVERYONE_PERMISSIONS);
    this.botRole = { ...role(snowflake(), options.botUsername, 1, BOT_PERMISSIONS), managed: true, tags: { bot_id: this.botUser.id } };
    this.members.get(this.botUser.id)?.roles.push(this.botRole.id);

    this.channelId = snowflake();
    this.channels.set(this.channelId, {
      id: this.channelId,
      type: ChannelType.GuildText,
      guild_id: this.guildId,
      name: options.channelName,
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
  }

  /** A distinct user who (by default) is also a member of the guild. */
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
    this.members.set(user.id, {
      user,
      nick: null,
      roles: [...(options.roles ?? [])],
      joined_at: new Date().toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    });
    return user;
  }

  member(userId: string): APIGuildMember {
    const member = this.members.get(userId);
    if (!member) throw new Error(`User ${userId} is not a member of the fake guild`);
    return member;
  }

  /** Computed guild-level permissions as Discord serialises them: a decimal string. */
  permissionsOf(userId: string): string {
    let bits = BigInt(this.everyoneRole.permissions);
    for (const roleId of this.member(userId).roles) {
      if (roleId === this.botRole.id) bits |= BigInt(this.botRole.permissions);
      const extra = this.extraRoles.find((r) => r.id === roleId);
      if (extra) bits |= BigInt(extra.permissions);
    }
    return bits.toString();
  }

  channel(id: string): GuildChannel | undefined {
    return this.channels.get(id);
  }

  roles(): APIRole[] {
    return [this.everyoneRole, this.botRole, ...this.extraRoles];
  }

  /** A guild role; create it before the bot connects so that it arrives with GUILD_CREATE. */
  createRole(name: string, permissions: bigint = 0n): APIRole {
    const created = role(snowflake(), name, this.extraRoles.length + 2, permissions);
    this.extraRoles.push(created);
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
      message.message_reference = { type: 0, message_id: fields.reference.id, channel_id: fields.reference.channel_id, guild_id: this.guildId };
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
