import readline from 'node:readline';
import type { Searcher } from '../answer/searcher.js';
import { answerOne, type CliIO } from './run.js';

/** An interactive question prompt: each line is a question; an empty line or Ctrl-D ends it. */
export async function questionPrompt(searcher: Searcher, io: CliIO): Promise<void> {
  const documents = searcher.store.documentCount;
  io.stdout.write(`Ask about the ${documents} indexed documents. An empty line or Ctrl-D quits.\n`);
  const lines = readline.createInterface({ input: io.stdin, output: io.stdout, terminal: Boolean(io.stdin.isTTY), prompt: 'verbatim> ' });
  lines.prompt();
  for await (const line of lines) {
    if (line.trim() === '') break;
    await answerOne(searcher, line, { json: false, k: undefined }, io);
    lines.prompt();
  }
  lines.close();
}
