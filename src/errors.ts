/**
 * One catalogue of error codes. Users see `message`; logs see the code and the cause.
 * Add a code here before throwing it anywhere.
 */
const catalogue = {
  QUESTION_EMPTY: () => 'Please ask a question: the text was empty.',
  QUESTION_TOO_LONG: (length: number, limit: number) =>
    `That question is ${length} characters long; the limit is ${limit}. Ask about one thing at a time.`,
  CORPUS_NOT_FOUND: (dir: string) => `The corpus folder ${dir} does not exist. Create it and put articles in it.`,
  CORPUS_EMPTY: (dir: string) => `The corpus folder ${dir} holds no readable articles (.txt, .md, .html, .pdf, .json or .jsonl).`,
  STORE_DAMAGED: (detail: string) => `The index is damaged (${detail}). Run "verbatim index" to rebuild it.`,
  STORE_MISSING: (dir: string) => `No index in ${dir} yet. Run "verbatim index" first.`,
  STORE_BUSY: (dir: string, pid: number) => `Another process (${pid}) is still writing the index in ${dir}. Try again when it has finished.`,
  MODEL_MISSING: (dir: string) =>
    `The embedding model was not found in ${dir}. It ships with the repository under embeddings/models.`,
  CONFIG_INVALID: (name: string, problem: string) => `Setting ${name} is invalid: ${problem}.`,
  USAGE: (problem: string) => `${problem} Run "verbatim help" for usage.`,
  DOCUMENT_NOT_FOUND: (id: string) => `No document with id "${id}" in the index.`,
  COOLDOWN: (seconds: number) => `One moment: you can ask again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  ANSWER_EXPIRED: () => 'That answer is no longer in memory (the bot restarted, or many questions came since). Please ask again.',
  MESSAGE_HAS_NO_TEXT: () => 'That message has no text to check.',
  DISCORD_UNKNOWN_COMMAND: (name: string) => `verbatim has no command "${name}". Run "npm run register" to update the command list.`,
  DISCORD_REPLY_TOO_LARGE: (problems: string) => `The reply would break Discord's limits (${problems}).`,
  DISCORD_REQUEST_FAILED: () => 'Discord did not accept the reply. Please try again.',
  DISCORD_LOGIN_FAILED: (detail: string) => `Could not connect to Discord: ${detail}. Check DISCORD_TOKEN and DISCORD_API_BASE.`,
  DISCORD_TOKEN_MISSING: () => 'DISCORD_TOKEN is not set. Put the bot token in .env (see README, "Discord").',
  URL_INVALID: (url: string) => `"${url}" is not an http:// or https:// address.`,
  FETCH_BLOCKED: (url: string, address: string) =>
    `${url} was not fetched: it points to a private or local address (${address}). Set ALLOW_PRIVATE_FETCH=true to allow that.`,
  FETCH_FAILED: (url: string, detail: string) => `Could not fetch ${url} (${detail}).`,
  FETCH_TIMEOUT: (url: string, ms: number) => `Fetching ${url} took longer than ${ms / 1000} seconds (FETCH_TIMEOUT_MS).`,
  FETCH_TOO_LARGE: (url: string, bytes: number) => `${url} is larger than the ${Math.round(bytes / 1024)} KiB limit (FETCH_MAX_BYTES).`,
  FETCH_TOO_MANY_REDIRECTS: (url: string, max: number) => `${url} redirected more than ${max} times.`,
  FETCH_UNSUPPORTED_TYPE: (url: string, type: string) => `${url} is ${type}, not an article, document or feed verbatim can read.`,
  FILE_UNSUPPORTED: (name: string) => `${name} is not a format verbatim reads (.txt, .md, .html, .pdf, .json, .jsonl).`,
  EXTRACT_FAILED: (name: string, problem: string) => `Nothing to index in ${name}: ${problem}.`,
  FEED_INVALID: (url: string, problem: string) => `${url} is not an RSS or Atom feed (${problem}).`,
  FEED_NOT_FOUND: (url: string) => `No feed ${url} in the feed list. "verbatim feed list" shows them.`,
  INGEST_NOT_ALLOWED: () => 'Only members with Manage Server (or the role set as INGEST_ROLE_ID) can add or remove documents.',
  INGEST_UNAVAILABLE: () => 'Adding documents is not available on this bot.',
  INGEST_NEEDS_SOURCE: () => 'Give either a url or a file to add (one of them).',
  INTERNAL: () => 'Something went wrong inside verbatim. The details are in the log.',
} as const;

export type ErrorCode = keyof typeof catalogue;
type ArgsOf<C extends ErrorCode> = Parameters<(typeof catalogue)[C]>;

export class VerbatimError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VerbatimError';
  }
}

export function createError<C extends ErrorCode>(code: C, ...args: ArgsOf<C>): VerbatimError {
  const render = catalogue[code] as (...a: ArgsOf<C>) => string;
  return new VerbatimError(code, render(...args));
}

export function withCause(error: VerbatimError, cause: unknown): VerbatimError {
  return new VerbatimError(error.code, error.message, { cause });
}

/** Anything thrown, as a VerbatimError (unknown failures become INTERNAL with their cause kept). */
export function asVerbatimError(error: unknown): VerbatimError {
  if (error instanceof VerbatimError) return error;
  return withCause(createError('INTERNAL'), error);
}
