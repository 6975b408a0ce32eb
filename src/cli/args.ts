import { parseArgs } from 'node:util';
import { createError } from '../errors.js';
import { EXPORT_FORMATS, type ExportFormat } from '../present/export/index.js';

export interface CliArgs {
  command: 'index' | 'ask' | 'sources' | 'compare' | 'timeline' | 'add' | 'feed' | 'collections' | 'verify' | 'watch' | 'help';
  json: boolean;
  /** `ask`, `compare`: the quotes as one export document (csv, csljson, ris) instead of answers. */
  format: ExportFormat | undefined;
  k: number | undefined;
  corpus: string | undefined;
  store: string | undefined;
  /** --collection (unchecked here; VERBATIM_COLLECTION when absent). */
  collection: string | undefined;
  /** `index`: also do every merge the store's segments are due (which a write leaves to the background). */
  merge: boolean;
  question: string | undefined;
  /** `ask`/`compare`/`timeline` filters as given (checked when resolved): days or `7d`, and outlets. */
  since: string | undefined;
  until: string | undefined;
  outlets: string[];
  /** `timeline`: where to write the PNG. */
  out: string | undefined;
  /** `add`: the URL or file; `feed`: the subcommand and its URL; `watch`: the subcommand and its topic or id. */
  targets: string[];
}

const COMMANDS = ['index', 'ask', 'sources', 'compare', 'timeline', 'add', 'feed', 'collections', 'verify', 'watch', 'help'] as const;
const FEED_COMMANDS = ['add', 'list', 'poll', 'remove'];
const WATCH_COMMANDS = ['add', 'list', 'remove', 'check'];

export const USAGE = `verbatim: answers questions about news coverage with verbatim, cited quotes.

Usage:
  verbatim index   [--merge] [--corpus DIR] [--store DIR]
                   build or update the index; --merge also merges its segments as due
  verbatim ask     [--json | --format csv|csljson|ris] [--k N] [FILTERS] [--corpus DIR] [--store DIR] [QUESTION]
                   answer QUESTION, or one question per line from standard input (with --json a
                   line may be {"question", "since", "until", "outlets"});
                   --format: the quotes of the whole run as one CSV, CSL-JSON or RIS document
  verbatim sources [--json] [--corpus DIR] [--store DIR]   the indexed documents and their retellings
  verbatim compare [--json | --format csv|csljson|ris] [FILTERS] [--corpus DIR] [--store DIR] TOPIC
                   what each source says about TOPIC, side by side
  verbatim timeline [--out FILE.png] [FILTERS] [--corpus DIR] [--store DIR] TOPIC
                   a chart of how many sources covered TOPIC per day, week or month (independent
                   reports and retellings, the first report marked): timeline-<topic>.png (1200×600)
  verbatim verify  [--json]   re-check the quotes of "ask --json" lines (standard input), or of lines
                   {"path", "start", "end"} naming a quote, against the live pages: present,
                   changed, gone or unreachable
  verbatim watch   add TOPIC | list | remove ID | check   [--json] [--corpus DIR] [--store DIR]
                   topics to watch; check shows what documents indexed since the last check say
  verbatim add     [--json] [--corpus DIR] [--store DIR] URL|FILE
                   store an article (web page, PDF, text, JSON/JSONL dump) in the corpus and index it
  verbatim feed    add URL | list | poll | remove URL   [--json] [--store DIR]
                   the RSS/Atom feeds to follow; poll adds their new items
  verbatim collections [--json]
                   every collection: its corpus folder, documents, passages, and whether it is shared
  verbatim help

Every command takes --collection NAME (env VERBATIM_COLLECTION; default "default", which is
--corpus + --store). Reading (ask, compare, timeline, sources) searches NAME and the shared collections
(SHARED_COLLECTIONS) as one corpus; add and feed add create NAME under COLLECTIONS_DIR
(collections/NAME/corpus and collections/NAME/store). --corpus and --store are for "default" only.

Filters (ask, compare, timeline; applied before ranking): --since DATE --until DATE (inclusive days in UTC,
  YYYY-MM-DD or 7d / 30d back from today; undated documents are left out), --outlet NAME
  (repeatable; an outlet name in any case, or a host such as cnn.com).

Defaults: --corpus corpus/ (env CORPUS_DIR), --store embeddings/ (env STORE_DIR), --k 5.`;

