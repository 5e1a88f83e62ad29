import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrateLatest, openDatabase } from '../db/database.js';
import { createImportazioneService } from '../services/importazioneService.js';
import { listScuole } from '../repositories/importazioneRepository.js';

/**
 * The one-time import for hosted operators:
 *   npm run import -- --scuola RMIC8ZZ00Q [--anteprima]
 *   npm run import -- --tutte [--anteprima] [--accetta-proposte]
 * Proposals (look-alike corrections, exclusion phrases, placeholders, codes
 * read in oggetti) are applied only with --accetta-proposte.
 */
const USAGE = 'Uso: npm run import -- (--scuola <codice meccanografico> | --tutte) [--anteprima] [--accetta-proposte]';

const { values } = parseArgs({
  options: { scuola: { type: 'string' }, tutte: { type: 'boolean' }, anteprima: { type: 'boolean' }, 'accetta-proposte': { type: 'boolean' }, help: { type: 'boolean' } },
});
if (values.help || (!values.scuola && !values.tutte) || (values.scuola && values.tutte)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
let exitCode = 0;
try {
  await migrateLatest(db.knex);
  const service = createImportazioneService(db.knex);
  const scuole = await listScuole(db.knex, values.scuola);
  if (!scuole.length) {
    console.error(`Nessuna scuola con codice meccanografico ${values.scuola}.`);
    exitCode = 2;
  }
  const started = Date.now();
  for (const [i, scuola] of scuole.entries()) {
    const head = `[${i + 1}/${scuole.length}] ${scuola.codice_meccanografico} ${scuola.denominazione}`;
    const t0 = Date.now();
    if (values.anteprima) {
      const p = await service.preview(scuola.id);
      console.log(
        `${head}: anteprima — ${p.cig.daRegistrare.length} CIG e ${p.cup.daRegistrare.length} CUP da registrare, ` +
          `${p.cig.giaRegistrati.length + p.cup.giaRegistrati.length} già presenti, ` +
          `${p.collegamenti.cig + p.collegamenti.cup + p.collegamenti.vociCup} collegamenti, ` +
          `${p.proposte.filter((x) => x.accettabile).length} proposte, ${p.nonValidi.length} valori non validi (${Date.now() - t0} ms)`,
      );
      continue;
    }
    const esito = await service.run(scuola.id, null, 'cli', undefined, values['accetta-proposte'] ? 'tutte' : undefined);
    if (!esito.ok) {
      console.log(`${head}: importazione in corso da un’altra parte, saltata`);
      exitCode = 1;
      continue;
    }
    const c = esito.conteggi;
    console.log(
      `${head}: ${c.cigRegistrati} CIG e ${c.cupRegistrati} CUP registrati, ` +
        `${c.impegniCollegatiCig + c.mandatiCollegatiCig + c.impegniCollegatiCup + c.mandatiCollegatiCup + c.vociCollegateCup} collegamenti, ` +
        `${c.proposteAccettate ?? 0} proposte accettate, ${c.valoriNonValidi} valori non validi (report n. ${esito.id}, ${Date.now() - t0} ms)`,
    );
  }
  console.log(`Fatto: ${scuole.length} scuole in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await db.close();
}
process.exit(exitCode);
