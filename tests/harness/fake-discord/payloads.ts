import {
  ApplicationFlags,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type APIApplication,
  type APIMessage,
  type GatewayGuildCreateDispatchData,
  type GatewayMessageCreateDispatchData,
  type GatewayReadyDispatchData,
} from 'discord.js';
import type { World } from './world.js';

/** Gateway intents the fake application is approved for (privileged message content and members). */
const APPLICATION_FLAGS = ApplicationFlags.GatewayMessageContentLimited | ApplicationFlags.GatewayGuildMembersLimited;

/** READY for a session of shard `shard` ([id, count]), listing the guilds that shard serves. */
export function readyPayload(world: World, sessionId: string, resumeUrl: string, shard: [number, number], guildIds: readonly string[]): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...world.botUser, verified: true, mfa_enabled: false, email: null },
    guilds: guildIds.map((id) => ({ id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard,
    application: { id: world.applicationId, flags: APPLICATION_FLAGS, flags_new: String(APPLICATION_FLAGS) },
  };
}

/** A full guild, as sent after READY (one per guild the bot is in) or when the bot joins it. */
export function guildCreatePayload(world: World, guildId: string = world.guildId): GatewayGuildCreateDispatchData {
  const guild = world.guild(guildId);
  const own = [...world.channels.values()].filter((channel) => channel.guild_id === guildId);
  // GUILD_CREATE omits guild_id on its channels; discord.js fills it in.
  const channels = own.filter((channel) => !('thread_metadata' in channel)).map(({ guild_id: _guildId, ...channel }) => channel);
  const threads = own.filter((channel) => 'thread_metadata' in channel);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    region: 'us-east',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: world.roles(guildId),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channelId,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_presences: null,
    max_members: 500000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    hub_type: null,
    incidents_data: null,
    joined_at: world.member(world.botUser.id, guildId).joined_at ?? new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    members: [...guild.members.values()],
    channels: channels as GatewayGuildCreateDispatchData['channels'],
    threads: threads as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function applicationPayload(world: World): APIApplication {
  return {
    id: world.applicationId,
    name: world.botUser.username,
    icon: null,
    description: 'Fake application served by the test harness',
    bot_public: false,
    bot_require_code_grant: false,
    bot: world.botUser,
    verify_key: '0'.repeat(64),
    owner: world.users.get(world.ownerId),
    team: null,
    flags: APPLICATION_FLAGS,
    flags_new: String(APPLICATION_FLAGS),
    summary: '',
  };
}

/** MESSAGE_CREATE/UPDATE data: the REST message plus the guild id and the author's partial member. */
export function messageEvent(world: World, message: APIMessage): GatewayMessageCreateDispatchData {
  // A DM's message carries no guild and no member.
  if (world.dmChannels.has(message.channel_id)) return { ...message } as GatewayMessageCreateDispatchData;
  const guild = world.guildOfChannel(message.channel_id);
  const { user: _user, ...member } = guild.members.get(message.author.id) ?? world.member(world.botUser.id, guild.id);
  return {
    ...message,
    guild_id: guild.id,
    member: message.webhook_id ? undefined : member,
    mentions: message.mentions.map((user) => {
      const mentioned = guild.members.get(user.id);
      if (!mentioned) return user;
      const { user: _ignored, ...partial } = mentioned;
      return { ...user, member: partial };
    }),
  } as GatewayMessageCreateDispatchData;
}
