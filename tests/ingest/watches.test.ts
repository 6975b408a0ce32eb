/** The watch list: Discord watches carry their server and channel, removal is per server, and changes made at once are all kept. */
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WatchList } from '../../src/ingest/watches.js';
import { temporaryFolder } from '../helpers/seeds.js';

let dir: string;
beforeAll(async () => {
  dir = await temporaryFolder('verbatim-watches-');
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('WatchList', () => {
  it('keeps every watch added at once, with its place, and removes one only for its server', async () => {
    const list = WatchList.in(dir);
    const place = { guildId: '111', channelId: '222' };
    const added = await Promise.all(['a', 'b', 'c', 'd'].map((topic, i) => list.add(topic, new Date(), i % 2 === 0 ? place : undefined)));
    expect((await list.load()).map((w) => w.topic)).toEqual(['a', 'b', 'c', 'd']);
    expect(added[0]).toMatchObject(place);
    expect(added[1]!.channelId).toBeUndefined();
    await expect(list.remove(added[0]!.id, '999')).rejects.toMatchObject({ code: 'WATCH_NOT_FOUND' });
    await expect(list.remove(added[1]!.id, '111')).rejects.toMatchObject({ code: 'WATCH_NOT_FOUND' });
    expect((await list.remove(added[0]!.id, '111')).topic).toBe('a');
    await expect(list.add('  ')).rejects.toMatchObject({ code: 'WATCH_TOPIC_EMPTY' });
  });

  it('records checks without undoing a removal made meanwhile', async () => {
    const list = WatchList.in(dir);
    const [first, second] = await list.load();
    const removing = list.remove(first!.id);
    await list.recordChecks(new Map([[first!.id, { checkedAt: '2030-01-01T00:00:00.000Z', posted: ['x'] }], [second!.id, { checkedAt: '2030-01-01T00:00:00.000Z', posted: ['y'] }]]));
    await removing;
    const left = await list.load();
    expect(left.map((w) => w.id)).not.toContain(first!.id);
    expect(left.find((w) => w.id === second!.id)).toMatchObject({ lastCheckedAt: '2030-01-01T00:00:00.000Z', posted: ['y'] });
  });
});
