import { createError } from '../errors.js';

export const MAX_QUESTION_CHARS = 1000;

/** Control characters (other than tab and newline) carry no meaning in a question. */
const CONTROL = /[\p{Cc}\p{Cf}]/gu;

/** A question as it will be searched: control characters gone, white space folded; rejects empty and huge input. */
export function normalizeQuestion(raw: string): string {
  const question = raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(question)) throw createError('QUESTION_EMPTY');
  if (question.length > MAX_QUESTION_CHARS) throw createError('QUESTION_TOO_LONG', question.length, MAX_QUESTION_CHARS);
  return question;
}
