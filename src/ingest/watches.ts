/**
 * The watched topics, in `<store>/watches.json` (or, with `DATABASE_URL`, the same document in the
 * database): `{"watches": [{"id", "topic", "addedAt", "lastCheckedAt", "posted", "guildId"?,
 * "channelId"?}]}` (a watch made in Discord names the server and channel it posts to; one made on
 * the command line has neither). A document is new to a watch when it entered the index (its
 * `retrieved`) after the watch's last check; `posted` holds the keys of the sentences already
 * reported (claimed before they are posted), so a sentence is reported once per watch, even when
 * its document is re-indexed or several processes check the watch.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { DEFAULT_COLLECTION } from '../collections.js';
import { createError } from '../errors.js';
import { openState } from '../index/backend.js';
import type { StateDocument } from '../index/state.js';
import { ClaimedList } from './claimed-list.js';

const watchSchema = z.object({
  id: z.string().regex(/^[a-z0-9]{1,16}$/, { error: 'is not a watch id (a-z and 0-9)' }),
  topic: z.string().min(1, { error: 'is empty' }),
  addedAt: z.iso.datetime({ offset: true, error: 'is not an ISO 8601 time' }),
  lastCheckedAt: z.iso.datetime({ offset: true, error: 'is not an ISO 8601 time' }),
  posted: z.array(z.string()).default([]),
  guildId: z.string().regex(/^\d{1,20}$/, { error: 'is not a Discord id' }).optional(),
  channelId: z.string().regex(/^\d{1,20}$/, { error: 'is not a Discord id' }).optional(),
});

const watchesFileSchema = z.object({ watches: z.array(watchSchema).default([]) });

export type Watch = z.output<typeof watchSchema>;

/** Keys of posted sentences kept per watch (the oldest go first). */
const POSTED_CAP = 5000;

type WatchesFile = z.output<typeof watchesFileSchema>;

/** The later of two ISO times: a check never moves a watch back (another process may have checked it further). */
const later = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? b : a);

export class WatchList extends ClaimedList<Watch, 'watches'> {
  constructor(state: StateDocument<WatchesFile>) {
    super(state, { name: 'watches', keys: 'posted', cap: POSTED_CAP, idOf: (watch) => watch.id });
  }

  /** A collection's watches: `<storeDir>/watches.json`, or its row in the database with `DATABASE_URL`. */
  static in(storeDir: string, collection: string = DEFAULT_COLLECTION): WatchList {
    return new WatchList(openState(storeDir, collection, 'watches', watchesFileSchema));
  }

  /** Starts watching a topic (for a Discord channel: `place`): documents that entered the index before now are not new to it. */
  async add(topic: string, now = new Date(), place?: { guildId: string; channelId: string }): Promise<Watch> {
    if (!topic.trim()) throw createError('WATCH_TOPIC_EMPTY');
    const watch: Watch = { id: randomBytes(4).toString('hex'), topic, addedAt: now.toISOString(), lastCheckedAt: now.toISOString(), posted: [], ...place };
    return this.update((watches) => ({ entries: [...watches, watch], result: watch }));
  }

  /** Removes a watch; with `guildId`, only one made in that server (any other is WATCH_NOT_FOUND, as an unknown id is). */
  remove(id: string, guildId?: string): Promise<Watch> {
    return this.update((watches) => {
      const found = watches.find((w) => w.id === id && (guildId === undefined || w.guildId === guildId));
      if (!found) throw createError('WATCH_NOT_FOUND', id);
      return { entries: watches.filter((w) => w !== found), result: found };
    });
  }

  /** Records a check of each watch named: checked up to `checkedAt`, these sentence keys posted (watches removed meanwhile stay removed). */
  recordChecks(checks: ReadonlyMap<string, { checkedAt: string; posted: readonly string[] }>): Promise<void> {
    return this.update((watches) => ({
      entries: watches.map((w) => {
        const check = checks.get(w.id);
        return check ? { ...w, lastCheckedAt: later(w.lastCheckedAt, check.checkedAt), posted: [...w.posted, ...check.posted.filter((key) => !w.posted.includes(key))] } : w;
      }),
      result: undefined,
    }));
  }
}
