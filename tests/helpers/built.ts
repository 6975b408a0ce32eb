/** The built entry points (dist/, from `npm run build`) run as child processes, their output collected. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

export interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the combined output contains `text` (or a line matches it), with that line. */
  waitFor(text: string | RegExp): Promise<string>;
}

/** Starts `node dist/<script> ...args` in `cwd` with exactly `env`. */
export function runBuilt(script: string, env: NodeJS.ProcessEnv, cwd: string, args: readonly string[] = []): Run {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', script), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const find = (text: string | RegExp): string | undefined =>
    typeof text === 'string' ? (output.includes(text) ? text : undefined) : output.split('\n').find((line) => text.test(line));
  const watchers: Array<{ text: string | RegExp; resolve: (line: string) => void }> = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const watcher of [...watchers]) {
      const found = find(watcher.text);
      if (found !== undefined) watcher.resolve(found);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (text) =>
      new Promise<string>((resolve, reject) => {
        const found = find(text);
        if (found !== undefined) return resolve(found);
        watchers.push({ text, resolve });
        void exited.then(() => reject(new Error(`exited before "${String(text)}" appeared:\n${output}`)));
      }),
  };
}
