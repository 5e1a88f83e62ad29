import type { Knex } from 'knex';
import * as schema from './20261127_01_schema.js';
import * as registri from './20261127_02_registri.js';
import * as documenti from './20261127_03_documenti.js';
import * as ricerca from './20261127_04_ricerca.js';
import * as ricercaPerScuola from './20261127_05_ricerca_per_scuola.js';
import * as testiOriginali from './20261204_06_testi_originali.js';
import * as testiSenzaCodice from './20261207_07_testi_senza_codice.js';
import * as cupDaCompletare from './20261207_08_cup_da_completare.js';
import * as fatture from './20261207_09_fatture.js';
import * as fattureElenco from './20261207_10_fatture_elenco.js';
import * as scuolaCassiere from './20261207_11_scuola_cassiere.js';
import * as creditoriIndirizzo from './20261207_12_creditori_indirizzo.js';
import * as contiSiope from './20261207_13_conti_siope.js';
import * as opiFlussi from './20261207_14_opi_flussi.js';

/**
 * Every migration, in order. A static list instead of knex's directory loading:
 * it works wherever TypeScript is compiled on the fly (tsx, vitest) without
 * relying on a loader hook in the process that runs it. Add new files here.
 */
export const MIGRATIONS: { name: string; module: { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> } }[] = [
  { name: '20261127_01_schema.ts', module: schema },
  { name: '20261127_02_registri.ts', module: registri },
  { name: '20261127_03_documenti.ts', module: documenti },
  { name: '20261127_04_ricerca.ts', module: ricerca },
  { name: '20261127_05_ricerca_per_scuola.ts', module: ricercaPerScuola },
  { name: '20261204_06_testi_originali.ts', module: testiOriginali },
  { name: '20261207_07_testi_senza_codice.ts', module: testiSenzaCodice },
  { name: '20261207_08_cup_da_completare.ts', module: cupDaCompletare },
  { name: '20261207_09_fatture.ts', module: fatture },
  { name: '20261207_10_fatture_elenco.ts', module: fattureElenco },
  { name: '20261207_11_scuola_cassiere.ts', module: scuolaCassiere },
  { name: '20261207_12_creditori_indirizzo.ts', module: creditoriIndirizzo },
  { name: '20261207_13_conti_siope.ts', module: contiSiope },
  { name: '20261207_14_opi_flussi.ts', module: opiFlussi },
];
