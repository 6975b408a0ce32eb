import {
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  type APIMessage,
} from 'discord.js';
import type { ServerContext } from '../context.js';
import { errors, type ApiResponse } from '../errors.js';
import type { InteractionRecord } from '../interactions.js';
import { asJson, assertNotEmpty, attachmentsFor, checkMessageBody, fieldsFromBody, isEphemeral, withEdit, type Json } from '../messages.js';
import type { RecordedFile, RouteRequest, Router } from '../rest.js';
import { FormProblems, validateAutocomplete, validateModal } from '../validate.js';

const R = InteractionResponseType;

/** Callback types Discord accepts per interaction type. */
const ALLOWED_RESPONSES: Partial<Record<InteractionType, InteractionResponseType[]>> = {
  [InteractionType.ApplicationCommand]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.Modal, R.LaunchActivity],
  [InteractionType.MessageComponent]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.DeferredMessageUpdate, R.UpdateMessage, R.Modal],
  [InteractionType.ApplicationCommandAutocomplete]: [R.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.DeferredMessageUpdate, R.UpdateMessage],
};

export function interactionRoutes(router: Router, ctx: ServerContext): void {
  // Interaction callbacks and interaction webhooks are authenticated by their token, not the bot token.
  const open = { auth: false };
  router.add('POST', '/interactions/:id/:token/callback', (req) => callback(ctx, req), open);
  router.add('POST', '/webhooks/:app/:token', (req) => followUp(ctx, req), open);
  router.add('GET', '/webhooks/:app/:token/messages/:message', (req) => ({ status: 200, body: webhookMessage(ctx, req).message }), open);
  router.add('PATCH', '/webhooks/:app/:token/messages/:message', (req) => editWebhookMessage(ctx, req), open);
  router.add('DELETE', '/webhooks/:app/:token/messages/:message', (req) => deleteWebhookMessage(ctx, req), open);
}

function callback(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const record = ctx.interactions.get(req.param('id'));
  if (!record || record.payload.token !== req.param('token')) throw errors.unknownInteraction();
  // Discord forgets interactions that were not acknowledged in time.
  if (Date.now() - record.dispatchedAt > ctx.settings.ackDeadlineMs) throw errors.unknownInteraction();
  if (record.ack) throw errors.alreadyAcknowledged();

  const body = asJson(req.body);
  const type = body['type'];
  const allowed = ALLOWED_RESPONSES[record.payload.type] ?? [];
  if (typeof type !== 'number' || !allowed.includes(type)) {
    const problems = new FormProblems();
    problems.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
    problems.throwIfAny();
  }
  const responseType = type as InteractionResponseType;
  // Validation failures throw before the interaction counts as acknowledged, so the bot may retry.
  const message = applyResponse(ctx, record, responseType, asJson(body['data']), req.files);
  record.ack = { type: responseType, at: Date.now() };

  if (req.query['with_response'] !== 'true') return { status: 204 };
  const showsMessage = responseType === R.ChannelMessageWithSource || responseType === R.UpdateMessage;
  return {
    status: 200,
    body: {
      interaction: {
        id: record.payload.id,
        type: record.payload.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: responseType === R.DeferredChannelMessageWithSource,
              response_message_ephemeral: isEphemeral(message),
            }
          : {}),
      },
      resource: { type: responseType, ...(message && showsMessage ? { message } : {}) },
    },
  };
}

/** Validates the callback data and applies its effect; returns the message it created or updated, if any. */
function applyResponse(
  ctx: ServerContext,
  record: InteractionRecord,
  type: InteractionResponseType,
  data: Json,
  files: RecordedFile[],
): APIMessage | undefined {
  const problems = new FormProblems();
  switch (type) {
    case R.ChannelMessageWithSource: {
      checkMessageBody(data, ['data']);
      const message = createResponseMessage(ctx, record, data, files);
      record.originalMessageId = message.id;
      return message;
    }
    case R.DeferredChannelMessageWithSource: {
      const ephemeral = (typeof data['flags'] === 'number' ? data['flags'] : 0) & MessageFlags.Ephemeral;
      const message = createResponseMessage(ctx, record, {}, [], MessageFlags.Loading | ephemeral);
      record.originalMessageId = message.id;
      return message;
    }
    case R.DeferredMessageUpdate:
    case R.UpdateMessage: {
      const clicked = record.payload.type === InteractionType.MessageComponent ? record.payload.message : undefined;
      const target = clicked ? ctx.world.messages.get(clicked.id) : undefined;
      if (!target) throw errors.unknownMessage();
      record.originalMessageId = target.id;
      if (type === R.DeferredMessageUpdate) return undefined;
      checkMessageBody(data, ['data']);
      return saveEdit(ctx, withEdit(target, data, files));
    }
    case R.ApplicationCommandAutocompleteResult:
      validateAutocomplete(data, problems, ['data']);
      problems.throwIfAny();
      return undefined;
    case R.Modal:
      validateModal(data, problems, ['data']);
      problems.throwIfAny();
      return undefined;
    default:
      return undefined;
  }
}

