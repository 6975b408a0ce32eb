/**
 * Recent answers, kept so that buttons ("More quotes", "Show context", "Export", "Still there?")
 * can find theirs by a short key in their custom_id. Each is kept with its scope (the collections
 * it was read from): asked for from another scope, it is as unknown as an expired one, so a key
 * copied from one server never reveals an answer to another. In this process's memory by default;
 * in the database with `DATABASE_URL`, so that a button still works after a restart and on any
 * process. A leaf: the bot context holds one, the handlers read it.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Answer } from '../answer/types.js';
import { configuredDatabase } from '../index/backend.js';
import { PostgresAnswers, type AnswerLimits } from '../index/postgres/answers.js';
import { checkJson } from '../validate.js';

export interface AnswerStore {
  /** Keeps an answer read for `scope`; returns its key. */
  put(answer: Answer, scope?: string): Promise<string>;
  /** The answer under `key`, if it was kept for this scope and still is. */
  get(key: string, scope?: string): Promise<Answer | undefined>;
}

/** Recent answers in memory; the least recently used goes first when full. */
export class MemoryAnswers implements AnswerStore {
  private readonly entries = new Map<string, { answer: Answer; scope: string }>();

  constructor(private readonly capacity = 500) {}

  async put(answer: Answer, scope = ''): Promise<string> {
    const key = randomBytes(6).toString('base64url');
    this.entries.set(key, { answer, scope });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  async get(key: string, scope = ''): Promise<Answer | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.scope !== scope) return undefined;
    // Re-insert: Map order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.answer;
  }
}

/** What a kept answer must look like to be shown again (the rest is as it was written). */
const keptAnswer = z.looseObject({
  question: z.string(),
  quotes: z.array(z.looseObject({ text: z.string(), start: z.number(), end: z.number(), source: z.looseObject({ id: z.string() }) })),
  searched: z.looseObject({ documents: z.number(), passages: z.number() }),
});

/** Answers in the database's `answers` table (see src/index/postgres/answers.ts for how long they stay). */
export class DatabaseAnswers implements AnswerStore {
  private readonly table: PostgresAnswers;

  constructor(url: string, limits?: AnswerLimits) {
    this.table = new PostgresAnswers(url, limits);
  }

  put(answer: Answer, scope = ''): Promise<string> {
    return this.table.put(JSON.stringify(answer), scope);
  }

  async get(key: string, scope = ''): Promise<Answer | undefined> {
    const json = await this.table.get(key, scope);
    if (json === undefined) return undefined;
    const checked = checkJson(keptAnswer, json);
    // Not one of ours (written by hand, or by a different version): as unknown as an expired one.
    return checked.ok ? (checked.value as unknown as Answer) : undefined;
  }
}

/** Where the bot keeps answers: the database when one is given, otherwise memory. */
export function openAnswerStore(databaseUrl: string | undefined = configuredDatabase()): AnswerStore {
  return databaseUrl ? new DatabaseAnswers(databaseUrl) : new MemoryAnswers();
}
