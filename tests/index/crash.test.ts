/**
 * Crash safety: a writer or a merger killed (SIGKILL, a real child process) at any moment loses no
 * document a write reported as added, the store always opens, and every view shows whole batches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openStore } from '../../src/index/backend.js';
import { readManifest } from '../../src/index/embedded/manifest.js';
import type { IndexView } from '../../src/index/store.js';
import { SYNTHETIC, syntheticDocument, syntheticText } from '../helpers/synthetic.js';
import { foldersRemovedAfterAll, temporaryFolder } from '../helpers/seeds.js';

const folders = foldersRemovedAfterAll();

const PER_BATCH = 4;
const PASSAGES = 3;

function child(...args: string[]): { process: ChildProcess; lines: string[]; exited: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'tests', 'helpers', 'store-child.ts'), ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  return { process: proc, lines, exited: new Promise((resolve) => proc.once('exit', () => resolve())) };
}

/** Documents present after the first `batches` batches written from document `from`. */
function expectedAfter(from: number, batches: number): string[] {
  const present = new Set<string>();
  for (let b = 0; b < batches; b += 1) {
    const n = from + b * PER_BATCH;
    for (let i = n; i < n + PER_BATCH; i += 1) present.add(`doc-${i}.txt`);
    if (b > 0) present.delete(`doc-${n - PER_BATCH}.txt`);
  }
  return [...present].sort();
}

/** Every document of the view is whole: its text, its passages, and found by a word of its own. */
function checkWhole(view: IndexView): string[] {
  const paths: string[] = [];
  for (const doc of view.documentNumbers()) {
    const record = view.document(doc);
    const n = Number(/doc-(\d+)/.exec(record.path)![1]);
    expect(view.text(doc)).toBe(syntheticText(n, PASSAGES * 3 + 1));
    const [first, end] = view.passageRange(doc);
    expect(end - first).toBe(PASSAGES);
    expect(view.searchWords(`docword${n}`, 5).map((h) => view.passage(h.passage).doc)).toContain(doc);
    paths.push(record.path);
  }
  return paths.sort();
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const unfinished = async (store: string) => (await fs.readdir(path.join(store, 'index', 'segments')).catch(() => [])).some((n) => n.startsWith('.tmp-'));

describe('a writer killed at any moment', () => {
  it('loses nothing it reported as added, and the store opens with whole batches only', async () => {
    const store = await temporaryFolder('verbatim-crash-');
    folders.push(store);
    let from = 0;
    // Kill points: while a segment is being written, and at random moments after a batch.
    const kills: (number | 'while-writing')[] = ['while-writing', 0, 40, 90, 150, 'while-writing', 250];
    for (const kill of kills) {
      const run = child('write', store, String(from), String(PER_BATCH * 40), String(PER_BATCH), String(PASSAGES));
      await until(() => run.lines.length > 0);
      if (kill === 'while-writing') await until(() => unfinished(store));
      else await new Promise((resolve) => setTimeout(resolve, kill));
      run.process.kill('SIGKILL');
      await run.exited;
      const reported = run.lines.length;
      expect(reported, 'the writer finished before it was killed').toBeLessThan(40);

      const view = await openStore(store).view();
      const present = checkWhole(view).filter((p) => Number(/doc-(\d+)/.exec(p)![1]) >= from);
      // The batches it reported, and perhaps the one it committed but had no time to report.
      expect([expectedAfter(from, reported), expectedAfter(from, reported + 1)]).toContainEqual(present);
      view.close();
      from += PER_BATCH * 40;
    }
    // The next writer takes over the dead writer's lock and clears its unfinished segment.
    await openStore(store).write({ settings: SYNTHETIC, add: [syntheticDocument(100_000, PASSAGES)] });
    expect(await unfinished(store)).toBe(false);
  });
});

describe('a merge killed at any moment', () => {
  it('leaves the store open with every document, and a later merge completes', async () => {
    const store = await temporaryFolder('verbatim-crash-merge-');
    folders.push(store);
    const writer = openStore(store);
    // Segments big enough that building the merged graph takes a while.
    for (let s = 0; s < 10; s += 1) {
      await writer.write({ settings: SYNTHETIC, add: Array.from({ length: 20 }, (_, i) => syntheticDocument(s * 20 + i, PASSAGES)) });
    }
    await writer.write({ settings: SYNTHETIC, remove: ['doc-3.txt', 'doc-77.txt'] });
    const all = checkWhole(await writer.view());
    expect(all).toHaveLength(198);
    const segmentsBefore = (await readManifest(store))!.manifest.segments.length;
    expect(segmentsBefore).toBe(10);

    for (const delay of ['while-writing', 0, 30, 'while-writing'] as const) {
      const run = child('merge', store);
      await until(() => run.lines.length > 0);
      if (delay === 'while-writing') await until(() => unfinished(store));
      else await new Promise((resolve) => setTimeout(resolve, delay));
      run.process.kill('SIGKILL');
      await run.exited;
      expect(run.lines, 'the merge finished before it was killed').not.toContain('merged');
      const view = await openStore(store).view();
      expect(checkWhole(view)).toEqual(all);
      view.close();
    }
    expect((await readManifest(store))!.manifest.segments.length).toBe(segmentsBefore);

    const run = child('merge', store);
    await run.exited;
    expect(run.lines).toContain('merged');
    expect((await readManifest(store))!.manifest.segments).toHaveLength(1);
    expect(checkWhole(await openStore(store).view())).toEqual(all);
    expect(await unfinished(store)).toBe(false);
  });
});

describe('answering during writes', () => {
  it('every view opened while another process writes shows whole batches', async () => {
    const store = await temporaryFolder('verbatim-crash-views-');
    folders.push(store);
    const run = child('write', store, '0', String(PER_BATCH * 30), String(PER_BATCH), String(PASSAGES));
    await until(async () => (await readManifest(store).catch(() => null)) !== null);
    let views = 0;
    while (run.process.exitCode === null) {
      const view = await openStore(store).view();
      const present = checkWhole(view);
      const batches = Math.max(0, ...Array.from({ length: 31 }, (_, b) => (JSON.stringify(expectedAfter(0, b)) === JSON.stringify(present) ? b : -1)));
      expect(JSON.stringify(expectedAfter(0, batches))).toBe(JSON.stringify(present));
      view.close();
      views += 1;
    }
    await run.exited;
    expect(run.lines).toHaveLength(30);
    expect(views).toBeGreaterThan(3);
  });
});
