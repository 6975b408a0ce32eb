/** What each data set's runner is given and gives back, and the plain-text table they print. */
import type { Embedder } from '../../index/embedder.js';
import type { RetrievalMode } from '../../retrieval/retrieve.js';
import type { EvalSettings, RunValues } from './settings.js';

export const MODES: readonly RetrievalMode[] = ['lexical', 'vector', 'hybrid'];

export interface RunContext {
  datasetsDir: string;
  settings: EvalSettings;
  embedder: Embedder;
  /** The modes asked for on the command line; absent, each runner measures its default ones. */
  modes?: readonly RetrievalMode[];
  options: RunValues;
  log: (line: string) => void;
}

/** One data set's part of the report: lines for the terminal, and its JSON summary. */
export interface DatasetReport<S extends object> {
  lines: string[];
  summary: S & { seconds: number };
}

/** Evaluates one data set. */
export type DatasetRunner<S extends object> = (context: RunContext) => Promise<DatasetReport<S>>;

/** Seconds since `started` (a `performance.now()`), to a tenth. */
export function secondsSince(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}

export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** A share as a percentage with one decimal ("7.5 %"). */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
