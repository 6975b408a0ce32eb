import readline from 'node:readline';
import { loadConfig, type Config } from '../config.js';
import { asVerbatimError, createError, exitCodeOf } from '../errors.js';
import { answerJson } from '../present/json.js';
import { renderAnswer, renderComparison } from '../present/terminal.js';
import type { Searcher } from '../answer/searcher.js';
import { promises as fs } from 'node:fs';
import { collectionName, DEFAULT_COLLECTION } from '../collections.js';
import { indexCorpus, mergeIndex } from '../answer/open.js';
import { collectionOptions, listCollections, openCollections, requireCollection, type CollectionSettings, type OpenCallbacks } from '../answer/collections.js';
import { parseAskLine, resolveFilter } from '../answer/filter.js';
import { parseCli, USAGE, type CliArgs } from './args.js';
import { describeIndexReport, progressReporter, reportError, type Output } from './output.js';
import { renderCollections, renderSources, sourcesJson } from '../present/sources.js';
import { runIngest } from './ingest.js';
import { writeTimeline } from './timeline.js';
import { runVerify } from './verify.js';
import { runWatch } from './watch.js';
import { answerRecords, comparisonRecords, exportDocument } from '../present/export/index.js';
import type { Answer } from '../answer/types.js';

export interface CliIO extends Output {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Where relative output paths go (timeline's PNG); the process's own folder when absent. */
  cwd?: string;
}

/** The collection a command works on: --collection, else VERBATIM_COLLECTION; --corpus and --store name `default`'s folders. */
function collectionOf(args: Pick<CliArgs, 'collection' | 'corpus' | 'store'>, config: Config): string {
  const name = collectionName(args.collection ?? config.collection);
  if (name !== DEFAULT_COLLECTION && (args.corpus !== undefined || args.store !== undefined)) {
    throw createError('USAGE', `--corpus and --store are the folders of the "default" collection; collection "${name}" lives in ${config.collectionsDir}.`);
  }
  return name;
}

/** Where collections are: `default` at --corpus + --store when given. */
function collectionSettings(args: Pick<CliArgs, 'corpus' | 'store'>, config: Config): CollectionSettings {
  return { ...config, corpusDir: args.corpus ?? config.corpusDir, storeDir: args.store ?? config.storeDir };
}

function callbacks(io: CliIO): OpenCallbacks {
  return {
    onProgress: progressReporter(io),
    onIndexed: (report) => describeIndexReport(report).forEach((line) => io.stderr.write(`${line}\n`)),
    onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
  };
}

const useColor = (io: CliIO) => Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;

type AskArgs = Pick<CliArgs, 'json' | 'k'> & Partial<Pick<CliArgs, 'since' | 'until' | 'outlets'>>;

/**
 * Answers one question (a line: plain text, or with --json the object form with its own filter);
 * a bad question or filter (a user error) is reported and counted, never fatal for the others.
 * With `exported` the answer is kept there (for one export document) instead of printed.
 */
export async function answerOne(searcher: Searcher, line: string, args: AskArgs, io: CliIO, exported?: Answer[]): Promise<boolean> {
  let question = line;
  try {
    const asked = args.json ? parseAskLine(line) : { question: line };
    question = asked.question;
    const given = 'since' in asked || 'until' in asked || 'outlets' in asked ? asked : args;
    const filter = resolveFilter({ since: given.since, until: given.until, outlets: given.outlets });
    const answer = await searcher.ask(question, { k: args.k, filter });
    if (exported) exported.push(answer);
    else io.stdout.write(`${args.json ? answerJson(answer) : renderAnswer(answer, { color: useColor(io) })}\n`);
    return true;
  } catch (error) {
    const failure = asVerbatimError(error);
    if (failure.kind !== 'user') throw error;
    if (args.json) io.stdout.write(`${JSON.stringify({ question, error: { code: failure.code, message: failure.message } })}\n`);
    else reportError(io, failure, false);
    return false;
  }
}

/** Answers every line of standard input in turn. */
export async function answerLines(searcher: Searcher, args: AskArgs, io: CliIO, exported?: Answer[]): Promise<boolean> {
  const lines = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  let allAnswered = true;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    allAnswered = (await answerOne(searcher, line, args, io, exported)) && allAnswered;
  }
  return allAnswered;
}

