/** How a failure reaches people: one short sentence with its code for the user, the cause for the log. */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { asVerbatimError, createError, withCause, type VerbatimError } from '../errors.js';
import type { Logger } from '../log.js';

/** Anything thrown, as a VerbatimError; a refusal by Discord's API gets its own code. */
export function toFailure(error: unknown): VerbatimError {
  if (error instanceof DiscordAPIError || error instanceof HTTPError || error instanceof RateLimitError) {
    return withCause(createError('DISCORD_REQUEST_FAILED'), error);
  }
  return asVerbatimError(error);
}

/** A user's mistake (its kind in the catalogue) is logged quietly, without a stack; a failure with its cause. */
export function logFailure(log: Logger, failure: VerbatimError, fields: Record<string, unknown>): void {
  if (failure.kind === 'user') log.info(`declined: ${failure.code}`, fields);
  else log.error(`failed: ${failure.code}`, { ...fields, error: failure.cause ?? failure });
}
