/**
 * The import graph of src/, type-only imports included (ESLint's no-cycle skips those): no cycle
 * between files, and none between top-level folders. The layer order itself is ESLint's
 * no-restricted-paths (eslint.config.js); this test also holds for `import type`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** file -> the src files it imports (relative specifiers only, `.js` mapped back to `.ts`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map(({ fileName }) => fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
    graph.set(path.relative(SRC, file), targets.map((target) => path.relative(SRC, target)));
  }
  return graph;
}

/** One cycle of the graph as a path, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

/** Folder -> folders it imports; files at the root of src/ are not a folder. */
function folderGraph(files: Map<string, string[]>): Map<string, string[]> {
  const folderOf = (file: string) => (file.includes(path.sep) ? file.split(path.sep)[0]! : null);
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    if (!from) continue;
    for (const target of targets) {
      const to = folderOf(target);
      if (to && to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return new Map([...graph].map(([folder, targets]) => [folder, [...targets]]));
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('resolves every relative import to a file of src/', () => {
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no cycle between files, type-only imports included', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('has no cycle between top-level folders', () => {
    expect(findCycle(folderGraph(graph))).toBeNull();
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    expect(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]))).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });
});
