import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as z from 'zod';
import { collectionNameSchema, DEFAULT_COLLECTION } from './collections.js';
import { createError } from './errors.js';
import { shown } from './validate.js';

/** The project root, so that defaults work whatever the current directory is. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  corpusDir: string;
  storeDir: string;
  /** Collections other than `default` (which is corpusDir + storeDir): `collectionsDir/NAME/{corpus,store}`. */
  collectionsDir: string;
  /** The command line's collection (VERBATIM_COLLECTION). */
  collection: string;
  /** Collections every server and every --collection may read, and nothing in Discord may change. */
  sharedCollections: string[];
  /** Which collection each Discord server and channel uses (optional JSON file). */
  collectionsFile: string | undefined;
  /** Memory the bot keeps open collections within (the least recently used are closed beyond it). */
  collectionMemoryMb: number;
  modelDir: string;
  modelName: string;
  discordToken: string | undefined;
  discordApiBase: string;
  discordGuildId: string | undefined;
  mentionChannels: 'off' | 'all';
  cooldownSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Bringing coverage in: limits on each fetch, private addresses, feed polling, who may ingest. */
  fetchMaxBytes: number;
  fetchTimeoutMs: number;
  allowPrivateFetch: boolean;
  feedPollMinutes: number;
  ingestRoleId: string | undefined;
  /** The PostgreSQL database the index lives in (DATABASE_URL); without it, the embedded store. */
  databaseUrl: string | undefined;
  /** SHARDS: 1 runs the bot in this process; more (or `auto`, Discord's recommendation) as that many shard processes. */
  shards: number | 'auto';
  /** SHARD_LIST: the shard ids of SHARDS this machine runs (several machines, one database); all by default. */
  shardList: number[] | undefined;
}

type Env = Record<string, string | undefined>;

/** A setting that is unset or blank takes its default; values are trimmed. */
const given = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const setting = <S extends z.ZodType>(schema: S) => z.preprocess(given, schema);

const text = setting(z.string().optional());
const NOT_A_NUMBER = { error: 'is not a non-negative number' };
const nonNegative = (fallback: number) => setting(z.coerce.number(NOT_A_NUMBER).min(0, NOT_A_NUMBER).default(fallback));
const oneOf = <T extends string>(allowed: readonly [T, ...T[]], fallback: NoInfer<T>) =>
  setting(z.enum(allowed, { error: `is not one of ${allowed.join(', ')}` }).default(fallback));
const YES = ['true', '1', 'yes', 'on'];
const NO = ['false', '0', 'no', 'off'];
const flag = (fallback: boolean) =>
  setting(
    z
      .string()
      .toLowerCase()
      .refine((value) => YES.includes(value) || NO.includes(value), { error: 'is not true or false' })
      .transform((value) => YES.includes(value))
      .default(fallback),
  );

const SHARD_COUNT = { error: 'is not "auto" or a whole number of at least 1' };
const shardCount = setting(z.union([z.literal('auto'), z.coerce.number(SHARD_COUNT).int(SHARD_COUNT).min(1, SHARD_COUNT)], SHARD_COUNT).default(1));

const SHARD_IDS = { error: 'is not a list of shard ids (0,1,…)' };
const shardIds = setting(
  z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, SHARD_IDS)
    .transform((list) => [...new Set(list.split(',').map(Number))])
    .optional(),
);

