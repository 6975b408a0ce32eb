/**
 * The watched topics, in `<store>/watches.json`: `{"watches": [{"id", "topic", "addedAt",
 * "lastCheckedAt", "posted", "guildId"?, "channelId"?}]}` (a watch made in Discord names the
 * server and channel it posts to; one made on the command line has neither). A document is new to a watch when it entered the index (its
 * `retrieved`) after the watch's last check; `posted` holds the keys of the sentences already
 * reported, so a sentence is reported once per watch, even when its document is re-indexed.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as z from 'zod';
import { createError } from '../errors.js';
import { readJsonFile, writeJsonFile } from '../files.js';

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

/** Changes to one file, one at a time within this process (a check's results never undo an add). */
const pending = new Map<string, Promise<unknown>>();

export class WatchList {
  constructor(readonly file: string) {}

  static in(storeDir: string): WatchList {
    return new WatchList(path.join(storeDir, 'watches.json'));
  }

  /** The watches; none when the file does not exist yet. A broken file is FILE_INVALID, naming the field. */
  async load(): Promise<Watch[]> {
    return (await readJsonFile(this.file, watchesFileSchema))?.watches ?? [];
  }

  async save(watches: readonly Watch[]): Promise<void> {
    await writeJsonFile(this.file, { watches: watches.map((w) => ({ ...w, posted: w.posted.slice(-POSTED_CAP) })) });
  }

  /** Loads, changes and saves the list, after any change still in progress on the same file. */
  update<T>(change: (watches: Watch[]) => { watches: Watch[]; result: T }): Promise<T> {
    const run = (pending.get(this.file) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      const { watches, result } = change(await this.load());
      await this.save(watches);
      return result;
    });
    pending.set(this.file, run);
    void run.finally(() => pending.get(this.file) === run && pending.delete(this.file)).catch(() => undefined);
    return run;
  }

  /** Starts watching a topic (for a Discord channel: `place`): documents that entered the index before now are not new to it. */
  async add(topic: string, now = new Date(), place?: { guildId: string; channelId: string }): Promise<Watch> {
    if (!topic.trim()) throw createError('WATCH_TOPIC_EMPTY');
    const watch: Watch = { id: randomBytes(4).toString('hex'), topic, addedAt: now.toISOString(), lastCheckedAt: now.toISOString(), posted: [], ...place };
    return this.update((watches) => ({ watches: [...watches, watch], result: watch }));
  }

  /** Removes a watch; with `guildId`, only one made in that server (any other is WATCH_NOT_FOUND, as an unknown id is). */
  remove(id: string, guildId?: string): Promise<Watch> {
    return this.update((watches) => {
      const found = watches.find((w) => w.id === id && (guildId === undefined || w.guildId === guildId));
      if (!found) throw createError('WATCH_NOT_FOUND', id);
      return { watches: watches.filter((w) => w !== found), result: found };
    });
  }

  /** Records a check of each watch named: checked up to `checkedAt`, these sentence keys posted (watches removed meanwhile stay removed). */
  recordChecks(checks: ReadonlyMap<string, { checkedAt: string; posted: readonly string[] }>): Promise<void> {
    return this.update((watches) => ({
      watches: watches.map((w) => {
        const check = checks.get(w.id);
        return check ? { ...w, lastCheckedAt: check.checkedAt, posted: [...w.posted, ...check.posted] } : w;
      }),
      result: undefined,
    }));
  }
}
