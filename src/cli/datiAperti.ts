import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrateLatest, openDatabase } from '../db/database.js';
import { createDatiApertiService } from '../services/datiApertiService.js';
import { listScuole } from '../repositories/importazioneRepository.js';
import { progressReporter } from './progress.js';

/**
 * Completing the registers from a national open-data file, for hosted operators:
 *   npm run dati-aperti -- --file <path> (--scuola <codice meccanografico> | --tutte) [--anteprima]
 * Only empty fields are filled (and an oggetto/descrizione no person wrote); the
 * history records no user and the file as the source. The file is streamed.
 */
const USAGE = 'Uso: npm run dati-aperti -- --file <percorso del CSV> (--scuola <codice meccanografico> | --tutte) [--anteprima]';

const { values } = parseArgs({
  options: { file: { type: 'string' }, scuola: { type: 'string' }, tutte: { type: 'boolean' }, anteprima: { type: 'boolean' }, help: { type: 'boolean' } },
});
if (values.help || !values.file || (!values.scuola && !values.tutte) || (values.scuola && values.tutte)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
let size: number;
try {
  size = fs.statSync(values.file).size;
} catch {
  console.error(`File non trovato: ${values.file}`);
  process.exit(2);
}

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
let exitCode = 0;
try {
  await migrateLatest(db.knex);
  const scuole = await listScuole(db.knex, values.scuola);
  if (!scuole.length) {
    console.error(`Nessuna scuola con codice meccanografico ${values.scuola}.`);
    exitCode = 2;
  } else {
    const progress = progressReporter(process.stderr, size);
    const fileName = path.basename(values.file);
    const esito = await createDatiApertiService(db.knex).fillEmpty(
      scuole.map((s) => s.id),
      fs.createReadStream(values.file, { highWaterMark: 1024 * 1024 }),
      { fileName, anteprima: Boolean(values.anteprima), onProgress: progress.update },
    );
    progress.done();
    if (!esito.ok) {
      console.error(esito.message);
      exitCode = 2;
    } else {
      const codici = esito.records.length;
      console.log(`${fileName}: ${esito.righe} righe lette, ${codici} codici delle scuole trovati, ${esito.proposti} valori da completare.`);
      if (values.anteprima) console.log('Anteprima: nulla è stato scritto.');
      for (const { scuolaId, esito: e } of esito.esiti) {
        const s = scuole.find((x) => x.id === scuolaId)!;
        console.log(`${s.codice_meccanografico} ${s.denominazione}: ${e.valori} valori aggiornati su ${e.record.cig} CIG e ${e.record.cup} CUP, ${e.saltati.length} saltati`);
      }
    }
  }
} finally {
  await db.close();
}
process.exit(exitCode);
