/**
 * Command-line options of `npm run eval` as tables: each option is written once (name, type,
 * default, help), and the argument parser, the typed values and the usage text come from the table.
 */
import { parseArgs } from 'node:util';

export type OptionType = 'string' | 'number' | 'boolean';

export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  readonly help: string;
  /** The value's placeholder in the usage text (N, DIR, LIST). */
  readonly arg?: string;
  /** Shown in the usage text; applied by whoever reads the value (a tuning setting applies its own). */
  readonly default?: string | number | boolean;
}

type ValueOf<T extends OptionType> = T extends 'number' ? number : T extends 'boolean' ? boolean : string;

/** The parsed values of a table of options, each absent unless given. */
export type OptionValues<T extends readonly OptionSpec[]> = { [O in T[number] as O['name']]?: ValueOf<O['type']> };

function parseNumber(raw: string, name: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, got "${raw}"`);
  return value;
}

/** A mistake on the command line: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

/** Parses `argv` against the tables; numbers are checked here, so a typo never runs with a default. */
export function parseOptions<T extends readonly OptionSpec[]>(specs: T, argv: readonly string[]): OptionValues<T> {
  const options = Object.fromEntries(specs.map((s) => [s.name, { type: s.type === 'boolean' ? ('boolean' as const) : ('string' as const) }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const out: Record<string, string | number | boolean> = {};
  for (const spec of specs) {
    const raw = values[spec.name];
    if (raw === undefined) continue;
    out[spec.name] = spec.type === 'number' ? parseNumber(raw as string, spec.name) : raw;
  }
  return out as OptionValues<T>;
}

/** One usage line per option: `--name ARG   help (default X)`, aligned. */
export function usageLines(specs: readonly OptionSpec[]): string[] {
  const heads = specs.map((s) => `  --${s.name}${s.type === 'boolean' ? '' : ` ${s.arg ?? (s.type === 'number' ? 'N' : 'VALUE')}`}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return specs.map((s, i) => `${heads[i]!.padEnd(width)}${s.help}${s.default === undefined || s.type === 'boolean' ? '' : ` (default ${s.default})`}`);
}
