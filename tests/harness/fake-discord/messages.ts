import { MessageFlags, type APIAttachment, type APIMessage } from 'discord.js';
import { errors } from './errors.js';
import { snowflake } from './ids.js';
import type { RecordedFile } from './rest.js';
import { FormProblems, validateMessage } from './validate.js';

export type Json = Record<string, unknown>;

// Flags a client may set on send; LOADING/HAS_THREAD etc. are Discord's to set.
const SETTABLE_FLAGS = MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;
const EDITABLE_FLAGS = MessageFlags.SuppressEmbeds;

export function asJson(body: unknown): Json {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {};
}

/** Throws Discord's 50035 for limit violations found in a message body. */
export function checkMessageBody(body: Json, prefix: string[] = []): void {
  const problems = new FormProblems();
  validateMessage(body, problems, prefix);
  problems.throwIfAny();
}

/** Discord rejects messages with nothing to show (50006). */
export function assertNotEmpty(message: Pick<APIMessage, 'content' | 'embeds' | 'attachments'> & { components?: unknown[] }): void {
  const empty = message.content === '' && message.embeds.length === 0 && message.attachments.length === 0 && (message.components ?? []).length === 0;
  if (empty) throw errors.emptyMessage();
}

/** Attachments for uploaded files, matched to the `attachments` entries discord.js puts in payload_json. */
export function attachmentsFor(body: Json, files: RecordedFile[], channelId: string): APIAttachment[] {
  const described = Array.isArray(body['attachments']) ? (body['attachments'] as Json[]) : [];
  return files.map((file, index) => {
    const description = described.find((entry) => String(entry['id']) === String(index));
    const id = snowflake();
    const filename = typeof description?.['filename'] === 'string' ? description['filename'] : file.name;
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: file.data.length,
      url,
      proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'),
      content_type: file.contentType || undefined,
      ...(typeof description?.['description'] === 'string' ? { description: description['description'] } : {}),
    };
  });
}

/** The fields of a new message taken from a create body. */
export function fieldsFromBody(body: Json) {
  return {
    content: typeof body['content'] === 'string' ? body['content'] : '',
    embeds: (Array.isArray(body['embeds']) ? body['embeds'] : []) as APIMessage['embeds'],
    components: (Array.isArray(body['components']) ? body['components'] : []) as NonNullable<APIMessage['components']>,
    flags: (typeof body['flags'] === 'number' ? body['flags'] : 0) & SETTABLE_FLAGS,
  };
}

/** A copy of `message` with an edit applied: given fields replace, `attachments` lists the ones to keep, files are added. */
export function withEdit(message: APIMessage, body: Json, files: RecordedFile[]): APIMessage {
  const edited = structuredClone(message);
  if (typeof body['content'] === 'string' || body['content'] === null) edited.content = (body['content'] as string | null) ?? '';
  if (Array.isArray(body['embeds']) || body['embeds'] === null) edited.embeds = (body['embeds'] as APIMessage['embeds'] | null) ?? [];
  if (Array.isArray(body['components']) || body['components'] === null) {
    edited.components = (body['components'] as APIMessage['components'] | null) ?? [];
  }
  if (Array.isArray(body['attachments'])) {
    const keep = new Set((body['attachments'] as Json[]).map((entry) => String(entry['id'])));
    edited.attachments = edited.attachments.filter((attachment) => keep.has(attachment.id));
  }
  edited.attachments = [...edited.attachments, ...attachmentsFor(body, files, edited.channel_id)];
  const flags = edited.flags ?? 0;
  const requested = typeof body['flags'] === 'number' ? body['flags'] : flags;
  // An edit resolves a deferred "thinking..." placeholder; only edits of real content count as edited.
  edited.flags = ((flags & ~EDITABLE_FLAGS) | (requested & EDITABLE_FLAGS)) & ~MessageFlags.Loading;
  if ((flags & MessageFlags.Loading) === 0) edited.edited_timestamp = new Date().toISOString();
  return edited;
}

export function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}
