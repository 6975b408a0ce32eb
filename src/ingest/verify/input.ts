/**
 * What `verbatim verify` reads: answer lines of `verbatim ask --json`, or a quote named by where
 * it is (`{"path", "start", "end", "collection"?}`), checked for what a re-check needs.
 */
import * as z from 'zod';
import { collectionNameSchema } from '../../collections.js';
import { checkJson } from '../../validate.js';
import type { QuoteToVerify } from './verify.js';

const offset = z.int({ error: 'is not a whole number' }).nonnegative({ error: 'is negative' });

const quoteSchema = z.looseObject({
  text: z.string(),
  start: offset,
  end: offset,
  source: z.looseObject({ url: z.string().nullable() }),
});

const answerSchema = z.looseObject({
  question: z.string(),
  quotes: z.array(quoteSchema),
});

/** A quote named by its source file (relative to its collection's corpus folder) and offsets. */
const referenceSchema = z.strictObject({
  path: z.string().min(1, { error: 'is empty' }),
  start: offset,
  end: offset,
  collection: collectionNameSchema.optional(),
});

export type QuoteReference = z.output<typeof referenceSchema>;

/** A line of `ask --json`: an answer, or a question that was refused (passed on as it is); or a quote's place. */
export type AnswerLine =
  | { kind: 'answer'; question: string; quotes: QuoteToVerify[] }
  | { kind: 'reference'; reference: QuoteReference }
  | { kind: 'refused'; value: Record<string, unknown> }
  | { kind: 'invalid'; problem: string };

export function readAnswerLine(line: string): AnswerLine {
  const refused = checkJson(z.looseObject({ question: z.string().optional(), error: z.looseObject({}) }), line);
  if (refused.ok) return { kind: 'refused', value: refused.value };
  if (checkJson(z.looseObject({ path: z.unknown() }), line).ok) {
    const reference = checkJson(referenceSchema, line);
    if (!reference.ok) return { kind: 'invalid', problem: reference.problem };
    if (reference.value.end <= reference.value.start) return { kind: 'invalid', problem: 'end: is not after start' };
    return { kind: 'reference', reference: reference.value };
  }
  const checked = checkJson(answerSchema, line);
  if (!checked.ok) return { kind: 'invalid', problem: checked.problem };
  return { kind: 'answer', question: checked.value.question, quotes: checked.value.quotes as QuoteToVerify[] };
}
