/**
 * Vitest's global set-up: a PostgreSQL with pgvector for the PostgreSQL tests. DATABASE_URL is
 * used when set (CI starts a server with scripts/postgres.sh); otherwise this starts a
 * throwaway one with the same script and stops it afterwards. Either way the URL reaches the
 * tests by `inject('postgres')`, and DATABASE_URL is taken out of the environment, so that
 * every other test uses the embedded store as before.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { url: string | null; problem: string | null };
  }
}

const run = promisify(execFile);
const script = path.join(import.meta.dirname, '..', '..', 'scripts', 'postgres.sh');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  if (given) {
    project.provide('postgres', { url: given, problem: null });
    return async () => undefined;
  }
  // Directly under the temporary folder, which the server's unprivileged user can pass through.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'verbatim-pg-'));
  try {
    const { stdout } = await run('bash', [script, 'start', dir], { timeout: 300_000 });
    project.provide('postgres', { url: stdout.trim().split('\n').pop()!, problem: null });
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').slice(-3).join(' ');
    project.provide('postgres', { url: null, problem: `scripts/postgres.sh could not start a server (${detail})` });
  }
  return async () => {
    await run('bash', [script, 'stop', dir], { timeout: 120_000 }).catch(() => undefined);
  };
}
