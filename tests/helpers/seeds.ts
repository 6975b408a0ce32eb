import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

export const SEED_CORPUS = path.join(PROJECT_ROOT, 'corpus');
export const MODEL_DIR = path.join(PROJECT_ROOT, 'embeddings', 'models');
export const MODEL_NAME = 'all-MiniLM-L6-v2';

/** A list for the folders a test file makes: they are removed when its tests are done (registers `afterAll`). */
export function foldersRemovedAfterAll(): string[] {
  const folders: string[] = [];
  afterAll(async () => {
    await Promise.all(folders.map((f) => fs.rm(f, { recursive: true, force: true })));
  });
  return folders;
}

/** A fresh temporary folder, removed by the caller's cleanup. */
export async function temporaryFolder(prefix = 'verbatim-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Copies the seed articles (or another flat fixture corpus) with their sidecars into a new folder
 * that a test may change freely, and that a build into PostgreSQL may mark as its own
 * (`.verbatim-folder`) without writing into the repository.
 */
export async function copySeedCorpus(from = SEED_CORPUS): Promise<string> {
  const folder = await temporaryFolder('verbatim-corpus-');
  // Not its hidden files: a .verbatim-folder there (a shared index of the seeds) would make the copy that folder.
  for (const name of (await fs.readdir(from)).filter((n) => !n.startsWith('.'))) await fs.copyFile(path.join(from, name), path.join(folder, name));
  return folder;
}

/** Reads a corpus file the way the answer contract defines offsets: decoded as UTF-8. */
export async function fileText(corpusDir: string, relative: string): Promise<string> {
  return fs.readFile(path.join(corpusDir, relative), 'utf8');
}
