/**
 * Recent answers, kept so that buttons ("More quotes", "Show context") can find theirs by a short
 * key in their custom_id. A leaf: the bot context holds one, the handlers read it.
 */
import { randomBytes } from 'node:crypto';
import type { Answer } from '../answer/types.js';

/** Recent answers by key; the least recently used goes first when full. */
export class AnswerStore {
  private readonly entries = new Map<string, Answer>();

  constructor(private readonly capacity = 500) {}

  put(answer: Answer): string {
    const key = randomBytes(6).toString('base64url');
    this.entries.set(key, answer);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  get(key: string): Answer | undefined {
    const answer = this.entries.get(key);
    if (answer) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, answer);
    }
    return answer;
  }
}
