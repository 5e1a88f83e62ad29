import cluster from 'node:cluster';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createLogger } from './logger.js';
import { DataDirUnusableError, migrateLatest, openDatabase, type Database } from './db/database.js';
import { DataDirLockedError } from './db/dataDirLock.js';
import { createServices } from './services/index.js';
import { createSessionStore } from './middleware/session.js';
import { createApp } from './app.js';
import { DEMO_USERS, seedDemo } from '../seeds/demo.js';

/**
 * Start: config → database (migrate, demo data) → services → app → listen.
 * With WORKERS=n (PostgreSQL server only) the first process prepares the
 * database, then starts n processes that share the port and serve requests.
 */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) return startWorkers(config, logger);

  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  if (cluster.isPrimary) await prepareDatabase(db, config, logger);

  // In production nobody logs in with a demo password, even if such a user exists.
  const services = createServices(db.knex, {
    databaseKind: db.kind,
    refusedPasswords: config.isProduction ? DEMO_USERS.map((u) => u.password) : [],
  });
  const app = createApp({
    config,
    logger,
    sessionStore: createSessionStore(db.knex, { prune: true }),
    services,
  });
  const server = app.listen(config.port, config.host, () => {
    if (!cluster.isPrimary) return;
    const where = db.kind === 'pglite' ? `database integrato in ${config.dataDir}` : 'server PostgreSQL';
    logger.info(`Bilancio Scuola pronto su http://localhost:${config.port} (${where}) in ${Date.now() - started} ms`);
  });
  const pruning = setInterval(() => void services.auth.pruneAttempts().catch(() => {}), 60 * 60_000);
  pruning.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'arresto in corso');
    // Finish the requests in flight, then release the database (and the data folder's lock).
    server.close(() => void drain(db.knex).then(() => db.close()).then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Migrations and, outside production, the demo data: once, before serving. */
async function prepareDatabase(db: Database, config: Config, logger: Logger) {
  try {
    const applied = await migrateLatest(db.knex);
    if (applied.length) logger.info({ applied }, 'migrazioni applicate');
    if (config.seedDemo) {
      const seeded = await seedDemo(db.knex);
      if (seeded.scuole) logger.info(seeded, 'dati dimostrativi caricati');
    }
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Requests still running after the sockets closed: let their queries end (at most 5 s). */
async function drain(knex: Knex) {
  const pool = knex.client.pool as { numUsed(): number; numPendingAcquires(): number } | undefined;
  for (let i = 0; pool && i < 50 && pool.numUsed() + pool.numPendingAcquires() > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startWorkers(config: Config, logger: Logger) {
  const started = Date.now();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  await prepareDatabase(db, config, logger);
  await db.close();

  let stopping = false;
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === config.workers) {
      logger.info(`Bilancio Scuola pronto su http://localhost:${config.port} (server PostgreSQL, ${config.workers} processi) in ${Date.now() - started} ms`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'processo terminato: ne avvio un altro');
    setTimeout(() => cluster.fork(), 1000);
  });
  for (let i = 0; i < config.workers; i++) cluster.fork();

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'arresto in corso');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), 12_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof DataDirUnusableError) {
    console.error(`\nAvvio non riuscito: ${err.message}\n`);
  } else {
    console.error('Avvio non riuscito:', err);
  }
  process.exit(1);
});
