/**
 * Telling every process what another one wrote: each write that changes a collection's documents
 * sends `NOTIFY verbatim_changes, '<collection> <writer>'` in its transaction (delivered at
 * commit), and a process that follows the database LISTENs on one connection of its own. A
 * process's own writes are left out (it swaps them in itself, after its rebuild). When the
 * connection drops (or stops answering the check made every 30 s, as a connection cut off
 * without a word would) it is opened again (after 0.5 s, doubling up to 30 s), and `reconnected`
 * is called, since notifications sent meanwhile are lost.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeUrl } from './failures.js';

export const CHANGES_CHANNEL = 'verbatim_changes';
/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_NAME = 'verbatim-changes';
/** This process, as the writer its notifications name. */
const WRITER = randomBytes(6).toString('hex');
const FIRST_RETRY_MS = 500;
/** How often the listening connection is checked, and how long it has to answer or to connect. */
const CHECK_EVERY_MS = 30_000;
const ANSWER_WITHIN_MS = 10_000;

/** What a write by this process notifies: the collection, and this process. */
export function changeNotice(collection: string): string {
  return `${collection} ${WRITER}`;
}
const LAST_RETRY_MS = 30_000;

export interface ChangeHandlers {
  /** Another process committed a write to this collection. */
  changed(collection: string): void;
  /** Listening again after the connection dropped: any collection may have changed meanwhile. */
  reconnected(): void;
  log?: {
    info(message: string, fields?: Record<string, unknown>): void;
    warn(message: string, fields?: Record<string, unknown>): void;
  };
}

export interface ChangeFeed {
  /** Stops listening and closes the connection. */
  close(): Promise<void>;
}

/** Listens for the database's change notifications; resolves once the first attempt to listen is made. */
export async function followChanges(url: string, handlers: ChangeHandlers): Promise<ChangeFeed> {
  let current: { client: pg.Client; lost: (error?: unknown) => void } | null = null;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;
  let closed = false;

  const connect = async (): Promise<void> => {
    retry = null;
    const client = new pg.Client({
      connectionString: url,
      application_name: LISTENER_NAME,
      connectionTimeoutMillis: ANSWER_WITHIN_MS,
      query_timeout: ANSWER_WITHIN_MS,
      keepAlive: true,
    });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost || closed) return;
      lost = true;
      if (current?.client === client) current = null;
      client.end().catch(() => undefined);
      const delay = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
      failures += 1;
      handlers.log?.warn('lost the database change feed; listening again shortly', { database: describeUrl(url), retryMs: delay, error: error instanceof Error ? error.message : error });
      retry = setTimeout(() => void connect(), delay);
      retry.unref();
    };
    client.on('notification', (message) => {
      const [collection, writer] = (message.payload ?? '').split(' ');
      if (message.channel === CHANGES_CHANNEL && collection && writer !== WRITER) handlers.changed(collection);
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      return onLost(error);
    }
    if (closed) return void (await client.end().catch(() => undefined));
    current = { client, lost: onLost };
    if (failures > 0) {
      handlers.log?.info('listening to the database change feed again', { database: describeUrl(url) });
      handlers.reconnected();
    }
    failures = 0;
  };

  await connect();
  const check = setInterval(() => {
    const listening = current;
    listening?.client.query('SELECT 1').catch((error: unknown) => listening.lost(error));
  }, CHECK_EVERY_MS);
  check.unref();
  return {
    close: async () => {
      closed = true;
      clearInterval(check);
      if (retry) clearTimeout(retry);
      await current?.client.end().catch(() => undefined);
      current = null;
    },
  };
}
