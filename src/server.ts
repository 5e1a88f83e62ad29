import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { migrateLatest, openDatabase } from './db/database.js';
import { DataDirLockedError } from './db/dataDirLock.js';
import { createServices } from './services/index.js';
import { createSessionStore } from './middleware/session.js';
import { createApp } from './app.js';
import { DEMO_USERS, seedDemo } from '../seeds/demo.js';

/** Start: config → database (migrate, demo data) → services → app → listen. */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
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

  // In production nobody logs in with a demo password, even if such a user exists.
  const services = createServices(db.knex, {
    refusedPasswords: config.isProduction ? DEMO_USERS.map((u) => u.password) : [],
  });
  const app = createApp({
    config,
    logger,
    knex: db.knex,
    databaseKind: db.kind,
    sessionStore: createSessionStore(db.knex, { prune: true }),
    services,
  });
  const server = app.listen(config.port, config.host, () => {
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
    server.close(() => void db.close().then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(`\nAvvio non riuscito: ${err.message}\n`);
  } else {
    console.error('Avvio non riuscito:', err);
  }
  process.exit(1);
});
