import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { knexForServer, migrateLatest } from '../../src/db/database.js';
import { serverDatabaseUrl } from './serverDatabase.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: { adminUrl: string; template: string; runId: string };
  }
}

/**
 * Once per run, for the project on the PostgreSQL server (TEST_DATABASE_URL): a
 * migrated template database that each test file clones. Every database this run
 * created (their names carry the run id) is dropped at the end, so runs sharing
 * the server never collide.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('Il progetto di test "postgres" richiede TEST_DATABASE_URL');
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `bilancio_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const tpl = knexForServer(serverDatabaseUrl(adminUrl, template), 1);
  await migrateLatest(tpl);
  await tpl.destroy();
  project.provide('pgTemplate', { adminUrl, template, runId });

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`bilancio_%${runId}%`]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
  };
}
