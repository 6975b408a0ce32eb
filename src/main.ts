#!/usr/bin/env node
import './load-env.js';
import { loadConfig } from './config.js';
import { openSearcher } from './search/open.js';
import { questionPrompt } from './cli/prompt.js';
import { describeIndexReport, progressReporter, reportError } from './cli/output.js';

/** `npm start`: the Discord bot when a token is configured, otherwise a question prompt. */
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
      io.stderr.write('The Discord bot is not part of this build yet; unset DISCORD_TOKEN to use the question prompt.\n');
      return 1;
    }
    io.stdout.write('No DISCORD_TOKEN configured: answering here in the terminal instead (see README to set up Discord).\n');
    await questionPrompt(await openSearcher(options), io);
    return 0;
  } catch (error) {
    reportError(io, error, process.env.LOG_LEVEL === 'debug');
    return 1;
  }
}

process.exitCode = await main();
