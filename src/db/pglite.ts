import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from 'pino';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { LOCK_ENTRIES, LOCK_FILE, lockDataDir } from './dataDirLock.js';
import { readTemplate, templatePath } from './pgliteTemplate.js';
import { commonOptions, CREATING_MARKER, DataDirUnusableError, logTo, migrateLatest, type Database } from './database.js';

/**
 * The embedded database (PGlite): PostgreSQL in WebAssembly, in this process,
 * on a data folder locked while it is open. Loaded by openDatabase only when
 * there is no DATABASE_URL, so a server installation never pays for it.
 */

export const PGLITE_EXTENSIONS = { btree_gin, pg_trgm, unaccent };

/** Wraps an open PGlite instance in knex through PGlite's node-postgres adapter. */
export function knexForPglite(pglite: PGlite, logger?: Logger): Knex {
  return knexFactory({
    ...commonOptions,
    ...logTo(logger),
    connection: createPgConfig(pglite) as unknown as Knex.PgConnectionConfig,
    // PGlite has one backend session: a second connection would share it.
    pool: { min: 0, max: 1 },
  });
}

const stagingPrefix = (dataDir: string) => `.${path.basename(dataDir)}.nuovo-`;

/** The embedded database in `dataDir` (or `memory://…`), its folder locked while open. */
export async function openEmbedded(options: { dataDir: string; logger?: Logger; template?: string }): Promise<Database> {
  if (options.dataDir.startsWith('memory://')) {
    const pglite = await PGlite.create(options.dataDir, { extensions: PGLITE_EXTENSIONS });
    return wrapPglite(pglite, options.logger, () => {});
  }
  makeFolder(options.dataDir);
  const unlock = lockDataDir(options.dataDir, { onLost: (message) => (options.logger ? options.logger.error(message) : console.error(message)) });
  try {
    // The real folder: a symlinked DATA_DIR is renamed onto through its target.
    const dataDir = fs.realpathSync(options.dataDir);
    removeStaleStaging(dataDir, options.logger);
    if (isNewDataDir(dataDir)) await createDatabase(dataDir, options.logger, options.template ?? templatePath());
    let pglite: PGlite;
    try {
      pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
    } catch (err) {
      throw new DataDirUnusableError(
        `Il database integrato nella cartella dati ${dataDir} non si apre (${(err as Error).message}). ` +
          'La cartella è incompleta (per esempio un primo avvio interrotto con un database creato da una versione precedente) ' +
          'o danneggiata. Non è stato cancellato nulla. Se il problema si ripete: ferma l’app, sposta la cartella altrove ' +
          `(per esempio: mv "${dataDir}" "${dataDir}.danneggiata") e riavvia per crearne una nuova; ` +
          'se conteneva dati, conservala e ripristina l’ultima copia di sicurezza. ' +
          'Se era il resto di un primo avvio interrotto, non conteneva dati.',
        { cause: err },
      );
    }
    return wrapPglite(pglite, options.logger, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

/** DATA_DIR made if missing; a path that cannot be a folder gets a message that says what to do, not a stack. */
function makeFolder(dataDir: string) {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'quel percorso è un file, o passa per un file'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'l’app non ha il permesso di scrivervi'
          : (err as Error).message;
    throw new DataDirUnusableError(
      `La cartella dati ${dataDir} non si può usare: ${why}. ` +
        'Indica con DATA_DIR una cartella in cui l’app possa scrivere, nuova oppure già di Bilancio Scuola.',
      { cause: err },
    );
  }
}

/** A Database over an open PGlite: closing it closes knex, then PGlite, then releases the folder lock. */
export function wrapPglite(pglite: PGlite, logger?: Logger, unlock: () => void = () => {}): Database {
  const knex = knexForPglite(pglite, logger);
  return {
    knex,
    kind: 'pglite',
    async close() {
      await knex.destroy();
      await pglite.close();
      unlock();
    },
  };
}

/**
 * New (nothing there but our lock), or an existing database; anything else is
 * refused, never deleted: a folder without PG_VERSION is not a PostgreSQL data
 * folder, a folder still marked as being created is a first start cut short.
 */
function isNewDataDir(dataDir: string): boolean {
  const entries = fs.readdirSync(dataDir).filter((name) => !LOCK_ENTRIES.includes(name));
  if (entries.length === 0) return true;
  const whatToDo =
    `Ferma l’app, sposta la cartella altrove (per esempio: mv "${dataDir}" "${dataDir}.incompleta") ` +
    'o, se è un volume montato, spostane altrove il contenuto; poi riavvia: l’app crea un database nuovo. ' +
    'Oppure indica in DATA_DIR la cartella giusta. Non è stato cancellato nulla.';
  if (entries.includes(CREATING_MARKER)) {
    throw new DataDirUnusableError(
      `La cartella dati ${dataDir} contiene un database incompleto: il primo avvio è stato interrotto mentre lo creava, ` +
        `quindi non contiene dati. ${whatToDo}`,
    );
  }
  if (!entries.includes('PG_VERSION')) {
    throw new DataDirUnusableError(
      `La cartella dati ${dataDir} non è vuota ma non contiene un database integrato (manca il file PG_VERSION): ` +
        `${entries.length} elementi, per esempio ${entries.slice(0, 3).join(', ')}. ` +
        'Se è il resto di un primo avvio interrotto, non contiene dati. ' +
        whatToDo,
    );
  }
  return false;
}

/**
 * A brand-new database is created and migrated in a sibling folder, then
 * renamed into place: a start killed half-way (initdb writes ~1000 files)
 * leaves only that sibling, removed at the next start, never a half database
 * in the data folder. A data folder that is a mount point cannot be renamed
 * onto: there the database is created in place, marked until complete.
 */
async function createDatabase(dataDir: string, logger: Logger | undefined, template: string) {
  const parent = path.dirname(dataDir);
  const staging = path.join(parent, `${stagingPrefix(dataDir)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const mountPoint = fs.statSync(dataDir).dev !== fs.statSync(parent).dev;
  if (!mountPoint) {
    try {
      fs.mkdirSync(staging);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw err;
      return createInPlace(dataDir, logger, template);
    }
    try {
      await createAndMigrate(staging, logger, template);
      // Two renames with nothing in between: our lock goes along, and the data folder, now empty, is replaced at once.
      fs.renameSync(path.join(dataDir, LOCK_FILE), path.join(staging, LOCK_FILE));
      try {
        fs.renameSync(staging, dataDir);
      } catch (err) {
        throw new DataDirUnusableError(
          `Impossibile spostare il nuovo database in ${dataDir} (${(err as Error).message}): ` +
            'forse un’altra istanza è partita nello stesso momento sulla stessa cartella. Riprova.',
          { cause: err },
        );
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
    logger?.info({ dataDir }, 'database integrato creato');
    return;
  }
  return createInPlace(dataDir, logger, template);
}

async function createInPlace(dataDir: string, logger: Logger | undefined, template: string) {
  const marker = path.join(dataDir, CREATING_MARKER);
  fs.writeFileSync(marker, 'Creazione del database in corso: se questo file resta, la creazione è stata interrotta.\n');
  await createAndMigrate(dataDir, logger, template, true);
  fs.rmSync(marker);
  logger?.info({ dataDir }, 'database integrato creato');
}

async function createAndMigrate(dir: string, logger: Logger | undefined, template: string, inPlace = false) {
  try {
    const pglite = await createCluster(dir, logger, template);
    const knex = knexForPglite(pglite, logger);
    try {
      await migrateLatest(knex);
    } finally {
      await knex.destroy();
      await pglite.close();
    }
  } catch (err) {
    throw new DataDirUnusableError(
      `Creazione del database integrato non riuscita (${(err as Error).message}). ` +
        (inPlace
          ? `La cartella ${dir} resta segnata come incompleta e non contiene dati: svuotala prima di riprovare`
          : 'Nella cartella dati non è rimasto nulla a metà: riprova') +
        '; se si ripete, controlla memoria e spazio su disco.',
      { cause: err },
    );
  }
}

/**
 * A new cluster in `dir`: loaded from the template made at install (src/db/pgliteTemplate.ts),
 * else made by initdb. A template that does not load is set aside with a warning: what it may
 * have written is removed and initdb runs as without one.
 */
async function createCluster(dir: string, logger: Logger | undefined, templateFile: string): Promise<PGlite> {
  let template: Blob | undefined;
  try {
    template = readTemplate(templateFile);
  } catch (err) {
    logger?.warn({ err }, 'modello del database integrato illeggibile: si crea senza');
  }
  if (template) {
    try {
      return await PGlite.create(dir, { extensions: PGLITE_EXTENSIONS, loadDataDir: template });
    } catch (err) {
      logger?.warn({ err }, 'il modello del database integrato non si carica: si crea senza');
      const keep = [...LOCK_ENTRIES, CREATING_MARKER];
      for (const name of fs.readdirSync(dir).filter((n) => !keep.includes(n))) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  }
  return PGlite.create(dir, { extensions: PGLITE_EXTENSIONS });
}

/** Sibling folders of a creation cut short (kill -9): ours, never holding user data; we hold the lock, so nobody is using them. */
function removeStaleStaging(dataDir: string, logger: Logger | undefined) {
  const prefix = stagingPrefix(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(dataDir));
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const leftover = path.join(path.dirname(dataDir), name);
    fs.rmSync(leftover, { recursive: true, force: true });
    logger?.info({ cartella: leftover }, 'rimossa la cartella di una creazione del database interrotta');
  }
}

