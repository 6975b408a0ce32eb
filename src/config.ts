import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createError } from './errors.js';

/** The project root, so that defaults work whatever the current directory is. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  corpusDir: string;
  storeDir: string;
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
}

type Env = Record<string, string | undefined>;

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw createError('CONFIG_INVALID', name, `"${raw}" is not a non-negative number`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw createError('CONFIG_INVALID', name, `"${raw}" is not one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw createError('CONFIG_INVALID', name, `"${env[name]}" is not true or false`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads settings from the environment (dotenv has already filled it in the entry points). */
export function loadConfig(env: Env = process.env): Config {
  const apiBase = nonEmpty(env.DISCORD_API_BASE) ?? 'https://discord.com/api';
  if (!/^https?:\/\//.test(apiBase)) throw createError('CONFIG_INVALID', 'DISCORD_API_BASE', 'it must start with http:// or https://');
  return {
    corpusDir: path.resolve(nonEmpty(env.CORPUS_DIR) ?? 'corpus'),
    storeDir: path.resolve(nonEmpty(env.STORE_DIR) ?? 'embeddings'),
    modelDir: path.resolve(nonEmpty(env.MODEL_DIR) ?? path.join(PROJECT_ROOT, 'embeddings', 'models')),
    modelName: nonEmpty(env.EMBEDDING_MODEL) ?? 'all-MiniLM-L6-v2',
    discordToken: nonEmpty(env.DISCORD_TOKEN),
    discordApiBase: apiBase.replace(/\/+$/, ''),
    discordGuildId: nonEmpty(env.DISCORD_GUILD_ID),
    mentionChannels: oneOf(env, 'MENTION_REPLIES', ['off', 'all'] as const, 'off'),
    cooldownSeconds: positiveNumber(env, 'COOLDOWN_SECONDS', 5),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    fetchMaxBytes: positiveNumber(env, 'FETCH_MAX_BYTES', 5 * 1024 * 1024),
    fetchTimeoutMs: positiveNumber(env, 'FETCH_TIMEOUT_MS', 20_000),
    allowPrivateFetch: flag(env, 'ALLOW_PRIVATE_FETCH', false),
    feedPollMinutes: positiveNumber(env, 'FEED_POLL_MINUTES', 60),
    ingestRoleId: nonEmpty(env.INGEST_ROLE_ID),
  };
}
