/**
 * One connection pool per database per process, shared by every store of that database, with
 * its schema brought up to date once, when the pool is first used.
 */
import pg from 'pg';
import { explain } from './failures.js';
import { migrate } from './schema.js';
import { SESSION_OPTIONS } from './search.js';

const pools = new Map<string, { pool: pg.Pool; ready: Promise<void> | undefined }>();

/** The pool of a database, its schema migrated (the first caller migrates; the others wait). */
export async function poolOf(url: string): Promise<pg.Pool> {
  let entry = pools.get(url);
  if (!entry) {
    // Idle connections do not keep a process alive (a command line ends when its work does).
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE) || 10, options: SESSION_OPTIONS, allowExitOnIdle: true });
    // An idle connection that drops (a restart, a fail-over) is replaced on next use; nothing to crash for.
    pool.on('error', () => undefined);
    // So does a connection that drops while checked out between two queries (a build holding its
    // lock): the next query on it fails with a clear line, rather than the process crashing.
    pool.on('connect', (client) => client.on('error', () => undefined));
    entry = { pool, ready: undefined };
    pools.set(url, entry);
  }
  const current = entry;
  current.ready ??= migrate(current.pool, url).catch((error: unknown) => {
    current.ready = undefined;
    throw explain(error, url);
  });
  await current.ready;
  return current.pool;
}

/** Closes every pool (tests, and a process that is shutting down). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(({ pool }) => pool.end().catch(() => undefined)));
}
