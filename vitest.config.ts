import { defineConfig } from 'vitest/config';

// Integration tests run on embedded PGlite always, and also on the PostgreSQL
// server when TEST_DATABASE_URL is set (CI sets it): one project per database.
// Each project prepares only the database it uses; the unit tests use none.
const pgliteSetup = 'test/helpers/globalSetup.pglite.ts';
const integration = (kind: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: kind,
    include: ['test/integration/**/*.test.ts'],
    env: { TEST_DB_KIND: kind },
    globalSetup: [kind === 'pglite' ? pgliteSetup : 'test/helpers/globalSetup.postgres.ts'],
  },
});

if (process.env.CI && !process.env.TEST_DATABASE_URL) {
  throw new Error('CI è impostata ma TEST_DATABASE_URL no: in CI i test d’integrazione girano anche sul server PostgreSQL.');
}

export default defineConfig({
  test: {
    // knex loads migration files with native import(): tsx teaches Node to read .ts
    execArgv: ['--import', 'tsx'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      integration('pglite'),
      ...(process.env.TEST_DATABASE_URL ? [integration('postgres')] : []),
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, globalSetup: [pgliteSetup] } },
    ],
  },
});
