import { ChannelFlags, ChannelType, MessageFlags, ThreadAutoArchiveDuration, ThreadMemberFlags, type APIMessage, type APIThreadChannel } from 'discord.js';
import type { ServerContext } from '../context.js';
import { ApiError, errors, type ApiResponse } from '../errors.js';
import { asJson, assertNotEmpty, attachmentsFor, checkMessageBody, fieldsFromBody, withEdit, type Json } from '../messages.js';
import type { RouteRequest, Router } from '../rest.js';
import { snowflake } from '../ids.js';
import { FormProblems } from '../validate.js';
import type { GuildChannel } from '../world.js';

const ARCHIVE_DURATIONS: number[] = [
  ThreadAutoArchiveDuration.OneHour,
  ThreadAutoArchiveDuration.OneDay,
  ThreadAutoArchiveDuration.ThreeDays,
  ThreadAutoArchiveDuration.OneWeek,
];

export function channelRoutes(router: Router, ctx: ServerContext): void {
  router.add('GET', '/channels/:channel', (req) => ({ status: 200, body: channel(ctx, req) }));
  router.add('GET', '/channels/:channel/messages', (req) => listMessages(ctx, req));
  router.add('POST', '/channels/:channel/messages', (req) => createMessage(ctx, req));
  router.add('GET', '/channels/:channel/messages/:message', (req) => ({ status: 200, body: message(ctx, req) }));
  router.add('PATCH', '/channels/:channel/messages/:message', (req) => editMessage(ctx, req));
  router.add('DELETE', '/channels/:channel/messages/:message', (req) => deleteMessage(ctx, req));
  router.add('POST', '/channels/:channel/messages/:message/threads', (req) => startThread(ctx, req, message(ctx, req)));
  router.add('POST', '/channels/:channel/threads', (req) => startThread(ctx, req, undefined));
  router.add('POST', '/channels/:channel/typing', (req) => {
    channel(ctx, req);
    return { status: 204 };
  });
}

function channel(ctx: ServerContext, req: RouteRequest): GuildChannel {
  const found = ctx.world.channel(req.param('channel'));
  if (!found) throw errors.unknownChannel();
  return found;
}

function message(ctx: ServerContext, req: RouteRequest): APIMessage {
  const parent = channel(ctx, req);
  const found = ctx.world.messages.get(req.param('message'));
  if (!found || found.channel_id !== parent.id || (found.flags ?? 0) & MessageFlags.Ephemeral) throw errors.unknownMessage();
  return found;
}

function listMessages(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const { id } = channel(ctx, req);
  const limit = Math.min(Number(req.query['limit'] ?? 50), 100);
  const visible = ctx.world.messagesIn(id).filter((entry) => ((entry.flags ?? 0) & MessageFlags.Ephemeral) === 0);
  return { status: 200, body: visible.reverse().slice(0, limit) };
}

function createMessage(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const target = channel(ctx, req);
  const body = asJson(req.body);
  checkMessageBody(body);
  const reference = referencedMessage(ctx, body);
  const fields = fieldsFromBody(body);
  const attachments = attachmentsFor(body, req.files, target.id);
  assertNotEmpty({ ...fields, attachments });
  const created = ctx.world.createMessage({
    ...fields,
    // Bots cannot post ephemeral messages outside interactions.
    flags: fields.flags & ~MessageFlags.Ephemeral,
    attachments,
    channelId: target.id,
    author: ctx.world.botUser,
    ...(reference ? { reference } : {}),
  });
  ctx.messageCreated(created);
  return { status: 200, body: created };
}

/** A reply's target; Discord rejects unknown targets unless `fail_if_not_exists` is false. */
function referencedMessage(ctx: ServerContext, body: Json): APIMessage | undefined {
  const reference = asJson(body['message_reference']);
  const id = reference['message_id'];
  if (typeof id !== 'string') return undefined;
  const found = ctx.world.messages.get(id);
  if (!found && reference['fail_if_not_exists'] !== false) {
    const problems = new FormProblems();
    problems.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    problems.throwIfAny();
  }
  return found;
}

function editMessage(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const existing = message(ctx, req);
  if (existing.author.id !== ctx.world.botUser.id) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
  const body = asJson(req.body);
  checkMessageBody(body);
  const edited = withEdit(existing, body, req.files);
  assertNotEmpty(edited);
  ctx.world.messages.set(edited.id, edited);
  ctx.messageUpdated(edited);
  return { status: 200, body: edited };
}

function deleteMessage(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const existing = message(ctx, req);
  ctx.world.messages.delete(existing.id);
  ctx.messageDeleted(existing);
  return { status: 204 };
}

/** Starts a thread, from a message (the thread then shares the message's id) or standalone, and announces it. */
function startThread(ctx: ServerContext, req: RouteRequest, starter: APIMessage | undefined): ApiResponse {
  const parent = channel(ctx, req);
  if (parent.type !== ChannelType.GuildText) throw errors.wrongChannelType();
  if (starter?.thread) throw errors.threadAlreadyExists();
  const body = asJson(req.body);
  const problems = new FormProblems();
  problems.bounded(['name'], body['name'], 1, 100);
  const duration = body['auto_archive_duration'] ?? ThreadAutoArchiveDuration.ThreeDays;
  if (typeof duration !== 'number' || !ARCHIVE_DURATIONS.includes(duration)) {
    problems.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.`);
  }
  problems.throwIfAny();

  // Without a starter message the API defaults to a private thread.
  const type = starter ? ChannelType.PublicThread : body['type'] === ChannelType.PublicThread ? ChannelType.PublicThread : ChannelType.PrivateThread;
  const now = new Date().toISOString();
  const bot = ctx.world.botUser.id;
  const id = starter?.id ?? snowflake();
  const thread = {
    id,
    type,
    guild_id: ctx.world.guildOfChannel(parent.id).id,
    parent_id: parent.id,
    owner_id: bot,
    name: body['name'] as string,
    last_message_id: null,
    rate_limit_per_user: typeof body['rate_limit_per_user'] === 'number' ? body['rate_limit_per_user'] : 0,
    flags: 0 as ChannelFlags,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: duration as ThreadAutoArchiveDuration,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
      ...(type === ChannelType.PrivateThread ? { invitable: body['invitable'] !== false } : {}),
    },
    member: { id, user_id: bot, join_timestamp: now, flags: 0 as ThreadMemberFlags },
  } as APIThreadChannel;
  ctx.world.channels.set(thread.id, thread);
  if (starter) {
    const updated: APIMessage = { ...starter, thread, flags: (starter.flags ?? 0) | MessageFlags.HasThread };
    ctx.world.messages.set(updated.id, updated);
  }
  ctx.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
  return { status: 201, body: thread };
}
