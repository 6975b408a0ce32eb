/**
 * What the bot keeps besides the index, in PostgreSQL (tests/harness/postgres-setup.ts gives the
 * server): a state document changed at once by two processes (two separate pools) loses no
 * change; a broken one is named in one line; answers behind buttons are found by key and scope
 * only, and pruned by count and age; an unreachable database is one clear line.
 */
import pg from 'pg';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState } from '../../src/index/backend.js';
import { PostgresAnswers } from '../../src/index/postgres/answers.js';
import { PostgresState } from '../../src/index/postgres/state.js';
import { dropDatabases, freshDatabase } from '../helpers/postgres.js';

const itemsSchema = z.object({ items: z.array(z.string()).default([]) });
let url: string;

/** The same database under another connection string: poolOf keeps one pool per string, so this is a second pool, as a second process has. */
const otherPool = (database: string, name: string) => `${database}${database.includes('?') ? '&' : '?'}application_name=${name}`;

async function sql(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  url = await freshDatabase();
});
afterAll(async () => {
  await dropDatabases();
});

describe('a state document in the database', () => {
  it('keeps every change when two processes change it at once', async () => {
    const [first, second] = ['one', 'two'].map((name) => new PostgresState(otherPool(url, name), 'news', 'items', itemsSchema));
    expect(await first!.load()).toBeUndefined();
    const append = (state: PostgresState<typeof itemsSchema>, item: string) =>
      state.update((current) => {
        const items = current?.items ?? [];
        return { value: { items: [...items, item] }, result: items.length };
      });
    const seenBefore = await Promise.all(Array.from({ length: 30 }, (_, i) => append(i % 2 ? first! : second!, `item-${i}`)));
    const { items } = (await first!.load())!;
    expect(items).toHaveLength(30);
    expect([...items].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `item-${i}`).sort());
    // Each change saw every change before it: the counts seen are 0…29, each once.
    expect([...seenBefore].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // Another collection, or another name, is another document.
    expect(await new PostgresState(url, 'other', 'items', itemsSchema).load()).toBeUndefined();
    expect(await new PostgresState(url, 'news', 'feeds', itemsSchema).load()).toBeUndefined();
  });

  it('writes nothing when a change throws', async () => {
    const state = new PostgresState(url, 'throws', 'items', itemsSchema);
    await state.update(() => ({ value: { items: ['kept'] }, result: undefined }));
    await expect(
      state.update(() => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await state.load()).toEqual({ items: ['kept'] });
  });

  it('checks what it reads with the schema, naming the field in one line', async () => {
    await sql(`INSERT INTO collection_state (collection, name, value) VALUES ('broken', 'items', '{"items": "all"}')`);
    const state = new PostgresState(url, 'broken', 'items', itemsSchema);
    await expect(state.load()).rejects.toMatchObject({ code: 'FILE_INVALID', message: expect.stringMatching(/^Cannot use items of collection broken in PostgreSQL .+: items: expected a list, found a text\.$/) });
    await expect(state.update((current) => ({ value: current!, result: undefined }))).rejects.toMatchObject({ code: 'FILE_INVALID' });
  });

  it('is chosen by DATABASE_URL in one place: a file without it, the database with it', async () => {
    expect(openState('/nowhere', 'news', 'items', itemsSchema, undefined).location).toBe('/nowhere/items.json');
    expect(openState('/nowhere', 'news', 'items', itemsSchema, url).location).toMatch(/^items of collection news in PostgreSQL 127\.0\.0\.1:\d+\/verbatim_test_\w+$/);
  });

  it('says in one line that the database cannot be reached', async () => {
    const state = new PostgresState('postgres://nobody@127.0.0.1:1/none', 'news', 'items', itemsSchema);
    await expect(state.load()).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
    await expect(state.update(() => ({ value: { items: [] }, result: undefined }))).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
  });
});

describe('answers in the database', () => {
  it('finds an answer by key and scope only, from any process', async () => {
    const here = new PostgresAnswers(otherPool(url, 'here'));
    const there = new PostgresAnswers(otherPool(url, 'there'));
    const json = JSON.stringify({ question: 'q', quotes: [{ text: 'Exact  text,\twith "quotes" and ünïcode\u2028.' }] });
    const key = await here.put(json, 'server-a');
    expect(key).toMatch(/^[A-Za-z0-9_-]{8}$/);
    // Kept as written, byte for byte.
    expect(await there.get(key, 'server-a')).toBe(json);
    expect(await there.get(key, 'server-b')).toBeUndefined();
    expect(await there.get('unknown1', 'server-a')).toBeUndefined();
  });

  it('keeps at most the newest `capacity` answers and none older than `maxAgeDays`', async () => {
    await sql('DELETE FROM answers');
    const answers = new PostgresAnswers(url, { capacity: 3, maxAgeDays: 30 });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(await answers.put(`{"n": ${i}}`, 's'));
    expect((await sql('SELECT count(*)::int AS n FROM answers')).rows[0].n).toBe(3);
    expect(await answers.get(keys[0]!, 's')).toBeUndefined();
    expect(await answers.get(keys[4]!, 's')).toBe('{"n": 4}');
    await sql(`UPDATE answers SET created_at = now() - interval '31 days' WHERE key = $1`, [keys[3]]);
    expect(await answers.get(keys[3]!, 's')).toBeUndefined();
    await answers.put('{"n": 5}', 's');
    expect((await sql('SELECT key FROM answers WHERE key = $1', [keys[3]])).rowCount).toBe(0);
  });
});
