import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';

/** The URL of another database on the same server as `base`. */
export function serverDatabaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Any fixed key: every test worker that clones the template takes this lock first. */
const CLONE_LOCK = 727_001;

/**
 * A new database on the test server, cloned from this run's migrated template, and
 * how to drop it. PostgreSQL refuses to clone a template while another session is
 * copying it, so clones from parallel test files take turns under an advisory lock
 * instead of retrying at random.
 */
export async function cloneTemplate(label = 't'): Promise<{ url: string; drop(): Promise<void> }> {
  const { adminUrl, template, runId } = inject('pgTemplate');
  const name = `bilancio_${label}_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [CLONE_LOCK]);
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: serverDatabaseUrl(adminUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
