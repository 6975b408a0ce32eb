/**
 * `ask --format csv|csljson|ris` and `compare --format`: each export read back by a standard parser
 * (csv-parse, ajv with the CSL-JSON data model, citation-js as a reference manager imports CSL-JSON
 * and RIS), and every quote's hash checked against the bytes of its slice of the source file.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-ris';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { MODEL_DIR, temporaryFolder } from '../helpers/seeds.js';
import { writeDamCorpus } from './corpus.js';

let corpus: string;
let store: string;
let indexedAt: number;
beforeAll(async () => {
  corpus = await temporaryFolder('verbatim-export-corpus-');
  store = await temporaryFolder('verbatim-export-store-');
  await writeDamCorpus(corpus);
  indexedAt = Date.now();
  const run = await verbatim(['index']);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(async () => Promise.all([corpus, store].map((dir) => dir && fs.rm(dir, { recursive: true, force: true }))));

function verbatim(args: string[], input = '') {
  return runCliInProcess([...args, '--corpus', corpus, '--store', store], { MODEL_DIR }, input);
}

/** A CSL item as citation-js holds it (only what the tests read). */
interface CslRead {
  type: string;
  title?: string;
  note: string & string[];
  author?: unknown;
  issued: { 'date-parts': number[][] };
  accessed: { 'date-parts': number[][] };
  custom: { path: string; start: number; end: number; sha256: string };
}

const QUESTIONS = ['Why is the Riverside dam being repaired?', 'How much will the dam repairs cost?'];
const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

/** The hash names the exact bytes of `fileText.slice(start, end)` of the file the export cites. */
async function expectProof(file: string, start: number, end: number, hash: string, text?: string) {
  const slice = (await fs.readFile(path.join(corpus, file), 'utf8')).slice(start, end);
  expect(hash).toBe(sha256(slice));
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  if (text !== undefined) expect(text).toBe(slice);
}

describe('ask --format csv', () => {
  it('writes one RFC 4180 table for the whole run, each row an exact, hashed quote with its citation', async () => {
    const run = await verbatim(['ask', '--format', 'csv'], QUESTIONS.join('\n'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\r\n')[0]).toBe('question,rank,text,sha256,start,end,collection,path,title,outlet,author,url,published,retrieved,also_reported_by');
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.question))).toEqual(new Set(QUESTIONS));
    for (const row of rows) await expectProof(row.path!, Number(row.start), Number(row.end), row.sha256!, row.text);
    const herald = rows.find((r) => r.path === 'dam-herald.txt')!;
    expect(herald).toMatchObject({ collection: 'default', title: 'Riverside dam repairs begin', outlet: 'Valley Herald', author: 'Anna Berg', url: 'https://valley.example/news/dam', published: '2025-03-04' });
    for (const row of rows) {
      const retrieved = Date.parse(row.retrieved!);
      expect(retrieved).toBeGreaterThanOrEqual(indexedAt - 1000);
      expect(retrieved).toBeLessThanOrEqual(Date.now());
      expect(row.also_reported_by).toMatch(/^(0|\d+: .+)$/);
    }
    // The Courier says the same about the cracks: the quote names it as also reporting.
    const cracks = rows.find((r) => /cracks/.test(r.text!) && Number(r.also_reported_by!.split(':')[0]) > 0);
    expect(cracks?.also_reported_by).toMatch(/^1: (Riverside Courier|Valley Herald)$/);
    expect(rows.filter((r) => r.question === QUESTIONS[0]).map((r) => Number(r.rank))).toEqual(rows.filter((r) => r.question === QUESTIONS[0]).map((_, i) => i + 1));
  });

  it('exports a comparison, and refuses an unknown format or --json beside --format', async () => {
    const run = await verbatim(['compare', '--format', 'csv', 'dam repairs']);
    expect(run.code, run.stderr).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) await expectProof(row.path!, Number(row.start), Number(row.end), row.sha256!, row.text);
    expect((await verbatim(['ask', '--format', 'xml', 'dam'])).code).toBe(2);
    const both = await verbatim(['ask', '--json', '--format', 'csv', 'dam']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json or --format/);
  });
});

