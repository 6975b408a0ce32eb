/** `verbatim timeline`: a topic's coverage per period, retellings apart, the first report marked, drawn as a 1200×600 PNG. */
import { beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../src/config.js';
import { openSearcher } from '../../src/answer/open.js';
import type { Searcher } from '../../src/answer/searcher.js';
import { timelineOf } from '../../src/answer/timeline.js';
import { resolveFilter } from '../../src/answer/filter.js';
import { runCli } from '../../src/cli/run.js';
import { timelineFileName } from '../../src/cli/timeline.js';
import { coverageTimeline, periodStart } from '../../src/coverage/timeline.js';
import { foldersRemovedAfterAll, MODEL_DIR, MODEL_NAME, temporaryFolder } from '../helpers/seeds.js';

const CORPUS = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'timeline-corpus');
const folders = foldersRemovedAfterAll();
let store: string;
let searcher: Searcher;
beforeAll(async () => {
  store = await temporaryFolder('verbatim-timeline-');
  folders.push(store);
  searcher = await openSearcher({ corpusDir: CORPUS, storeDir: store, modelDir: MODEL_DIR, modelName: MODEL_NAME });
});

/** Decodes a PNG's header and pixel data (8-bit RGBA or RGB), failing on anything malformed. */
function decodePng(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8]).toBe(8);
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
    }
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  expect(channels).toBeGreaterThan(0);
  expect(inflateSync(Buffer.concat(data)).length).toBe(height * (1 + width * channels));
  return { width, height };
}

describe('coverage over time', () => {
  it('counts dated sources per period, retellings apart, and finds the first independent report', async () => {
    const timeline = await timelineOf(searcher, 'Kell bridge closure');
    expect(timeline.unit).toBe('day');
    expect(timeline.first?.source.id).toBe('kell-closure-report');
    const retellings = timeline.entries.filter((e) => e.retelling).map((e) => e.source.id).sort();
    expect(retellings).toEqual(['kell-closure-republished', 'kell-closure-rewrite']);
    expect(timeline.undated).toBe(1);
    expect(timeline.bins[0]).toEqual({ start: '2025-04-07', reports: 1, retellings: 0 });
    expect(timeline.bins.find((b) => b.start === '2025-04-09')).toEqual({ start: '2025-04-09', reports: 1, retellings: 1 });
    expect(timeline.bins.reduce((n, b) => n + b.reports + b.retellings, 0)).toBe(timeline.entries.length);
    const within = await timelineOf(searcher, 'Kell bridge closure', { filter: resolveFilter({ since: '2025-04-10' })! });
    expect(within.entries.map((e) => e.source.id)).not.toContain('kell-closure-report');
    expect(within.filter?.undatedExcluded).toBe(1);
  });

  it('bins by week past two months and by month past about three years, empty periods included', () => {
    const entry = (day: string, retelling = false) => ({ source: day, day, retelling });
    const weeks = coverageTimeline([entry('2025-01-01'), entry('2025-03-20', true), entry('2025-03-21')]);
    expect(weeks.unit).toBe('week');
    expect(weeks.bins[0]!.start).toBe('2024-12-30');
    expect(weeks.bins.at(-1)).toEqual({ start: '2025-03-17', reports: 1, retellings: 1 });
    expect(coverageTimeline([entry('2020-01-15'), entry('2025-06-01')]).bins).toHaveLength(66);
    expect(periodStart('2025-03-09', 'week')).toBe('2025-03-03');
  });

  it('writes timeline-<slug>.png, 1200×600, in the current folder unless --out says otherwise, and prints its path', async () => {
    const cwd = await temporaryFolder('verbatim-timeline-out-');
    folders.push(cwd);
    let printed = '';
    const stdout = new PassThrough().on('data', (d) => (printed += d));
    const stdin = new PassThrough();
    stdin.end();
    const code = await runCli(['timeline', '--corpus', CORPUS, '--store', store, 'Kell bridge closure'], { stdin, stdout, stderr: new PassThrough(), env: {}, cwd });
    expect(code).toBe(0);
    const file = path.join(cwd, 'timeline-kell-bridge-closure.png');
    expect(printed.trim()).toBe(file);
    expect(decodePng(await fs.readFile(file))).toEqual({ width: 1200, height: 600 });
    const out = path.join(cwd, 'charts', 'kell.png');
    const again = await runCli(['timeline', '--out', out, '--corpus', CORPUS, '--store', store, 'Kell bridge closure'], { stdin, stdout, stderr: new PassThrough(), env: {}, cwd });
    expect(again).toBe(0);
    expect(decodePng(await fs.readFile(out))).toEqual({ width: 1200, height: 600 });
    expect(timelineFileName('Territory held in Kursk?')).toBe('timeline-territory-held-in-kursk.png');
  });
});
