/**
 * Recent answers, kept so that buttons ("More quotes", "Show context") can find theirs by a short
 * key in their custom_id. A leaf: the bot context holds one, the handlers read it.
 */
import { randomBytes } from 'node:crypto';
import type { Answer } from '../answer/types.js';

/**
 * Recent answers by key; the least recently used goes first when full. Each is kept with its
 * scope (the collections it was read from): asked for from another scope, it is as unknown as an
 * expired one, so a key copied from one server never reveals an answer to another.
 */
export class AnswerStore {
  private readonly entries = new Map<string, { answer: Answer; scope: string }>();

  constructor(private readonly capacity = 500) {}

  put(answer: Answer, scope = ''): string {
    const key = randomBytes(6).toString('base64url');
    this.entries.set(key, { answer, scope });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  get(key: string, scope = ''): Answer | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.scope !== scope) return undefined;
    // Re-insert: Map order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.answer;
  }
}
