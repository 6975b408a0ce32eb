/** What a database failure looks like to whoever runs verbatim: one clear line. */
import { createError, VerbatimError } from '../../errors.js';

/** The connection string without user or password, for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** A connection failure as one clear line; any other error as it is. */
export function explain(error: unknown, url: string): unknown {
  if (error instanceof VerbatimError) return error;
  const code = (error as { code?: string }).code ?? '';
  const network = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(code);
  // Class 08 is "connection exception", 28 "invalid authorization", 3D000 "no such database", 57P "shutdown".
  if (network || /^(08|28|3D000|57P)/.test(code) || /Connection terminated/i.test(String((error as Error).message))) {
    return createError('DATABASE_UNREACHABLE', describeUrl(url), (error as Error).message || code);
  }
  return error;
}
