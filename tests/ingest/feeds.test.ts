/** The feed list (feeds.json): read through its schema, and a broken one named in one line. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { FeedList } from '../../src/ingest/feeds.js';
import { foldersRemovedAfterAll, temporaryFolder } from '../helpers/seeds.js';

const folders = foldersRemovedAfterAll();

async function feedListWith(contents: string): Promise<FeedList> {
  const store = await temporaryFolder('verbatim-feeds-');
  folders.push(store);
  await fs.writeFile(path.join(store, 'feeds.json'), contents);
  return FeedList.in(store);
}

/** The one-line FILE_INVALID message for a feeds.json holding `contents`. */
async function problem(contents: unknown): Promise<string> {
  const feeds = await feedListWith(typeof contents === 'string' ? contents : JSON.stringify(contents));
  const error = await feeds.load().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'FILE_INVALID', kind: 'user' });
  return (error as Error).message.replace(feeds.location, 'feeds.json');
}

describe('feeds.json', () => {
  it('is empty when missing, and reads what save wrote', async () => {
    const feeds = await feedListWith('');
    await fs.rm(feeds.location);
    expect(await feeds.load()).toEqual([]);
    const entry = { url: 'https://example.org/rss.xml', title: 'Example', addedAt: '2025-03-01T10:00:00.000Z', lastPolledAt: null, seen: ['a', 'b'] };
    await feeds.save([entry]);
    expect(await feeds.load()).toEqual([entry]);
  });

  it('fills in what a hand-written entry leaves out', async () => {
    const feeds = await feedListWith(JSON.stringify({ feeds: [{ url: 'https://example.org/atom.xml' }] }));
    expect(await feeds.load()).toEqual([
      { url: 'https://example.org/atom.xml', title: null, addedAt: expect.any(String), lastPolledAt: null, seen: [] },
    ]);
    expect(await (await feedListWith('{}')).load()).toEqual([]);
  });

  it('names the file and the field of a broken one in one line', async () => {
    expect(await problem('{"feeds": [')).toMatch(/^Cannot use feeds\.json: not valid JSON \(.+\)\.$/);
    expect(await problem([])).toBe('Cannot use feeds.json: expected an object, found a list.');
    expect(await problem({ feeds: {} })).toBe('Cannot use feeds.json: feeds: expected a list, found an object.');
    expect(await problem({ feeds: [{ title: 'No address' }] })).toBe('Cannot use feeds.json: feeds[0].url: is missing.');
    expect(await problem({ feeds: [{ url: 'https://a.example/rss' }, { url: 'file:///etc/passwd' }] })).toBe(
      'Cannot use feeds.json: feeds[1].url: "file:///etc/passwd" is not an http:// or https:// address.',
    );
    expect(await problem({ feeds: [{ url: 'https://a.example/rss', seen: 'all' }] })).toBe('Cannot use feeds.json: feeds[0].seen: expected a list, found a text.');
  });

  it('a broken one stops "verbatim feed list" with that line and exit 2', async () => {
    const feeds = await feedListWith(JSON.stringify({ feeds: [{ url: 42 }] }));
    let stderr = '';
    const sink = (write: (s: string) => void) => ({ write: (s: string) => (write(s), true) }) as unknown as NodeJS.WritableStream;
    const code = await runCli(['feed', 'list', '--store', path.dirname(feeds.location)], {
      stdin: process.stdin,
      stdout: sink(() => undefined),
      stderr: sink((s) => (stderr += s)),
      env: {},
    });
    expect(code).toBe(2);
    expect(stderr).toBe(`verbatim: Cannot use ${feeds.location}: feeds[0].url: 42 is not an http:// or https:// address. [FILE_INVALID]\n`);
  });
});
