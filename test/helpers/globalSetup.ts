import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import knexFactory from 'knex';
import { knexForPglite, knexForServer, migrateLatest, PGLITE_EXTENSIONS } from '../../src/db/database.js';

/**
 * Migrates once per run: a PGlite data dump every test file loads (~0.4 s instead
 * of a fresh initdb), and, when TEST_DATABASE_URL is set, a template database on
 * the PostgreSQL server that each test file clones. Everything this run created
 * is dropped at the end, so runs sharing the server never collide.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: { adminUrl: string; template: string; runId: string } | null;
  }
}

function serverUrl(base: string, database: string) {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-test-'));

  const pglite = await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS });
  const knex = knexForPglite(pglite);
  await migrateLatest(knex);
  await knex.destroy();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const dumpPath = path.join(tmpDir, 'migrated.tar');
  fs.writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDump', dumpPath);

  const adminUrl = process.env.TEST_DATABASE_URL;
  let admin: ReturnType<typeof knexFactory> | undefined;
  if (adminUrl) {
    const template = `bilancio_tpl_${runId}`;
    admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`create database ${template}`);
    const tpl = knexForServer(serverUrl(adminUrl, template), 1);
    await migrateLatest(tpl);
    await tpl.destroy();
    project.provide('pgTemplate', { adminUrl, template, runId });
  } else {
    project.provide('pgTemplate', null);
  }

  return async () => {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    if (admin) {
      const { rows } = await admin.raw(`select datname from pg_database where datname like ?`, [`bilancio_%${runId}%`]);
      for (const { datname } of rows as { datname: string }[]) {
        await admin.raw(`drop database if exists "${datname}" with (force)`);
      }
      await admin.destroy();
    }
  };
}
