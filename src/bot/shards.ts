/**
 * `npm start` with SHARDS=auto or N > 1: discord.js's ShardingManager runs the bot as that many
 * shard processes (each one `runBot` for its shard, which discord.js passes in SHARDS and
 * SHARD_COUNT), all answering from one PostgreSQL database. Shards start one after another, each
 * once the one before is connected (the first indexes what needs indexing; Discord wants five
 * seconds between logins); a shard that dies is started again; SIGINT and SIGTERM stop them all.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import { loadCollectionsFile } from '../collections.js';
import type { Config } from '../config.js';
import { prepareDatabase } from '../index/backend.js';
import { createError, EXIT_CODES, withCause } from '../errors.js';
import type { Logger } from '../log.js';

/** Discord allows one login per five seconds (max_concurrency 1); discord.js's own spacing. */
const LOGIN_SPACING_MS = 5_500;
/** A shard that dies this often within CRASH_WINDOW_MS is failing for good: the bot stops. */
const CRASHES_ALLOWED = 5;
const CRASH_WINDOW_MS = 60_000;
/** How long stopping shards may take before they are killed. */
const STOP_GRACE_MS = 30_000;

type ShardConfig = Pick<Config, 'shards' | 'shardList' | 'databaseUrl' | 'discordApiBase' | 'collectionsFile'> & { discordToken: string };

/** The shard count Discord recommends for this bot (GET /gateway/bot), asked at DISCORD_API_BASE. */
export async function recommendedShardCount(config: Pick<ShardConfig, 'discordApiBase' | 'discordToken'>): Promise<number> {
  const rest = new REST({ api: config.discordApiBase }).setToken(config.discordToken);
  const { shards } = (await rest.get(Routes.gatewayBot())) as { shards: number };
  return Math.max(1, shards);
}

/**
 * Runs the bot as shard processes of `entry` (the built main.js) until a signal, or until a shard
 * fails in a way that would recur (exit code 2: a setting or file to fix; or a crash loop).
 * Without a database it refuses (SHARDS_NEED_DATABASE): the embedded store serves one process.
 */
export async function runShards(config: ShardConfig, log: Logger, entry: string): Promise<number> {
  if (!config.databaseUrl) throw createError('SHARDS_NEED_DATABASE', String(config.shards));
  // What every shard would fail on is said once, here, before any starts.
  if (config.collectionsFile) await loadCollectionsFile(config.collectionsFile);
  await prepareDatabase(config.databaseUrl);
  const total =
    config.shards === 'auto'
      ? await recommendedShardCount(config).catch((error: unknown) => {
          throw withCause(createError('DISCORD_LOGIN_FAILED', `could not ask for the recommended shard count (${error instanceof Error ? error.message : String(error)})`), error);
        })
      : config.shards;
  // SHARD_LIST: this machine's share of the shards, the other machines running the rest.
  const ids = config.shardList ?? Array.from({ length: total }, (_, id) => id);
  const manager = new ShardingManager(entry, { totalShards: total, shardList: ids, token: config.discordToken, respawn: true, execArgv: process.execArgv });
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let stopping = false;
  const stop = (code: number) => {
    stopping = true;
    manager.respawn = false;
    finish(code);
  };
  const crashes = new Map<number, number[]>();

  /** Decides, before discord.js respawns it, whether a shard that exited may start again. */
  const onExit = (shard: Shard, code: number | null, signal: NodeJS.Signals | null) => {
    if (stopping) return log.info('shard stopped', { shard: shard.id, code, signal });
    const recent = [...(crashes.get(shard.id) ?? []), Date.now()].filter((t) => Date.now() - t < CRASH_WINDOW_MS);
    crashes.set(shard.id, recent);
    if (code === EXIT_CODES.user || recent.length >= CRASHES_ALLOWED) {
      log.error(code === EXIT_CODES.user ? 'shard stopped on a problem to fix (above); stopping the bot' : 'shard keeps failing; stopping the bot', { shard: shard.id, code, crashes: recent.length });
      return stop(code === EXIT_CODES.user ? EXIT_CODES.user : EXIT_CODES.failure);
    }
    log.warn('shard exited; starting it again', { shard: shard.id, code, signal });
  };
  manager.on('shardCreate', (shard: Shard) => {
    shard.on('spawn', (spawned) => {
      // The manager runs in 'process' mode: each shard is a child process.
      const child = spawned as ChildProcess;
      log.info('shard started', { shard: shard.id, shards: total, pid: child.pid });
      // Before the manager's own exit listener, which respawns when `manager.respawn` is still set.
      child.prependOnceListener('exit', (code, signal) => onExit(shard, code, signal));
    });
    shard.on('error', (error) => log.error('shard could not be started', { shard: shard.id, error }));
  });

  const signals = ['SIGINT', 'SIGTERM'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    log.info('shutting down', { signal });
    stop(EXIT_CODES.done);
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    log.info('starting shards', { shards: total, here: ids });
    for (const [at, id] of ids.entries()) {
      if (stopping) break;
      const shard = manager.createShard(id);
      // Connected, or dead (the manager starts it again): either way the next may start.
      const started = Promise.race([once(shard, 'ready'), once(shard, 'death')]).catch(() => undefined);
      await shard.spawn(-1);
      await Promise.race([Promise.all([started, at + 1 < ids.length ? sleep(LOGIN_SPACING_MS) : null]), finished]);
    }
    const code = await finished;
    await stopShards(manager, log);
    return code;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}

/** Asks every shard process to stop (SIGTERM), and kills those still running after STOP_GRACE_MS. */
async function stopShards(manager: ShardingManager, log: Logger): Promise<void> {
  const running = [...manager.shards.values()].map((shard) => shard.process).filter((child): child is ChildProcess => child !== null && child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => once(child, 'exit'));
  for (const child of running) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    log.warn('shards did not stop in time; killing them', { pids: running.filter((c) => c.exitCode === null).map((c) => c.pid) });
    for (const child of running) child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await Promise.all(exited);
  clearTimeout(timer);
  log.info('all shards stopped');
}
