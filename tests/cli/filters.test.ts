/** `verbatim ask|compare --since/--until/--outlet` and the JSON stdin form, through the command line's own entry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { PROJECT_ROOT } from '../../src/config.js';
import { runCli } from '../../src/cli/run.js';
import { fileText, temporaryFolder } from '../helpers/seeds.js';

const DATED_CORPUS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'dated-corpus');
let store: string;
beforeAll(async () => {
  store = await temporaryFolder('verbatim-cli-dates-');
});
afterAll(async () => fs.rm(store, { recursive: true, force: true }));

async function verbatim(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const collect = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d) => (text += d));
    return { stream, text: () => text };
  };
  const stdout = collect();
  const stderr = collect();
  const stdin = new PassThrough();
  stdin.end(input);
  const code = await runCli([...args, '--corpus', DATED_CORPUS, '--store', store], { stdin, stdout: stdout.stream, stderr: stderr.stream, env: {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('filters on the command line', () => {
  it('answers within --until and --outlet, with the filter object in the JSON', async () => {
    const run = await verbatim(['ask', '--json', '--until', '2025-06-30', '--outlet', 'Northern Ledger', '--outlet', 'harbourwire.example', 'How much of the Doran valley do rebels hold?']);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.filter).toEqual({ since: null, until: '2025-06-30', outlets: ['Northern Ledger', 'harbourwire.example'], undatedExcluded: 0 });
    expect(answer.quotes.map((q: { source: { id: string } }) => q.source.id)).toEqual(['doran-winter']);
    const q = answer.quotes[0];
    expect(q.text).toBe((await fileText(DATED_CORPUS, q.source.path)).slice(q.start, q.end));
  });

  it('reads a JSON object per line, each with its own filter, plain lines as before', async () => {
    const lines = [
      JSON.stringify({ question: 'How much will the Kell bridge repairs cost?', since: '2025-05-07', outlets: ['northern ledger'] }),
      'How much will the Kell bridge repairs cost?',
      JSON.stringify({ question: 'How much will the Kell bridge repairs cost?', until: 'soon' }),
    ];
    const run = await verbatim(['ask', '--json'], lines.join('\n'));
    const answers = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers).toHaveLength(3);
    expect(answers[0].filter).toEqual({ since: '2025-05-07', until: null, outlets: ['northern ledger'], undatedExcluded: 0 });
    expect(answers[0].quotes.map((q: { source: { id: string } }) => q.source.id)).toEqual(['bridge-costs-b']);
    expect(answers[1].filter).toBeUndefined();
    expect(answers[1].discrepancies[0].kind).toBe('disagreement');
    expect(answers[1].discrepancies[0].values.map((v: { published: string }) => v.published)).toEqual(['2025-05-06', '2025-05-08']);
    expect(answers[2].error.code).toBe('FILTER_INVALID');
    expect(run.code).toBe(2);
  });

  it('shows the update over time and every quote with its date in the terminal', async () => {
    const run = await verbatim(['compare', '--since', '2024-01-01', 'territory rebels hold in the Doran valley']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Only sources since 2024-01-01; 1 undated document left out\./);
    expect(run.stdout).toContain('700 km² (Dec 2024) → 90 km² (Jul 2025)');
  });

  it('exits 2 with one line for a bad date, before opening the index', async () => {
    const run = await verbatim(['ask', '--since', '2025-13-01', 'anything']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('verbatim: since "2025-13-01" is not a date. Dates are YYYY-MM-DD (days in UTC), or 7d / 30d back from today. [FILTER_INVALID]');
    const misplaced = await verbatim(['sources', '--outlet', 'x']);
    expect(misplaced.code).toBe(2);
  });
});
