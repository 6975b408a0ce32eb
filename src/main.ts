#!/usr/bin/env node
import './load-env.js';
import { loadConfig } from './config.js';
import { openCollections } from './answer/collections.js';
import { questionPrompt } from './cli/prompt.js';
import { describeIndexReport, progressReporter, reportError } from './cli/output.js';
import { runBot } from './bot/run.js';
import { createLogger } from './log.js';
import { asVerbatimError, exitCodeOf } from './errors.js';

/** `npm start`: the Discord bot when a token is configured, otherwise a question prompt. Exits 2 on bad settings. */
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
      const log = createLogger({ level: config.logLevel, secrets: [config.discordToken] });
      try {
        log.info('opening the shared collections (building their indexes if needed)', { corpus: config.corpusDir, shared: config.sharedCollections });
        return await runBot({ ...config, discordToken: config.discordToken }, log);
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
