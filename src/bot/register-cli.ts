#!/usr/bin/env node
/** `npm run register`: registers the bot's commands, to DISCORD_GUILD_ID when set, otherwise globally. */
import '../load-env.js';
import { loadConfig } from '../config.js';
import { createError, exitCodeOf } from '../errors.js';
import { toFailure } from './failures.js';
import { createLogger } from '../log.js';
import { registerCommands } from './register.js';

async function main(): Promise<number> {
  let log = createLogger({ level: 'info' });
  try {
    const config = loadConfig();
    log = createLogger({ level: config.logLevel, secrets: [config.discordToken] });
    if (!config.discordToken) throw createError('DISCORD_TOKEN_MISSING');
    const result = await registerCommands({ token: config.discordToken, apiBase: config.discordApiBase, guildId: config.discordGuildId });
    const where = result.scope === 'guild' ? `to server ${config.discordGuildId}` : 'globally';
    process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.join(', ')}\n`);
    return 0;
  } catch (error) {
    const failure = toFailure(error);
    const fields = failure.kind === 'user' ? { code: failure.code } : { code: failure.code, error: failure.cause ?? failure };
    log.error(`register failed: ${failure.message}`, fields);
    return exitCodeOf(failure);
  }
}

process.exitCode = await main();
