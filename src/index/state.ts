/**
 * A collection's state documents (its feed list, its watches): one JSON value each, checked
 * against its schema whenever it is read. Kept as a file in the collection's store folder, or as
 * a row of the database when the index lives there (src/index/postgres/state.ts), so that every
 * process sees the same list; `openState` in backend.ts chooses.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod';
import { readJsonFile, writeJsonFile } from '../files.js';

/** What a change returns: the document to keep, and what the caller wants back. */
export interface StateChange<T, R> {
  value: T;
  result: R;
}

export interface StateDocument<T> {
  /** Where it is kept, for messages: a file, or the database and the document's name. */
  readonly location: string;
  /** The document; undefined when it was never written. A broken one is FILE_INVALID, naming the field. */
  load(): Promise<T | undefined>;
  /**
   * Reads, changes and writes the document as one step: no other change (from this process or,
   * in the database, any other) lands between the read and the write, so none is lost. `change`
   * is synchronous, so nothing slow happens while others wait; if it throws, nothing is written.
   */
  update<R>(change: (current: T | undefined) => StateChange<T, R>): Promise<R>;
}

/** Changes to one file, one at a time within this process. */
const pending = new Map<string, Promise<unknown>>();

/** A state document as `<storeDir>/<name>.json`, written whole or not at all. */
export class FileState<S extends z.ZodType> implements StateDocument<z.output<S>> {
  readonly location: string;

  constructor(
    storeDir: string,
    name: string,
    private readonly schema: S,
  ) {
    this.location = path.join(storeDir, `${name}.json`);
  }

  load(): Promise<z.output<S> | undefined> {
    return readJsonFile(this.location, this.schema);
  }

  update<R>(change: (current: z.output<S> | undefined) => StateChange<z.output<S>, R>): Promise<R> {
    const file = this.location;
    const run = (pending.get(file) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      const { value, result } = change(await this.load());
      await writeJsonFile(file, value);
      return result;
    });
    pending.set(file, run);
    void run.finally(() => pending.get(file) === run && pending.delete(file)).catch(() => undefined);
    return run;
  }
}

/**
 * A state document kept elsewhere (the database) whose changes still create the store folder, as
 * writing the file would: a collection's folder is what says that it exists (src/collections.ts),
 * so following a feed or watching a topic creates the collection with either backend.
 */
export function creatingFolder<T>(state: StateDocument<T>, folder: string): StateDocument<T> {
  return {
    location: state.location,
    load: () => state.load(),
    async update<R>(change: (current: T | undefined) => StateChange<T, R>): Promise<R> {
      await fs.mkdir(folder, { recursive: true });
      return state.update(change);
    },
  };
}
