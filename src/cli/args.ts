import { parseArgs } from 'node:util';
import { createError } from '../errors.js';

export interface CliArgs {
  command: 'index' | 'ask' | 'sources' | 'compare' | 'help';
  json: boolean;
  k: number | undefined;
  corpus: string | undefined;
  store: string | undefined;
  question: string | undefined;
}

const COMMANDS = ['index', 'ask', 'sources', 'compare', 'help'] as const;

export const USAGE = `verbatim: answers questions about news coverage with verbatim, cited quotes.

Usage:
  verbatim index   [--corpus DIR] [--store DIR]    build or update the index
  verbatim ask     [--json] [--k N] [--corpus DIR] [--store DIR] [QUESTION]
                   answer QUESTION, or one question per line from standard input
  verbatim sources [--json] [--corpus DIR] [--store DIR]   the indexed documents and their retellings
  verbatim compare [--json] [--corpus DIR] [--store DIR] TOPIC
                   what each source says about TOPIC, side by side
  verbatim help

Defaults: --corpus corpus/ (env CORPUS_DIR), --store embeddings/ (env STORE_DIR), --k 5.`;

export function parseCli(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        k: { type: 'string' },
        corpus: { type: 'string' },
        store: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw createError('USAGE', error instanceof Error ? `${error.message}.` : 'Unrecognised arguments.');
  }
  const [name, ...rest] = parsed.positionals;
  const command = parsed.values.help || name === undefined ? 'help' : name;
  if (!(COMMANDS as readonly string[]).includes(command)) throw createError('USAGE', `Unknown command "${command}".`);
  const takesText = command === 'ask' || command === 'compare';
  if (!takesText && rest.length > 0) throw createError('USAGE', `"${command}" takes no arguments besides options.`);
  if (command === 'compare' && rest.length === 0) throw createError('USAGE', 'Name a topic to compare, e.g. verbatim compare "troops sent".');
  let k: number | undefined;
  if (parsed.values.k !== undefined) {
    k = Number(parsed.values.k);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw createError('USAGE', '--k must be a whole number from 1 to 50.');
  }
  return {
    command: command as CliArgs['command'],
    json: parsed.values.json ?? false,
    k,
    corpus: parsed.values.corpus,
    store: parsed.values.store,
    question: rest.length ? rest.join(' ') : undefined,
  };
}
