import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // A PostgreSQL with pgvector for the PostgreSQL tests (DATABASE_URL, or a throwaway server).
    globalSetup: ['tests/harness/postgres-setup.ts'],
    // The real model and index take a moment to load; keep room for a busy machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