/** A message sent through the interaction: authored by the bot via the application's webhook. */
function createResponseMessage(ctx: ServerContext, record: InteractionRecord, data: Json, files: RecordedFile[], forcedFlags?: number): APIMessage {
  const { world } = ctx;
  const payload = record.payload;
  const fields = fieldsFromBody(data);
  const attachments = attachmentsFor(data, files, record.channelId);
  if (forcedFlags === undefined) assertNotEmpty({ ...fields, attachments });
  const messageType =
    payload.type !== InteractionType.ApplicationCommand
      ? MessageType.Default
      : payload.data.type === ApplicationCommandType.ChatInput
        ? MessageType.ChatInputCommand
        : MessageType.ContextMenuCommand;
  const message = world.createMessage({
    ...fields,
    flags: forcedFlags ?? fields.flags,
    attachments,
    channelId: record.channelId,
    author: world.botUser,
    type: messageType,
    webhookId: world.applicationId,
    interactionMetadata: {
      id: payload.id,
      type: payload.type,
      user: record.user,
      authorizing_integration_owners: payload.authorizing_integration_owners,
    } as APIMessage['interaction_metadata'],
  });
  ctx.messageCreated(message);
  return message;
}

function saveEdit(ctx: ServerContext, edited: APIMessage): APIMessage {
  assertNotEmpty(edited);
  ctx.world.messages.set(edited.id, edited);
  ctx.messageUpdated(edited);
  return edited;
}

/** The interaction behind `/webhooks/:app/:token`, if its token is valid and it was acknowledged with a message. */
function webhookInteraction(ctx: ServerContext, req: RouteRequest): InteractionRecord {
  if (req.param('app') !== ctx.world.applicationId) throw errors.unknownWebhook();
  const record = ctx.interactions.withToken(req.param('token'));
  if (!record || Date.now() - record.dispatchedAt > ctx.settings.interactionTokenLifetimeMs) throw errors.invalidWebhookToken();
  // Before the callback there is no webhook to post through; autocomplete and modal responses never create one.
  const ackType = record.ack?.type;
  if (ackType === undefined || ackType === R.ApplicationCommandAutocompleteResult || ackType === R.Modal) throw errors.unknownWebhook();
  return record;
}

function webhookMessage(ctx: ServerContext, req: RouteRequest): { record: InteractionRecord; message: APIMessage } {
  const record = webhookInteraction(ctx, req);
  const ref = req.param('message');
  const id = ref === '@original' ? record.originalMessageId : ref;
  const ownsMessage = id !== undefined && (id === record.originalMessageId || record.followupIds.includes(id));
  const message = ownsMessage ? ctx.world.messages.get(id) : undefined;
  if (!message) throw errors.unknownMessage();
  return { record, message };
}

function editWebhookMessage(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const { message } = webhookMessage(ctx, req);
  const body = asJson(req.body);
  checkMessageBody(body);
  return { status: 200, body: saveEdit(ctx, withEdit(message, body, req.files)) };
}

function deleteWebhookMessage(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const { message } = webhookMessage(ctx, req);
  ctx.world.messages.delete(message.id);
  ctx.messageDeleted(message);
  return { status: 204 };
}

function followUp(ctx: ServerContext, req: RouteRequest): ApiResponse {
  const record = webhookInteraction(ctx, req);
  const body = asJson(req.body);
  checkMessageBody(body);
  const original = record.originalMessageId ? ctx.world.messages.get(record.originalMessageId) : undefined;
  let message: APIMessage;
  if (original && ((original.flags ?? 0) & MessageFlags.Loading) !== 0) {
    // The first follow-up after a deferred reply replaces the "thinking..." placeholder.
    message = saveEdit(ctx, withEdit(original, body, req.files));
  } else {
    message = createResponseMessage(ctx, record, body, req.files);
    record.followupIds.push(message.id);
  }
  return req.query['wait'] === 'true' ? { status: 200, body: message } : { status: 204 };
}
