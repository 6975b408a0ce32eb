/**
 * A collection's list of entries (followed feeds, watches) kept as one state document
 * (`{"<name>": [entries]}`, a file or a database row: see src/index/state.ts). Each entry holds a
 * capped list of keys (a feed's items seen, a watch's sentences posted) that a process claims
 * before acting on them, so that of several processes only one fetches an item or posts a sentence.
 */
import type { StateDocument } from '../index/state.js';

/** The fields of an entry that hold keys. */
type KeyLists<E> = { [K in keyof E]: E[K] extends string[] ? K : never }[keyof E];

export interface ClaimedListShape<E, N extends string> {
  /** The document's field that holds the entries. */
  name: N;
  /** The entry's field that holds its keys, and how many of the newest it keeps. */
  keys: KeyLists<E>;
  cap: number;
  /** An entry's identity (a feed's url, a watch's id). */
  idOf: (entry: E) => string;
}

export class ClaimedList<E, N extends string> {
  constructor(
    private readonly state: StateDocument<Record<N, E[]>>,
    private readonly shape: ClaimedListShape<E, N>,
  ) {}

  /** Where the list is kept (the file, or the database), for messages. */
  get location(): string {
    return this.state.location;
  }

  /** The entries; none when the list was never written. A broken one is FILE_INVALID, naming the field. */
  async load(): Promise<E[]> {
    return (await this.state.load())?.[this.shape.name] ?? [];
  }

  /** Loads, changes and saves the list as one step: no other change lands in between (in the database, from any process). */
  update<T>(change: (entries: E[]) => { entries: E[]; result: T }): Promise<T> {
    const { name, keys, cap } = this.shape;
    return this.state.update((current) => {
      const { entries, result } = change(current?.[name] ?? []);
      const capped = entries.map((entry) => ({ ...entry, [keys]: (entry[keys] as string[]).slice(-cap) }));
      return { value: { [name]: capped } as Record<N, E[]>, result };
    });
  }

  /**
   * Claims keys for the entry `id`, returning those this caller newly claimed: keys it already
   * holds (claimed by another process too) are left out. None for an entry removed meanwhile.
   */
  claim(id: string, claims: readonly string[]): Promise<string[]> {
    const { keys, idOf } = this.shape;
    return this.update((entries) => {
      const entry = entries.find((e) => idOf(e) === id);
      if (!entry) return { entries, result: [] };
      const held = entry[keys] as string[];
      const taken = new Set(held);
      const claimed = [...new Set(claims)].filter((key) => !taken.has(key));
      return { entries: entries.map((e) => (e === entry ? { ...e, [keys]: [...held, ...claimed] } : e)), result: claimed };
    });
  }

  /** Gives claimed keys back (what they were claimed for failed): a later claim gets them again. */
  release(id: string, claims: readonly string[]): Promise<void> {
    const { keys, idOf } = this.shape;
    const released = new Set(claims);
    return this.update((entries) => ({
      entries: entries.map((e) => (idOf(e) === id ? { ...e, [keys]: (e[keys] as string[]).filter((key) => !released.has(key)) } : e)),
      result: undefined,
    }));
  }
}