/** Runs one CLI invocation and returns its exit code: 0 done, 1 failed, 2 bad usage or input. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const debug = io.env.LOG_LEVEL === 'debug';
  try {
    const args = parseCli(argv);
    const config = loadConfig(io.env);
    if (args.command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const settings = collectionSettings(args, config);
    if (args.command === 'verify') {
      const opened = new Map<string, Promise<Searcher>>();
      const reader = Object.assign(
        (name: string | undefined) => {
          const collection = collectionName(name ?? DEFAULT_COLLECTION);
          if (!opened.has(collection)) opened.set(collection, openCollections(settings, collection, callbacks(io)));
          return opened.get(collection)!;
        },
        { defaultName: collectionName(args.collection ?? config.collection) },
      );
      return await runVerify(args, config, io, reader);
    }
    if (args.command === 'collections') {
      const listing = await listCollections(settings);
      io.stdout.write(`${args.json ? JSON.stringify(listing) : renderCollections(listing)}\n`);
      return 0;
    }
    // A bad filter is reported before the index is opened.
    const filter = resolveFilter(args);
    const name = collectionOf(args, config);
    const options = collectionOptions(settings, name, callbacks(io));
    const creates = args.command === 'add' || (args.command === 'feed' && args.targets[0] === 'add');
    if (creates) await fs.mkdir(options.corpusDir, { recursive: true });
    else await requireCollection(settings, name);
    if (args.command === 'add' || args.command === 'feed') return await runIngest(args, config, options, io);
    if (args.command === 'watch') return await runWatch(args, options, io);
    if (args.command === 'index') {
      describeIndexReport(await indexCorpus(options)).forEach((line) => io.stdout.write(`${line}\n`));
      if (args.merge) io.stdout.write(`${(await mergeIndex(options)) ? 'Segments merged.' : 'No merge due.'}\n`);
      return 0;
    }
    const searcher = await openCollections(settings, name, callbacks(io));
    if (args.command === 'compare') {
      const comparison = await searcher.compare(args.question!, undefined, { filter });
      if (args.format) io.stdout.write(exportDocument(args.format, comparisonRecords(comparison)));
      else io.stdout.write(`${args.json ? JSON.stringify(comparison) : renderComparison(comparison, { color: useColor(io) })}\n`);
      return 0;
    }
    if (args.command === 'timeline') {
      const written = await writeTimeline(searcher, args.question!, { out: args.out, cwd: io.cwd ?? process.cwd(), filter });
      io.stdout.write(`${written.file}\n`);
      if (written.undated) io.stderr.write(`${written.undated} undated source${written.undated === 1 ? '' : 's'} on the topic ${written.undated === 1 ? 'is' : 'are'} not on the chart.\n`);
      return 0;
    }
    if (args.command === 'sources') {
      io.stdout.write(`${args.json ? sourcesJson(searcher.sources()) : renderSources(searcher.sources())}\n`);
      return 0;
    }
    if (args.question === undefined && io.stdin.isTTY) throw createError('USAGE', 'Give a question, or pipe questions in, one per line.');
    // An export is one document for the whole run: the answers are kept, then written together.
    const exported = args.format ? ([] as Answer[]) : undefined;
    const answered = args.question !== undefined ? await answerOne(searcher, args.question, args, io, exported) : await answerLines(searcher, args, io, exported);
    if (exported) io.stdout.write(exportDocument(args.format!, answerRecords(exported)));
    return answered ? 0 : 2;
  } catch (error) {
    reportError(io, error, debug);
    return exitCodeOf(error);
  }
}
