import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { progressReporter } from '../../src/cli/output.js';
import { progressBar } from '../../src/present/terminal.js';

function stream(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY });
  let written = '';
  out.on('data', (chunk) => (written += chunk));
  return { out, written: () => written };
}

describe('progress while indexing', () => {
  it('draws a bar that fills with the work done', () => {
    expect(progressBar('Embedding', 0, 10, 10)).toBe('Embedding  ░░░░░░░░░░ 0/10');
    expect(progressBar('Embedding', 5, 10, 10)).toBe('Embedding  █████░░░░░ 5/10');
    expect(progressBar('Embedding', 10, 10, 10)).toBe('Embedding  ██████████ 10/10');
  });

  it('redraws in place on a terminal and ends the line when done', () => {
    const stderr = stream(true);
    const report = progressReporter({ stdout: stream(true).out, stderr: stderr.out })!;
    report({ phase: 'embedding', done: 0, total: 4 });
    report({ phase: 'embedding', done: 4, total: 4 });
    expect(stderr.written()).toMatch(/^\rEmbedding .* 0\/4\rEmbedding .* 4\/4\n$/);
  });

  it('stays silent when standard error is not a terminal', () => {
    expect(progressReporter({ stdout: stream(false).out, stderr: stream(false).out })).toBeUndefined();
  });
});
