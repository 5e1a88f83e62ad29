import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import knexFactory, { type Knex } from 'knex';
import { PGlite } from '@electric-sql/pglite';
import { knexForPglite, knexForServer, PGLITE_EXTENSIONS, type DatabaseKind } from '../../src/db/database.js';

export type TestDatabase = { knex: Knex; kind: DatabaseKind; close(): Promise<void> };

/** The database kind of this test project: PGlite, or the PostgreSQL server in CI. */
export const testDbKind: DatabaseKind = process.env.TEST_DB_KIND === 'postgres' ? 'postgresql' : 'pglite';

function serverUrl(base: string, database: string) {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A migrated, empty database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind === 'postgresql') {
    const tpl = inject('pgTemplate');
    if (!tpl) throw new Error('TEST_DB_KIND=postgres richiede TEST_DATABASE_URL');
    const name = `bilancio_t_${tpl.runId}_${randomBytes(4).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: tpl.adminUrl, pool: { min: 0, max: 1 } });
    // Concurrent clones of one template can collide for a moment: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.raw(`create database ${name} template ${tpl.template}`);
        break;
      } catch (err) {
        if (attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    const knex = knexForServer(serverUrl(tpl.adminUrl, name), 10);
    return {
      knex,
      kind: 'postgresql',
      async close() {
        await knex.destroy();
        await admin.raw(`drop database if exists ${name} with (force)`);
        await admin.destroy();
      },
    };
  }
  const dump = fs.readFileSync(inject('pgliteDump'));
  const pglite = await PGlite.create('memory://', {
    extensions: PGLITE_EXTENSIONS,
    loadDataDir: new Blob([dump]),
  });
  const knex = knexForPglite(pglite);
  return {
    knex,
    kind: 'pglite',
    async close() {
      await knex.destroy();
      await pglite.close();
    },
  };
}
