/**
 * The answers behind buttons, in the `answers` table, so that a button works after a restart and
 * on any process: each kept as the JSON it was written as, with its scope (the collections it was
 * read from), for at most `maxAgeDays` and at most the newest `capacity` (older ones are pruned as
 * new ones come). The bot layer says what an answer is; here it is JSON text.
 */
import { randomBytes } from 'node:crypto';
import { withClient } from './connection.js';

export interface AnswerLimits {
  /** Answers kept at most (the newest). */
  capacity: number;
  /** Days an answer is kept at most. */
  maxAgeDays: number;
}

export const ANSWER_LIMITS: AnswerLimits = { capacity: 10_000, maxAgeDays: 30 };

export class PostgresAnswers {
  private puts = 0;
  /** Puts between two prunings by count (each reads past `capacity` index entries): about 1% of the capacity. */
  private readonly pruneEvery: number;

  constructor(
    private readonly url: string,
    private readonly limits: AnswerLimits = ANSWER_LIMITS,
  ) {
    this.pruneEvery = Math.max(1, Math.floor(limits.capacity / 100));
  }

  /** Keeps `json` under a new short key (URL-safe, for a custom_id) and returns the key. */
  put(json: string, scope: string): Promise<string> {
    return withClient(this.url, async (client) => {
      let key: string;
      // 48 random bits: a clash is rare, and then simply another key.
      do key = randomBytes(6).toString('base64url');
      while (!(await client.query('INSERT INTO answers (key, scope, answer) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [key, scope, json])).rowCount);
      await client.query(`DELETE FROM answers WHERE created_at < now() - make_interval(days => $1)`, [this.limits.maxAgeDays]);
      if (this.puts++ % this.pruneEvery === 0) {
        await client.query(
          `DELETE FROM answers WHERE created_at <= (SELECT created_at FROM answers ORDER BY created_at DESC OFFSET $1 LIMIT 1)`,
          [this.limits.capacity],
        );
      }
      return key;
    });
  }

  /** The JSON kept under `key` for `scope`; undefined for an unknown key, a pruned one, or one of another scope alike. */
  get(key: string, scope: string): Promise<string | undefined> {
    return withClient(this.url, async (client) => {
      const found = await client.query<{ answer: string }>(
        `SELECT answer::text AS answer FROM answers WHERE key = $1 AND scope = $2 AND created_at >= now() - make_interval(days => $3)`,
        [key, scope, this.limits.maxAgeDays],
      );
      return found.rows[0]?.answer;
    });
  }
}
