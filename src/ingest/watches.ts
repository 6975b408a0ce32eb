/**
 * The watched topics, in `<store>/watches.json`: `{"watches": [{"id", "topic", "addedAt",
 * "lastCheckedAt", "posted"}]}`. A document is new to a watch when it entered the index (its
 * `retrieved`) after the watch's last check; `posted` holds the keys of the sentences already
 * reported, so a sentence is reported once per watch, even when its document is re-indexed.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { createError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { checkJson } from '../validate.js';

const watchSchema = z.object({
  id: z.string().regex(/^[a-z0-9]{1,16}$/, { error: 'is not a watch id (a-z and 0-9)' }),
  topic: z.string().min(1, { error: 'is empty' }),
  addedAt: z.iso.datetime({ offset: true, error: 'is not an ISO 8601 time' }),
  lastCheckedAt: z.iso.datetime({ offset: true, error: 'is not an ISO 8601 time' }),
  posted: z.array(z.string()).default([]),
});

const watchesFileSchema = z.object({ watches: z.array(watchSchema).default([]) });

export type Watch = z.output<typeof watchSchema>;

/** Keys of posted sentences kept per watch (the oldest go first). */
const POSTED_CAP = 5000;

export class WatchList {
  constructor(readonly file: string) {}

  static in(storeDir: string): WatchList {
    return new WatchList(path.join(storeDir, 'watches.json'));
  }

  /** The watches; none when the file does not exist yet. A broken file is FILE_INVALID, naming the field. */
  async load(): Promise<Watch[]> {
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    const checked = checkJson(watchesFileSchema, raw);
    if (!checked.ok) throw createError('FILE_INVALID', this.file, checked.problem);
    return checked.value.watches;
  }

  async save(watches: readonly Watch[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const trimmed = watches.map((w) => ({ ...w, posted: w.posted.slice(-POSTED_CAP) }));
    await writeFileAtomic(this.file, `${JSON.stringify({ watches: trimmed }, null, 2)}\n`);
  }

  /** Starts watching a topic: documents that entered the index before now are not new to it. */
  async add(topic: string, now = new Date()): Promise<Watch> {
    const watches = await this.load();
    const watch: Watch = { id: randomBytes(4).toString('hex'), topic, addedAt: now.toISOString(), lastCheckedAt: now.toISOString(), posted: [] };
    await this.save([...watches, watch]);
    return watch;
  }

  async remove(id: string): Promise<Watch> {
    const watches = await this.load();
    const found = watches.find((w) => w.id === id);
    if (!found) throw createError('WATCH_NOT_FOUND', id);
    await this.save(watches.filter((w) => w !== found));
    return found;
  }
}
