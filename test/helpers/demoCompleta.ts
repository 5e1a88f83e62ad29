import { readdirSync, readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { seedDemo } from '../../seeds/demo.js';
import { CARTELLA_ESEMPI } from '../../seeds/fattureEsempio.js';
import { createImportazioneService } from '../../src/services/importazioneService.js';
import { createFattureCaricamento } from '../../src/services/fattureCaricamento.js';
import { createDistinteService } from '../../src/services/distinteService.js';
import { TEST_TODAY } from './testApp.js';

/**
 * The demo school as a new user reaches it (README): the demo data, the
 * admin's import, the sample invoices uploaded, and a distinta of the mandati
 * ready to go. For browser suites that visit every kind of page.
 */
export async function demoCompleta(knex: Knex): Promise<{ distinta: number; mandatoInviato: number }> {
  await seedDemo(knex, { today: TEST_TODAY });
  const scuola = await knex('scuole').orderBy('id').first('id');
  await createImportazioneService(knex).run(scuola.id, null);
  const admin = await knex('utenti').where({ username: 'admin' }).first('id');
  const files = readdirSync(CARTELLA_ESEMPI).sort().map((nome) => ({ nome, bytes: readFileSync(CARTELLA_ESEMPI + nome) }));
  await createFattureCaricamento(knex).carica({ id: admin.id, scuolaId: scuola.id }, files);
  const distinte = createDistinteService(knex, () => TEST_TODAY);
  const esercizio = TEST_TODAY.getUTCFullYear();
  const { firma } = await distinte.page(scuola.id, esercizio, {});
  const creata = await distinte.crea({ id: admin.id, scuolaId: scuola.id }, esercizio, { firma, data_da: '', data_a: '', numero_da: '', numero_a: '' });
  if (!creata.ok) throw new Error(`distinta non creata: ${JSON.stringify(creata)}`);
  const inviato = await knex('opi_flussi_mandati').where({ flusso_id: creata.flussoId }).first('mandato_id');
  return { distinta: creata.flussoId, mandatoInviato: inviato.mandato_id as number };
}
