import fs from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Knex } from 'knex';
import type request from 'supertest';
import { PGlite } from '@electric-sql/pglite';
import { serverDatabase, type Database, type DatabaseKind } from '../../src/db/database.js';
import { PGLITE_EXTENSIONS, wrapPglite } from '../../src/db/pglite.js';
import { cloneTemplate } from './serverDatabase.js';
import { createTwoSchools } from './factories.js';
import { buildTestApp, csrfToken, loginAs } from './testApp.js';

export type TestDatabase = Database;

/** The database kind of this test project: PGlite, or the PostgreSQL server in CI. */
export const testDbKind: DatabaseKind = process.env.TEST_DB_KIND === 'postgres' ? 'postgresql' : 'pglite';

/** A migrated, empty database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind === 'postgresql') {
    const clone = await cloneTemplate();
    return serverDatabase(clone.url, undefined, clone.drop);
  }
  const dump = fs.readFileSync(inject('pgliteDump'));
  return wrapPglite(await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS, loadDataDir: new Blob([dump]) }));
}

/**
 * The test file's own database, made before its tests and closed after them. The
 * fields are filled in by the time the tests run: read them inside tests and hooks.
 */
export function useTestDatabase(): { db: TestDatabase; knex: Knex } {
  const ctx = {} as { db: TestDatabase; knex: Knex };
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    ctx.knex = ctx.db.knex;
  });
  afterAll(() => ctx.db?.close());
  return ctx;
}

export type SchoolsContext = { db: TestDatabase; knex: Knex; cast: Awaited<ReturnType<typeof createTwoSchools>> };

/**
 * The test file's database with two schools, to prove that one never sees the
 * other's data: scuola1 with a segreteria and an admin, scuola2 with its own segreteria.
 */
export function useTwoSchools(): SchoolsContext {
  const ctx = useTestDatabase() as SchoolsContext;
  beforeAll(async () => {
    ctx.cast = await createTwoSchools(ctx.knex);
  });
  return ctx;
}

export type SegreteriaContext = SchoolsContext & {
  app: ReturnType<typeof buildTestApp>['app'];
  /** The segreteria of scuola1, logged in. */
  agent: request.Agent;
  /** Her CSRF token, read from the page `tokenFrom`. */
  token: string;
};

/**
 * The usual start of an integration test file: two schools (useTwoSchools), the real
 * app on their database and scuola1's segreteria logged in with her CSRF token.
 */
export function useSegreteria(tokenFrom = '/'): SegreteriaContext {
  const ctx = useTwoSchools() as SegreteriaContext;
  beforeAll(async () => {
    ctx.app = buildTestApp(ctx.db).app;
    ctx.agent = await loginAs(ctx.app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    ctx.token = await csrfToken(ctx.agent, tokenFrom);
  });
  return ctx;
}
