#!/usr/bin/env node
import './load-env.js';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';
import { openCollections } from './answer/collections.js';
import { questionPrompt } from './cli/prompt.js';
import { describeIndexReport, progressReporter, reportError } from './cli/output.js';
import { runBot } from './bot/run.js';
import { runShards } from './bot/shards.js';
import { createLogger } from './log.js';
import { asVerbatimError, exitCodeOf } from './errors.js';

/** A shard process started by the ShardingManager (see src/bot/shards.ts): discord.js sets these. */
const shardProcess = process.env.SHARDING_MANAGER ? { shard: process.env.SHARDS } : null;

/**
 * `npm start`: the Discord bot when a token is configured (with SHARDS, as shard processes),
 * otherwise a question prompt. Exits 2 on bad settings.
 */
async function main(): Promise<number> {
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
  try {
    const config = loadConfig();
    const options = {
      corpusDir: config.corpusDir,
      storeDir: config.storeDir,
      modelDir: config.modelDir,
      modelName: config.modelName,
      onProgress: progressReporter(io),
      onIndexed: (report: Parameters<typeof describeIndexReport>[0]) =>
        describeIndexReport(report).forEach((line) => io.stderr.write(`${line}\n`)),
      onWarning: (message: string) => io.stderr.write(`warning: ${message}\n`),
    };
    if (config.discordToken) {
      // From here on everything is logged through the redacting logger, so the token never shows.
      const log = createLogger({ level: config.logLevel, secrets: [config.discordToken], ...(shardProcess ? { context: shardProcess } : {}) });
      try {
        const bot = { ...config, discordToken: config.discordToken };
        if (config.shards !== 1 && !shardProcess) return await runShards(bot, log, fileURLToPath(import.meta.url));
        log.info('opening the shared collections (building their indexes if needed)', { corpus: config.corpusDir, shared: config.sharedCollections });
        return await runBot(bot, log);
      } catch (error) {
        const failure = asVerbatimError(error);
        // A user's mistake (a setting, the corpus folder) is one line; a failure carries its cause.
        log.error(failure.message, failure.kind === 'user' ? { code: failure.code } : { code: failure.code, error: failure.cause ?? failure });
        return exitCodeOf(failure);
      }
    }
    io.stdout.write('No DISCORD_TOKEN configured: answering here in the terminal instead (see README to set up Discord).\n');
    await questionPrompt(await openCollections(config, config.collection, options), io);
    return 0;
  } catch (error) {
    reportError(io, error, process.env.LOG_LEVEL === 'debug');
    return exitCodeOf(error);
  }
}

process.exitCode = await main();
// A shard process's channel to the manager would keep it alive.
if (process.connected) process.disconnect?.();
