/** Runs the command line: built, as a user would (a child process), or in this process (faster). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli as runInThisProcess } from '../../src/cli/run.js';
import { PROJECT_ROOT } from '../../src/config.js';

export const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs `src/cli/run.ts` in this process with `env` as its whole environment, capturing what it
 * writes; `input` is standard input (text, or a stream), none by default.
 */
export async function runCliInProcess(args: string[], env: Record<string, string>, input: string | NodeJS.ReadableStream = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runInThisProcess(args, {
    stdin: typeof input === 'string' ? Readable.from(input ? [input] : []) : input,
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    env,
  });
  return { code, stdout, stderr };
}
