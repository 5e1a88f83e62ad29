import { loadConfig } from '../config.js';
import { migrateLatest, openDatabase } from '../db/database.js';
import { seedDemo } from '../../seeds/demo.js';

/** Loads the demo schools into an empty database (never in production). */
const config = loadConfig();
if (config.isProduction) {
  console.error('I dati dimostrativi non si caricano in produzione.');
  process.exit(1);
}
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateLatest(db.knex);
  const result = await seedDemo(db.knex);
  console.log(result.scuole ? `Dati dimostrativi caricati: ${JSON.stringify(result)}` : 'Il database contiene già delle scuole: nulla da caricare.');
} finally {
  await db.close();
}
