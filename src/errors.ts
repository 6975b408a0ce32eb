/**
 * One catalogue of error codes. Users see `message`; logs see the code and the cause.
 * Add a code here before throwing it anywhere, and say whose it is:
 * - `user`: the request or input was wrong (a question, an argument, a setting, a file someone
 *   wrote) and whoever gave it can fix it. The bot logs it quietly as declined; the command line
 *   exits 2.
 * - `failure`: verbatim, or something it depends on (the index, the network, Discord), failed.
 *   The bot logs it with its cause; the command line exits 1.
 */
export type ErrorKind = 'user' | 'failure';

const user = <A extends unknown[]>(message: (...args: A) => string) => ({ kind: 'user' as const, message });
const failure = <A extends unknown[]>(message: (...args: A) => string) => ({ kind: 'failure' as const, message });

const catalogue = {
  QUESTION_EMPTY: user(() => 'Please ask a question: the text was empty.'),
  QUESTION_TOO_LONG: user((length: number, limit: number) =>
    `That question is ${length} characters long; the limit is ${limit}. Ask about one thing at a time.`),
  CORPUS_NOT_FOUND: user((dir: string) => `The corpus folder ${dir} does not exist. Create it and put articles in it.`),
  CORPUS_EMPTY: user((dir: string) => `The corpus folder ${dir} holds no readable articles (.txt, .md, .html, .pdf, .json or .jsonl).`),
  CORPUS_FOLDER_FOREIGN: user((dir: string, collection: string, id: string) =>
    `The corpus folder ${dir} is not the one collection ${collection} was indexed from, so it was not indexed (that would remove the articles only that folder holds from the shared database): point CORPUS_DIR (or COLLECTIONS_DIR) at the folder it was indexed from, which every process must share, or, to make this folder the collection's on purpose, copy that folder's .verbatim-folder into it (it holds ${id}).`),
  STORE_DAMAGED: failure((detail: string) => `The index is damaged (${detail}). Run "verbatim index" to rebuild it.`),
  STORE_MISSING: failure((dir: string) => `No index in ${dir} yet. Run "verbatim index" first.`),
  STORE_BUSY: failure((dir: string, pid: number) =>
    `Another process (${pid}) is still writing the index in ${dir}. Try again when it has finished.`),
  DATABASE_UNREACHABLE: failure((where: string, detail: string) =>
    `Could not reach the PostgreSQL database at ${where} (${detail}). Check DATABASE_URL and that the server is running.`),
  DATABASE_NO_VECTOR: failure((where: string) =>
    `The database at ${where} has no pgvector: the "vector" extension is not installed and this user may not create it. Ask its administrator to run CREATE EXTENSION vector.`),
  MODEL_MISSING: failure((dir: string) =>
    `The embedding model was not found in ${dir}. It ships with the repository under embeddings/models.`),
  CONFIG_INVALID: user((name: string, problem: string) => `Setting ${name} is invalid: ${problem}.`),
  USAGE: user((problem: string) => `${problem} Run "verbatim help" for usage.`),
  FILTER_INVALID: user((problem: string) => `${problem} Dates are YYYY-MM-DD (days in UTC), or 7d / 30d back from today.`),
  DOCUMENT_NOT_FOUND: user((id: string) => `No document with id "${id}" in the index.`),
  COOLDOWN: user((seconds: number) => `One moment: you can ask again in ${seconds} second${seconds === 1 ? '' : 's'}.`),
  ANSWER_EXPIRED: user(() => 'That answer is no longer kept (the bot restarted, or many questions came since). Please ask again.'),
  MESSAGE_HAS_NO_TEXT: user(() => 'That message has no text to check.'),
  DISCORD_UNKNOWN_COMMAND: user((name: string) => `verbatim has no command "${name}". Run "npm run register" to update the command list.`),
  DISCORD_REPLY_TOO_LARGE: failure((problems: string) => `The reply would break Discord's limits (${problems}).`),
  DISCORD_REQUEST_FAILED: failure(() => 'Discord did not accept the reply. Please try again.'),
  DISCORD_LOGIN_FAILED: failure((detail: string) => `Could not connect to Discord: ${detail}. Check DISCORD_TOKEN and DISCORD_API_BASE.`),
  SHARDS_NEED_DATABASE: user((shards: string) =>
    `SHARDS=${shards} runs the bot as several processes, and the embedded store serves one: set DATABASE_URL to a PostgreSQL database they share (see "Sharding" in README), or leave SHARDS unset.`),
  DISCORD_TOKEN_MISSING: user(() => 'DISCORD_TOKEN is not set. Put the bot token in .env (see README, "Discord").'),
  URL_INVALID: user((url: string) => `"${url}" is not an http:// or https:// address.`),
  FETCH_BLOCKED: user((url: string, address: string) =>
    `${url} was not fetched: it points to a private or local address (${address}). Set ALLOW_PRIVATE_FETCH=true to allow that.`),
  FETCH_FAILED: failure((url: string, detail: string) => `Could not fetch ${url} (${detail}).`),
  FETCH_TIMEOUT: failure((url: string, ms: number) => `Fetching ${url} took longer than ${ms / 1000} seconds (FETCH_TIMEOUT_MS).`),
  FETCH_TOO_LARGE: user((url: string, bytes: number) => `${url} is larger than the ${Math.round(bytes / 1024)} KiB limit (FETCH_MAX_BYTES).`),
  FETCH_TOO_MANY_REDIRECTS: failure((url: string, max: number) => `${url} redirected more than ${max} times.`),
  FETCH_UNSUPPORTED_TYPE: user((url: string, type: string) => `${url} is ${type}, not an article, document or feed verbatim can read.`),
  FILE_UNSUPPORTED: user((name: string) => `${name} is not a format verbatim reads (.txt, .md, .html, .pdf, .json, .jsonl).`),
  EXTRACT_FAILED: user((name: string, problem: string) => `Nothing to index in ${name}: ${problem}.`),
  FEED_INVALID: user((url: string, problem: string) => `${url} is not an RSS or Atom feed (${problem}).`),
  FEED_NOT_FOUND: user((url: string) => `No feed ${url} in the feed list. "verbatim feed list" shows them.`),
  INGEST_NOT_ALLOWED: user(() => 'Only members with Manage Server (or the role set as INGEST_ROLE_ID) can add or remove documents.'),
  INGEST_UNAVAILABLE: failure(() => 'Adding documents is not available on this bot.'),
  FILE_INVALID: user((file: string, problem: string) => `Cannot use ${file}: ${problem}.`),
  INGEST_NEEDS_SOURCE: user(() => 'Give either a url or a file to add (one of them).'),
  COLLECTION_INVALID: user((name: string) =>
    `"${name}" is not a collection name: use a-z, 0-9, _ and - (starting with a letter or digit), at most 64 characters.`),
  COLLECTION_UNKNOWN: user((name: string) =>
    `There is no collection "${name}". "verbatim collections" lists them; "verbatim add --collection ${name} …" creates it.`),
  WATCH_TOPIC_EMPTY: user(() => 'Please name a topic to watch: the text was empty.'),
  WATCH_NOT_FOUND: user((id: string) => `No watch with id "${id}" here. /watch list (or "verbatim watch list") shows them.`),
  VERIFY_INPUT_INVALID: user((line: number, problem: string) =>
    `Line ${line} of standard input is not an answer from "verbatim ask --json": ${problem}.`),
  INTERNAL: failure(() => 'Something went wrong inside verbatim. The details are in the log.'),
} as const;

export type ErrorCode = keyof typeof catalogue;
type ArgsOf<C extends ErrorCode> = Parameters<(typeof catalogue)[C]['message']>;

/** Whose mistake a code is (see the catalogue). */
export function kindOf(code: ErrorCode): ErrorKind {
  return catalogue[code].kind;
}

export class VerbatimError extends Error {
  /** The user's mistake or a failure, from the catalogue. */
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VerbatimError';
    this.kind = kindOf(code);
  }
}

export function createError<C extends ErrorCode>(code: C, ...args: ArgsOf<C>): VerbatimError {
  const render = catalogue[code].message as (...a: ArgsOf<C>) => string;
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

/** Exit codes of the command line and the entry points: 0 done, 1 failed, 2 bad usage or input. */
export const EXIT_CODES = { done: 0, failure: 1, user: 2 } as const;

/** The exit code for anything thrown, from its code's kind. */
export function exitCodeOf(error: unknown): 1 | 2 {
  return EXIT_CODES[asVerbatimError(error).kind];
}
