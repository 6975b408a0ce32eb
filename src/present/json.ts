import type { Answer } from '../answer/types.js';

/** The answer contract of `verbatim ask --json`: one JSON object on one line. */
export function answerJson(answer: Answer): string {
  return JSON.stringify(answer);
}