describe('ask --format csljson', () => {
  it('validates against the CSL-JSON data model and imports into citation-js with its quote and proof', async () => {
    const run = await verbatim(['ask', '--format', 'csljson'], QUESTIONS.join('\n'));
    expect(run.code, run.stderr).toBe(0);
    const items = JSON.parse(run.stdout) as Record<string, unknown>[];
    const schema = JSON.parse(await fs.readFile(path.join(PROJECT_ROOT, 'tests/fixtures/csl-item.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    const valid = ajv.validate(schema, items);
    expect(ajv.errors ?? [], JSON.stringify(ajv.errors)).toEqual([]);
    expect(valid).toBe(true);
    // The check can fail: a field CSL does not know is refused.
    expect(ajv.validate(schema, [{ ...items[0], sha256: 'x' }])).toBe(false);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const cite = await Cite.async(items);
    expect(cite.data).toHaveLength(items.length);
    for (const item of cite.data as CslRead[]) {
      expect(item.type).toBe('article-newspaper');
      await expectProof(item.custom.path, item.custom.start, item.custom.end, item.custom.sha256, item.note);
      if (item.custom.path === 'dam-herald.txt') {
        expect(item).toMatchObject({ title: 'Riverside dam repairs begin', 'container-title': 'Valley Herald', URL: 'https://valley.example/news/dam', issued: { 'date-parts': [[2025, 3, 4]] } });
        expect(item.author).toEqual([{ literal: 'Anna Berg' }]);
      }
      expect(item.accessed['date-parts'][0]).toHaveLength(3);
    }
    // A reference manager can format it: citation-js writes it back out as RIS.
    expect(cite.format('ris')).toMatch(/TY {2}- NEWS/);
  });
});

describe('ask --format ris', () => {
  it('reads back with citation-js RIS parser: one NEWS record per quote, the quote and its proof in N1', async () => {
    const run = await verbatim(['ask', '--format', 'ris'], QUESTIONS.join('\n'));
    expect(run.code, run.stderr).toBe(0);
    const csv = parse((await verbatim(['ask', '--format', 'csv'], QUESTIONS.join('\n'))).stdout, { columns: true }) as Record<string, string>[];
    const records = (await Cite.async(run.stdout)).data as CslRead[];
    expect(records).toHaveLength(csv.length);
    for (const record of records) {
      expect(record.type).toBe('article-newspaper');
      const [quote, proof] = record.note;
      const match = /^sha256:([0-9a-f]{64}) start:(\d+) end:(\d+) path:(.+)$/.exec(proof!);
      expect(match, proof).not.toBeNull();
      await expectProof(match![4]!, Number(match![2]), Number(match![3]), match![1]!);
      // A RIS value is one line: a quote across a line break continues on the next line, which readers join with a space.
      const slice = (await fs.readFile(path.join(corpus, match![4]!), 'utf8')).slice(Number(match![2]), Number(match![3]));
      expect(quote).toBe(slice.includes('\n') ? slice.replace(/\s*\n\s*/g, ' ') : slice);
      if (match![4] === 'dam-herald.txt') {
        expect(record).toMatchObject({ title: 'Riverside dam repairs begin', 'container-title': 'Valley Herald', URL: 'https://valley.example/news/dam' });
        expect(record.issued['date-parts'][0]?.[0]).toBe(2025);
      }
    }
    expect(run.stdout).toMatch(/^DA {2}- 2025\/03\/04\/$/m);
    expect(run.stdout).toMatch(/^AU {2}- Anna Berg$/m);
  });
});

describe('retrieved', () => {
  it('is when the document\'s bytes entered the index: kept through a sidecar edit, renewed by new text', async () => {
    const retrievedOf = async () => {
      const run = await verbatim(['sources', '--json']);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { path: string; retrieved?: string; author: string | null }[]).find((s) => s.path === 'dam-herald.txt')!;
    };
    const before = await retrievedOf();
    expect(before.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const sidecar = path.join(corpus, 'dam-herald.meta.json');
    await fs.writeFile(sidecar, JSON.stringify({ ...JSON.parse(await fs.readFile(sidecar, 'utf8')), author: 'Anna Berg-Olsen' }));
    const edited = await retrievedOf();
    expect(edited.author).toBe('Anna Berg-Olsen');
    expect(edited.retrieved).toBe(before.retrieved);
    await fs.appendFile(path.join(corpus, 'dam-herald.txt'), 'The water board will publish weekly updates.\n');
    const renewed = await retrievedOf();
    expect(Date.parse(renewed.retrieved!)).toBeGreaterThan(Date.parse(before.retrieved!));
  });
});
