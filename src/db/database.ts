import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from 'pino';
import { MIGRATIONS } from '../../migrations/index.js';

export type DatabaseKind = 'pglite' | 'postgresql';

export type Database = {
  knex: Knex;
  kind: DatabaseKind;
  close(): Promise<void>;
};

const migrationSource: Knex.MigrationSource<(typeof MIGRATIONS)[number]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration.module,
};

// bigint (ids, cents) as JS numbers: safe up to 2^53, far beyond any school's euros.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`Valore bigint fuori intervallo: ${value}`);
  return n;
});
// date columns stay 'YYYY-MM-DD' strings: no timezone shifts through JS Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export const commonOptions = {
  client: 'pg',
  acquireConnectionTimeout: 10_000,
  migrations: { migrationSource, tableName: 'knex_migrations' },
} satisfies Knex.Config;

/**
 * knex's own messages (a lost connection, a failed acquire) as JSON lines of
 * the app's log instead of plain text on the console. Without a logger (CLI
 * tools, tests, benchmarks) knex keeps printing them itself.
 */
export function logTo(logger: Logger | undefined): Pick<Knex.Config, 'log'> {
  if (!logger) return {};
  const child = logger.child({ origine: 'knex' });
  return {
    log: {
      warn: (message: string) => child.warn(message),
      error: (message: string) => child.error(message),
      deprecate: (method: string, alternative: string) => child.warn(`${method} è deprecato: usare ${alternative}`),
      debug: (message: string) => child.debug(message),
    },
  };
}

export function knexForServer(url: string, poolMax = 10, logger?: Logger): Knex {
  return knexFactory({
    ...commonOptions,
    ...logTo(logger),
    connection: url,
    pool: {
      min: 0,
      max: poolMax,
      // If this process dies mid-query (kill -9, a lost host), the server aborts the query and
      // rolls its transaction back within seconds instead of running it to the end.
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        prepareStatements(conn);
        conn.query("set client_connection_check_interval = '2s'").then(() => done(null, conn), (err: Error) => done(err, conn));
      },
    },
  });
}

/** How many statements each server connection keeps prepared; the rest run unprepared. */
export const PREPARED_PER_CONNECTION = 500;

/**
 * Every statement with parameters runs as a prepared statement of its
 * connection, named once for its text: the server parses it once per
 * connection, and after a few executions reuses its plan, instead of parsing
 * and planning it at every execution. For the short queries of a page,
 * planning cost more than running them (bench/BENCHMARKS.md). Statements
 * without parameters (BEGIN, COMMIT, DDL) are left as they are.
 * A pooler in front of the server must keep prepared statements per client
 * (PgBouncer 1.21+ with max_prepared_statements, or session pooling).
 */
export function prepareStatements(conn: pg.Client) {
  const query = conn.query.bind(conn) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  conn.query = ((config: unknown, ...rest: unknown[]) => {
    if (isParameterised(config) && config.name === undefined) {
      let name = names.get(config.text);
      if (name === undefined && names.size < PREPARED_PER_CONNECTION) names.set(config.text, (name = `q${names.size + 1}`));
      if (name !== undefined) return query({ ...config, name }, ...rest);
    }
    return query(config, ...rest);
  }) as typeof conn.query;
}

function isParameterised(config: unknown): config is { text: string; values: unknown[]; name?: string } {
  // Plain query objects only: a submittable (a cursor, a stream) is passed on untouched.
  if (typeof config !== 'object' || config === null || Object.getPrototypeOf(config) !== Object.prototype) return false;
  const { text, values } = config as { text?: unknown; values?: unknown };
  return typeof text === 'string' && Array.isArray(values) && values.length > 0;
}

/** A data folder that cannot be used as it is: the message says why and what to do. */
export class DataDirUnusableError extends Error {}

/** Left inside a data folder initialised in place (a mount point) until its database is complete. */
export const CREATING_MARKER = '.bilancio-scuola-creazione-in-corso';
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; logger?: Logger }): Promise<Database> {
  if (options.databaseUrl) return serverDatabase(options.databaseUrl, options.logger);
  // The embedded database's code (WebAssembly PostgreSQL, ~40 MB resident) is loaded only when it is used.
  const { openEmbedded } = await import('./pglite.js');
  return openEmbedded({ dataDir: options.dataDir, logger: options.logger });
}

/** A Database on a PostgreSQL server: closing it ends the pool, then runs `afterClose` (a test drops its database). */
export function serverDatabase(url: string, logger?: Logger, afterClose: () => Promise<void> = async () => {}): Database {
  const knex = knexForServer(url, 10, logger);
  return {
    knex,
    kind: 'postgresql',
    async close() {
      await knex.destroy();
      await afterClose();
    },
  };
}

/**
 * Applies the migrations not yet applied, under knex's lock. When the database already holds
 * exactly this code's migrations (every start but the first after an update), one read says so
 * and knex's migrator, which takes its lock and lists the tables (about 0.3 s of every start on
 * the embedded database, bench/BENCHMARKS.md, issue 18), is not run. Any other state (a missing
 * migration, one this code does not know) goes through the migrator as before.
 */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  if (await upToDate(knex)) return [];
  const [, applied] = (await knex.migrate.latest()) as [number, string[]];
  return applied;
}

async function upToDate(knex: Knex): Promise<boolean> {
  const table = commonOptions.migrations.tableName;
  const found = await knex.raw<{ rows: { present: boolean }[] }>('select to_regclass(?) is not null as present', [table]);
  if (!found.rows[0]?.present) return false;
  const applied = ((await knex(table).pluck('name')) as string[]).sort();
  const known = MIGRATIONS.map((m) => m.name).sort();
  return applied.length === known.length && applied.every((name, i) => name === known[i]);
}

export async function pingDatabase(knex: Knex): Promise<boolean> {
  try {
    await knex.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