export function parseCli(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        format: { type: 'string' },
        k: { type: 'string' },
        corpus: { type: 'string' },
        store: { type: 'string' },
        collection: { type: 'string' },
        merge: { type: 'boolean', default: false },
        since: { type: 'string' },
        until: { type: 'string' },
        outlet: { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // One line: Node's messages for a missing option value run over three.
    throw createError('USAGE', error instanceof Error ? `${error.message.replace(/\s*\n\s*/g, ' ').replace(/\.+$/, '')}.` : 'Unrecognised arguments.');
  }
  const [name, ...rest] = parsed.positionals;
  const command = parsed.values.help || name === undefined ? 'help' : name;
  if (!(COMMANDS as readonly string[]).includes(command)) throw createError('USAGE', `Unknown command "${command}".`);
  const takesText = ['ask', 'compare', 'timeline', 'add', 'feed', 'watch'].includes(command);
  if (command === 'add' && rest.length !== 1) throw createError('USAGE', 'Give one URL or file to add, e.g. verbatim add https://example.com/article.');
  if (command === 'feed') {
    const [sub, ...urls] = rest;
    if (!sub || !FEED_COMMANDS.includes(sub)) throw createError('USAGE', `"feed" takes one of ${FEED_COMMANDS.join(', ')}.`);
    if (urls.length !== (sub === 'add' || sub === 'remove' ? 1 : 0)) throw createError('USAGE', `"feed ${sub}" takes ${sub === 'add' || sub === 'remove' ? 'one URL' : 'no arguments'}.`);
  }
  const filtered = parsed.values.since !== undefined || parsed.values.until !== undefined || parsed.values.outlet !== undefined;
  if (filtered && command !== 'ask' && command !== 'compare' && command !== 'timeline') throw createError('USAGE', '--since, --until and --outlet apply to ask, compare and timeline.');
  if (parsed.values.out !== undefined && command !== 'timeline') throw createError('USAGE', '--out applies to timeline.');
  if (command === 'timeline' && rest.length === 0) throw createError('USAGE', 'Name a topic, e.g. verbatim timeline "territory held in Kursk".');
  if (command === 'watch') {
    const [sub, ...more] = rest;
    if (!sub || !WATCH_COMMANDS.includes(sub)) throw createError('USAGE', `"watch" takes one of ${WATCH_COMMANDS.join(', ')}.`);
    if (sub === 'add' && more.length === 0) throw createError('USAGE', 'Name a topic to watch, e.g. verbatim watch add "troops sent to Kursk".');
    if (sub === 'remove' && more.length !== 1) throw createError('USAGE', '"watch remove" takes one watch id (verbatim watch list shows them).');
    if ((sub === 'list' || sub === 'check') && more.length > 0) throw createError('USAGE', `"watch ${sub}" takes no arguments.`);
  }
  if (!takesText && rest.length > 0) throw createError('USAGE', `"${command}" takes no arguments besides options.`);
  if (command === 'compare' && rest.length === 0) throw createError('USAGE', 'Name a topic to compare, e.g. verbatim compare "troops sent".');
  const format = parsed.values.format;
  if (format !== undefined) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw createError('USAGE', `--format takes one of ${EXPORT_FORMATS.join(', ')}.`);
    if (command !== 'ask' && command !== 'compare') throw createError('USAGE', '--format is for "ask" and "compare".');
    if (parsed.values.json) throw createError('USAGE', 'Give --json or --format, not both.');
  }
  let k: number | undefined;
  if (parsed.values.k !== undefined) {
    k = Number(parsed.values.k);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw createError('USAGE', '--k must be a whole number from 1 to 50.');
  }
  return {
    command: command as CliArgs['command'],
    json: parsed.values.json ?? false,
    format: format as ExportFormat | undefined,
    k,
    corpus: parsed.values.corpus,
    store: parsed.values.store,
    collection: parsed.values.collection,
    merge: parsed.values.merge ?? false,
    question: rest.length ? rest.join(' ') : undefined,
    since: parsed.values.since,
    until: parsed.values.until,
    outlets: parsed.values.outlet ?? [],
    out: parsed.values.out,
    targets: rest,
  };
}
