/**
 * One writer per store at a time, across processes: `index/LOCK` holds the writer's process id.
 * A lock left by a process that died (killed in the middle of a write) is taken over; a live
 * writer is waited for, up to a limit, then the second writer fails with a clear message.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createError } from '../../errors.js';
import { indexRoot, processAlive } from './manifest.js';

const POLL_MS = 100;
export const LOCK_WAIT_MS = 10 * 60_000;

/** Writers of this process, one after another (the file lock is per process). */
const queues = new Map<string, Promise<unknown>>();

async function acquire(file: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (!holder || !processAlive(holder)) {
      // The holder died: take the lock over (a rename, so two takers cannot both win).
      const claim = `${file}.${process.pid}`;
      await fs.writeFile(claim, String(process.pid));
      const still = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (still === holder || !still) {
        await fs.rename(claim, file);
        if (Number((await fs.readFile(file, 'utf8')).trim()) === process.pid) return;
      } else await fs.rm(claim, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw createError('STORE_BUSY', path.dirname(path.dirname(file)), holder);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Runs `work` holding the store's write lock. */
export async function withWriteLock<T>(storeDir: string, work: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  const file = path.join(indexRoot(storeDir), 'LOCK');
  const key = path.resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await acquire(file, waitMs);
      try {
        return await work();
      } finally {
        await fs.rm(file, { force: true });
      }
    });
  queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}
