/** What `verbatim verify` reads: answer lines of `verbatim ask --json`, checked for what a re-check needs. */
import * as z from 'zod';
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

/** A line of `ask --json`: an answer, or a question that was refused (passed on as it is). */
export type AnswerLine =
  | { kind: 'answer'; question: string; quotes: QuoteToVerify[] }
  | { kind: 'refused'; value: Record<string, unknown> }
  | { kind: 'invalid'; problem: string };

export function readAnswerLine(line: string): AnswerLine {
  const refused = checkJson(z.looseObject({ question: z.string().optional(), error: z.looseObject({}) }), line);
  if (refused.ok) return { kind: 'refused', value: refused.value };
  const checked = checkJson(answerSchema, line);
  if (!checked.ok) return { kind: 'invalid', problem: checked.problem };
  return { kind: 'answer', question: checked.value.question, quotes: checked.value.quotes as QuoteToVerify[] };
}
