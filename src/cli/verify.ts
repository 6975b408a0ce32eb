/** `verbatim verify`: re-checks the quotes of `ask --json` lines on standard input against the live pages. */
import readline from 'node:readline';
import type { Config } from '../config.js';
import { asVerbatimError, createError } from '../errors.js';
import { readAnswerLine, type QuoteReference } from '../ingest/verify/input.js';
import type { Searcher } from '../answer/searcher.js';
import type { QuoteToVerify } from '../ingest/verify/verify.js';
import { LivePages, verifyQuotes } from '../ingest/verify/verify.js';
import { renderVerified } from '../present/verify.js';
import type { CliArgs } from './args.js';
import { fetchPolicy } from './ingest.js';
import { reportError, type Output } from './output.js';

/** Opens a collection to read (with the shared ones), for quotes named by path; opened once per name. */
export type CollectionReader = (collection: string | undefined) => Promise<Searcher>;

/** The quote a reference names, read from its collection: its exact text and its source. */
function referencedQuote(searcher: Searcher, reference: QuoteReference, collection: string): QuoteToVerify {
  const { source, text } = searcher.document(`${collection}:${reference.path}`);
  if (reference.end > text.length) throw createError('USAGE', `Offsets ${reference.start}–${reference.end} are outside ${reference.path}.`);
  return { text: text.slice(reference.start, reference.end), start: reference.start, end: reference.end, source };
}

export async function runVerify(
  args: Pick<CliArgs, 'json'>,
  config: Config,
  io: Output & { stdin: NodeJS.ReadableStream & { isTTY?: boolean } },
  reader: CollectionReader & { defaultName: string },
): Promise<number> {
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
    if (read.kind === 'reference') {
      const collection = read.reference.collection ?? reader.defaultName;
      let quote: QuoteToVerify;
      try {
        quote = referencedQuote(await reader(collection), read.reference, collection);
      } catch (error) {
        const failure = asVerbatimError(error);
        if (failure.kind !== 'user') throw error;
        allRead = false;
        if (args.json) io.stdout.write(`${JSON.stringify({ line: number, error: { code: failure.code, message: failure.message } })}\n`);
        else reportError(io, failure, false);
        continue;
      }
      const quotes = await verifyQuotes([quote], pages);
      const title = `${collection}:${read.reference.path} ${read.reference.start}–${read.reference.end}`;
      io.stdout.write(`${args.json ? JSON.stringify({ ...read.reference, collection, checkedAt, quotes }) : `${renderVerified(title, quotes)}\n`}\n`);
      continue;
    }
    const quotes = await verifyQuotes(read.quotes, pages);
    io.stdout.write(`${args.json ? JSON.stringify({ question: read.question, checkedAt, quotes }) : `${renderVerified(read.question, quotes)}\n`}\n`);
  }
  return allRead ? 0 : 2;
}
