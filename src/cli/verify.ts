/** `verbatim verify`: re-checks the quotes of `ask --json` lines on standard input against the live pages. */
import readline from 'node:readline';
import type { Config } from '../config.js';
import { createError } from '../errors.js';
import { readAnswerLine } from '../ingest/verify/input.js';
import { LivePages, verifyQuotes } from '../ingest/verify/verify.js';
import { renderVerified } from '../present/verify.js';
import type { CliArgs } from './args.js';
import { fetchPolicy } from './ingest.js';
import { reportError, type Output } from './output.js';

export async function runVerify(args: Pick<CliArgs, 'json'>, config: Config, io: Output & { stdin: NodeJS.ReadableStream & { isTTY?: boolean } }): Promise<number> {
  if (io.stdin.isTTY) throw createError('USAGE', 'Pipe answers in: verbatim ask --json "…" | verbatim verify --json.');
  const pages = new LivePages(fetchPolicy(config));
  const lines = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  let allRead = true;
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    const read = readAnswerLine(line);
    if (read.kind === 'invalid') {
      allRead = false;
      const failure = createError('VERIFY_INPUT_INVALID', number, read.problem);
      if (args.json) io.stdout.write(`${JSON.stringify({ line: number, error: { code: failure.code, message: failure.message } })}\n`);
      else reportError(io, failure, false);
      continue;
    }
    if (read.kind === 'refused') {
      // A question ask refused has no quotes to check: passed on as it came.
      if (args.json) io.stdout.write(`${JSON.stringify(read.value)}\n`);
      continue;
    }
    const checkedAt = new Date().toISOString();
    const quotes = await verifyQuotes(read.quotes, pages);
    io.stdout.write(`${args.json ? JSON.stringify({ question: read.question, checkedAt, quotes }) : `${renderVerified(read.question, quotes)}\n`}\n`);
  }
  return allRead ? 0 : 2;
}
