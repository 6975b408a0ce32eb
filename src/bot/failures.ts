/** How a failure reaches people: one short sentence with its code for the user, the cause for the log. */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { asVerbatimError, createError, withCause, type ErrorCode, type VerbatimError } from '../errors.js';
import type { Logger } from '../log.js';

/** Codes that describe what the user asked, not a fault: logged quietly, without a stack. */
const USER_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'QUESTION_EMPTY',
  'QUESTION_TOO_LONG',
  'COOLDOWN',
  'ANSWER_EXPIRED',
  'MESSAGE_HAS_NO_TEXT',
  'DOCUMENT_NOT_FOUND',
  'DISCORD_UNKNOWN_COMMAND',
  'INGEST_NOT_ALLOWED',
  'INGEST_NEEDS_SOURCE',
]);

/** Anything thrown, as a VerbatimError; a refusal by Discord's API gets its own code. */
export function toFailure(error: unknown): VerbatimError {
  if (error instanceof DiscordAPIError || error instanceof HTTPError || error instanceof RateLimitError) {
    return withCause(createError('DISCORD_REQUEST_FAILED'), error);
  }
  return asVerbatimError(error);
}

export function logFailure(log: Logger, failure: VerbatimError, fields: Record<string, unknown>): void {
  if (USER_ERRORS.has(failure.code)) log.info(`declined: ${failure.code}`, fields);
  else log.error(`failed: ${failure.code}`, { ...fields, error: failure.cause ?? failure });
}
