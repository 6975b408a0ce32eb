/**
 * A collection's state document (feeds, watches) as one row of `collection_state`. A change is
 * one transaction holding the row's lock from the read to the write, so changes from any number
 * of processes land one after another and none is lost.
 */
import type * as z from 'zod';
import { createError } from '../../errors.js';
import { check } from '../../validate.js';
import type { StateChange, StateDocument } from '../state.js';
import { inTransaction, withClient } from './connection.js';
import { describeUrl } from './failures.js';

export class PostgresState<S extends z.ZodType> implements StateDocument<z.output<S>> {
  readonly location: string;

  constructor(
    private readonly url: string,
    private readonly collection: string,
    private readonly name: string,
    private readonly schema: S,
  ) {
    this.location = `${name} of collection ${collection} in PostgreSQL ${describeUrl(url)}`;
  }

  /** The stored value, checked as a file of the same kind would be (FILE_INVALID naming the field). */
  private checked(value: unknown): z.output<S> | undefined {
    if (value === null || value === undefined) return undefined;
    const result = check(this.schema, value);
    if (!result.ok) throw createError('FILE_INVALID', this.location, result.problem);
    return result.value;
  }

  load(): Promise<z.output<S> | undefined> {
    return withClient(this.url, async (client) => {
      const found = await client.query<{ value: unknown }>('SELECT value FROM collection_state WHERE collection = $1 AND name = $2', [this.collection, this.name]);
      return this.checked(found.rows[0]?.value);
    });
  }

  update<R>(change: (current: z.output<S> | undefined) => StateChange<z.output<S>, R>): Promise<R> {
    return inTransaction(this.url, async (client) => {
      const key = [this.collection, this.name];
      // The row exists before it is locked: a second process's insert waits for the first's commit, then finds it.
      await client.query('INSERT INTO collection_state (collection, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', key);
      const locked = await client.query<{ value: unknown }>('SELECT value FROM collection_state WHERE collection = $1 AND name = $2 FOR UPDATE', key);
      const { value, result } = change(this.checked(locked.rows[0]?.value));
      await client.query('UPDATE collection_state SET value = $3, updated_at = now() WHERE collection = $1 AND name = $2', [...key, JSON.stringify(value)]);
      return result;
    });
  }
}
