/**
 * A small leveled logger that redacts secrets from every line it writes: the bot token (given
 * literally, and anything shaped like a Discord token) and interaction tokens inside URLs,
 * which discord.js puts in the messages of its REST errors.
 */
import { VerbatimError } from './errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Exact strings never to print (the bot token). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where lines go; standard error by default. */
  write?: (line: string) => void;
  /** Fields every line carries (a shard process names its shard). */
  context?: LogFields;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const TOKEN_SHAPE = /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{27,}/g;
const URL_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9_.-]{20,}/g;
const AUTH_HEADER = /\b(Bot|Bearer)\s+[A-Za-z0-9_.-]{20,}/g;

/** `text` with every secret replaced by "[redacted]". */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 8) continue;
    out = out.split(secret).join('[redacted]');
    // discord.js prints a token's first two parts at debug level ("Provided token: …"); hide those too.
    const head = secret.slice(0, secret.lastIndexOf('.'));
    if (head.length >= 8) out = out.split(head).join('[redacted]');
  }
  return out.replace(TOKEN_SHAPE, '[redacted]').replace(URL_TOKEN, '$1[redacted]').replace(AUTH_HEADER, '$1 [redacted]');
}

/** An error with its code, stack and causes, on one record. */
function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return String(error);
  const code = error instanceof VerbatimError ? ` [${error.code}]` : 'code' in error && error.code !== undefined ? ` [${String(error.code)}]` : '';
  const head = `${error.stack ?? `${error.name}: ${error.message}`}${code}`;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && depth < 4 ? `${head}\n  caused by: ${describeError(cause, depth + 1)}` : head;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return describeError(value);
  if (typeof value === 'string') return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level];
  const secrets = options.secrets ?? [];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (RANK[level] < threshold) return;
    const parts = Object.entries({ ...fields, ...options.context })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${formatValue(value)}`);
    write(redact([new Date().toISOString(), level.toUpperCase().padEnd(5), message, ...parts].join(' '), secrets));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
