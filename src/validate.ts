/**
 * Reading what people write (settings, sidecars, feeds.json, COLLECTIONS_FILE, the store manifest)
 * through zod schemas, with one-line problems that name the field: `guilds.123: "Bad" is not a
 * collection name`. Schemas give their own checks a message in lower case that reads after the
 * value ("is not an ISO 8601 date"); zod's own messages are worded here.
 */
import * as z from 'zod';

/** `feeds[0].url`, `guilds.123`, `files["data.json"].sha256`; empty for the whole value. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z0-9_$-]+$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

/** A value as the problem quotes it: JSON, one line, cut short. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a text';
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

function problemOf(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) return 'is missing';
  // A schema's own message starts in lower case and reads after the value: `"Bad" is not a collection name`.
  if (/^[a-z]/.test(issue.message)) return input === undefined ? issue.message : `${shown(input)} ${issue.message}`;
  // zod's own messages, worded here.
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, found ${typeName(input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => shown(key)).join(', ')}`;
    case 'invalid_key':
      return issue.issues[0] ? problemOf(issue.issues[0] as z.core.$ZodIssue) : 'is not a valid key';
    case 'invalid_value':
      return `${shown(input)} is not ${issue.values.length === 1 ? shown(issue.values[0]) : `one of ${issue.values.map((v) => String(v)).join(', ')}`}`;
    default:
      return input === undefined ? issue.message : `${shown(input)}: ${issue.message}`;
  }
}

/** One issue as one line: `field: problem`, with `prefix` before the issue's own path. */
export function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): string {
  const field = fieldPath([...prefix, ...issue.path]);
  return field ? `${field}: ${problemOf(issue)}` : problemOf(issue);
}

/** The first problem of a failed parse, as one line (one is enough to fix, and it stays one line). */
export function firstProblem(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  const issue = error.issues[0];
  return issue ? describeIssue(issue, prefix) : 'is not valid';
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Checks a value against a schema; values are quoted in the problem. */
export function check<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly PropertyKey[] = []): Checked<z.output<S>> {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, problem: firstProblem(result.error, prefix) };
}

/** Parses JSON text and checks it: the problem is "not valid JSON (…)" or the first bad field. */
export function checkJson<S extends z.ZodType>(schema: S, text: string): Checked<z.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
    return { ok: false, problem: `not valid JSON (${detail})` };
  }
  return check(schema, value);
}
