import { loadConfig } from '../config.js';
import { migrateLatest, openDatabase } from '../db/database.js';

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const applied = await migrateLatest(db.knex);
  console.log(applied.length ? `Migrazioni applicate: ${applied.join(', ')}` : 'Database già aggiornato.');
} finally {
  await db.close();
}