/** Every setting verbatim reads from the environment, with its check and default. */
const envSchema = z.object({
  CORPUS_DIR: setting(z.string().default('corpus')),
  STORE_DIR: setting(z.string().default('embeddings')),
  COLLECTIONS_DIR: setting(z.string().default('collections')),
  VERBATIM_COLLECTION: setting(collectionNameSchema.default(DEFAULT_COLLECTION)),
  // Unlike other settings, an empty value means something: no shared collection at all.
  SHARED_COLLECTIONS: z
    .string()
    .default(DEFAULT_COLLECTION)
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(collectionNameSchema)),
  COLLECTIONS_FILE: text,
  COLLECTION_MEMORY_MB: nonNegative(1024),
  MODEL_DIR: setting(z.string().default(path.join(PROJECT_ROOT, 'embeddings', 'models'))),
  EMBEDDING_MODEL: setting(z.string().default('all-MiniLM-L6-v2')),
  DISCORD_TOKEN: text,
  DISCORD_API_BASE: setting(
    z
      .string()
      .regex(/^https?:\/\//, { error: 'does not start with http:// or https://' })
      .default('https://discord.com/api')
      .transform((base) => base.replace(/\/+$/, '')),
  ),
  DISCORD_GUILD_ID: text,
  MENTION_REPLIES: oneOf(['off', 'all'], 'off'),
  COOLDOWN_SECONDS: nonNegative(5),
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error'], 'info'),
  FETCH_MAX_BYTES: nonNegative(5 * 1024 * 1024),
  FETCH_TIMEOUT_MS: nonNegative(20_000),
  ALLOW_PRIVATE_FETCH: flag(false),
  FEED_POLL_MINUTES: nonNegative(60),
  INGEST_ROLE_ID: text,
  // Read where the PostgreSQL store opens its pool (src/index/postgres/pool.ts); checked here at start-up.
  DATABASE_POOL_SIZE: nonNegative(10),
  DATABASE_URL: text,
  SHARDS: shardCount,
  SHARD_LIST: shardIds,
});

/**
 * Reads settings from the environment (dotenv has already filled it in the entry points).
 * A bad one throws CONFIG_INVALID naming it and its value: `Setting COOLDOWN_SECONDS is invalid:
 * "soon" is not a non-negative number.`
 */
export function loadConfig(env: Env = process.env): Config {
  // In a shard process discord.js's ShardingManager sets SHARDS to that shard's id: the process is one shard.
  const parsed = envSchema.safeParse(env.SHARDING_MANAGER ? { ...env, SHARDS: undefined, SHARD_LIST: undefined } : env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw createError('CONFIG_INVALID', name, `${shown(env[name]?.trim())} ${issue.message}`);
  }
  const settings = parsed.data;
  const outside = settings.SHARD_LIST?.find((id) => settings.SHARDS === 'auto' || id >= settings.SHARDS);
  if (outside !== undefined) {
    const problem = settings.SHARDS === 'auto' ? 'needs SHARDS to be the number of shards on all machines, not auto' : `names shard ${outside}, but SHARDS is ${settings.SHARDS} (ids 0 to ${settings.SHARDS - 1})`;
    throw createError('CONFIG_INVALID', 'SHARD_LIST', `${shown(env.SHARD_LIST?.trim())} ${problem}`);
  }
  return {
    corpusDir: path.resolve(settings.CORPUS_DIR),
    storeDir: path.resolve(settings.STORE_DIR),
    collectionsDir: path.resolve(settings.COLLECTIONS_DIR),
    collection: settings.VERBATIM_COLLECTION,
    sharedCollections: [...new Set(settings.SHARED_COLLECTIONS)],
    collectionsFile: settings.COLLECTIONS_FILE ? path.resolve(settings.COLLECTIONS_FILE) : undefined,
    collectionMemoryMb: settings.COLLECTION_MEMORY_MB,
    modelDir: path.resolve(settings.MODEL_DIR),
    modelName: settings.EMBEDDING_MODEL,
    discordToken: settings.DISCORD_TOKEN,
    discordApiBase: settings.DISCORD_API_BASE,
    discordGuildId: settings.DISCORD_GUILD_ID,
    mentionChannels: settings.MENTION_REPLIES,
    cooldownSeconds: settings.COOLDOWN_SECONDS,
    logLevel: settings.LOG_LEVEL,
    fetchMaxBytes: settings.FETCH_MAX_BYTES,
    fetchTimeoutMs: settings.FETCH_TIMEOUT_MS,
    allowPrivateFetch: settings.ALLOW_PRIVATE_FETCH,
    feedPollMinutes: settings.FEED_POLL_MINUTES,
    ingestRoleId: settings.INGEST_ROLE_ID,
    databaseUrl: settings.DATABASE_URL,
    shards: settings.SHARDS,
    shardList: settings.SHARD_LIST,
  };
}
