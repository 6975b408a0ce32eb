/** The error catalogue: each code says whose mistake it is, and the bot and the command line follow it. */
import { describe, expect, it } from 'vitest';
import { asVerbatimError, createError, exitCodeOf, kindOf, VerbatimError, type ErrorCode } from '../src/errors.js';
import { logFailure } from '../src/bot/failures.js';

type Logger = Parameters<typeof logFailure>[0];

/** A logger that keeps its lines: `LEVEL message {fields}`. */
function keepingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields && 'error' in fields ? ' +cause' : ''}`);
  };
  return { log: { debug: line('DEBUG'), info: line('INFO'), warn: line('WARN'), error: line('ERROR') }, lines };
}

describe('whose mistake an error is', () => {
  it('marks what the asker or operator can fix as user errors, and breakage as failures', () => {
    const user: ErrorCode[] = ['QUESTION_EMPTY', 'USAGE', 'CONFIG_INVALID', 'FILE_INVALID', 'COOLDOWN', 'URL_INVALID', 'INGEST_NOT_ALLOWED'];
    const failures: ErrorCode[] = ['INTERNAL', 'STORE_DAMAGED', 'MODEL_MISSING', 'FETCH_FAILED', 'DISCORD_REQUEST_FAILED'];
    expect(user.map(kindOf)).toEqual(user.map(() => 'user'));
    expect(failures.map(kindOf)).toEqual(failures.map(() => 'failure'));
    expect(createError('COOLDOWN', 3).kind).toBe('user');
    expect(new VerbatimError('STORE_DAMAGED', 'x').kind).toBe('failure');
  });

  it('derives the exit code: 2 for a user error, 1 for a failure or anything unexpected', () => {
    expect(exitCodeOf(createError('USAGE', 'No such command.'))).toBe(2);
    expect(exitCodeOf(createError('CONFIG_INVALID', 'LOG_LEVEL', '"loud" is not one of debug, info, warn, error'))).toBe(2);
    expect(exitCodeOf(createError('FILE_INVALID', 'feeds.json', 'not valid JSON'))).toBe(2);
    expect(exitCodeOf(createError('STORE_DAMAGED', 'lexical.bin is missing'))).toBe(1);
    expect(exitCodeOf(new TypeError('boom'))).toBe(1);
    expect(asVerbatimError('thrown text').kind).toBe('failure');
  });

  it('the bot logs a user error as declined, without its cause, and a failure with it', () => {
    const { log, lines } = keepingLogger();
    logFailure(log, createError('QUESTION_EMPTY'), { user: '1' });
    logFailure(log, createError('URL_INVALID', 'ftp://example.org'), { user: '1' });
    logFailure(log, asVerbatimError(new Error('disk on fire')), { user: '1' });
    expect(lines).toEqual(['INFO declined: QUESTION_EMPTY', 'INFO declined: URL_INVALID', 'ERROR failed: INTERNAL +cause']);
  });
});
