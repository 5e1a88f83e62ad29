import type { Knex } from 'knex';
import { hashPassword } from '../../src/services/passwords.js';
import { TEST_ESERCIZIO } from './testApp.js';

/** Small row factories: each test states the rows it needs. */
let counter = 0;
const next = () => ++counter;

export async function createScuola(knex: Knex, overrides: Partial<{ codice_meccanografico: string; denominazione: string }> = {}) {
  const n = next();
  const [row] = await knex('scuole')
    .insert({
      codice_meccanografico: overrides.codice_meccanografico ?? `RMIC${String(n).padStart(6, '0')}`,
      denominazione: overrides.denominazione ?? `Istituto di prova ${n}`,
    })
    .returning('*');
  return row as { id: number; codice_meccanografico: string; denominazione: string };
}

const hashes = new Map<string, Promise<string>>();
const cachedHash = (password: string) => {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
};

export async function createUtente(
  knex: Knex,
  scuolaId: number,
  overrides: Partial<{ username: string; password: string; ruolo: 'segreteria' | 'admin'; nome: string }> = {},
) {
  const n = next();
  const password = overrides.password ?? 'password-di-prova';
  const [row] = await knex('utenti')
    .insert({
      scuola_id: scuolaId,
      username: overrides.username ?? `utente${n}`,
      nome: overrides.nome ?? `Utente ${n}`,
      ruolo: overrides.ruolo ?? 'segreteria',
      password_hash: await cachedHash(password),
    })
    .returning('*');
  return { ...(row as { id: number; username: string; ruolo: string }), password };
}

export async function createCreditore(knex: Knex, scuolaId: number, overrides: Partial<{ denominazione: string }> = {}) {
  const n = next();
  const [row] = await knex('creditori')
    .insert({ scuola_id: scuolaId, denominazione: overrides.denominazione ?? `Fornitore ${n} S.r.l.` })
    .returning('*');
  return row as { id: number; denominazione: string };
}

export async function createVoce(
  knex: Knex,
  scuolaId: number,
  overrides: Partial<{ esercizio: number; aggregato: string; voce: number; sottovoce: number | null; descrizione: string; cup_testo: string | null }> = {},
) {
  const n = next();
  const [row] = await knex('voci_destinazione')
    .insert({
      scuola_id: scuolaId,
      esercizio: overrides.esercizio ?? TEST_ESERCIZIO,
      aggregato: overrides.aggregato ?? 'A',
      voce: overrides.voce ?? 3,
      sottovoce: overrides.sottovoce === undefined ? (n % 900) + 1 : overrides.sottovoce,
      descrizione: overrides.descrizione ?? `Scheda finanziaria ${n}`,
      cup_testo: overrides.cup_testo ?? null,
    })
    .returning('*');
  return row as { id: number; esercizio: number };
}

/** Two schools, each with a secretary, and an admin in the first: the usual cast. */
export async function createTwoSchools(knex: Knex) {
  const scuola1 = await createScuola(knex);
  const scuola2 = await createScuola(knex);
  const segreteria = await createUtente(knex, scuola1.id, { ruolo: 'segreteria' });
  const admin = await createUtente(knex, scuola1.id, { ruolo: 'admin' });
  const segreteria2 = await createUtente(knex, scuola2.id, { ruolo: 'segreteria' });
  return { scuola1, scuola2, segreteria, admin, segreteria2 };
}

export async function createCig(
  knex: Knex,
  scuolaId: number,
  overrides: Partial<{
    codice: string; famiglia: string; oggetto: string; data_generazione: string | null; data_scadenza_offerte: string | null;
    importo_cents: number | null; fornitore_id: number | null; stato: string; da_completare: boolean;
  }> = {},
) {
  const n = next();
  // A valid ordinario CIG from the progressive n: KKK = hex3((N × 211) mod 4091).
  const progressivo = 1000000 + n;
  const codice = overrides.codice ?? `${progressivo}${((progressivo * 211) % 4091).toString(16).toUpperCase().padStart(3, '0')}`;
  const [row] = await knex('cig')
    .insert({
      scuola_id: scuolaId,
      codice,
      famiglia: overrides.famiglia ?? 'ordinario',
      oggetto: overrides.oggetto ?? `Fornitura di prova ${n}`,
      data_generazione: overrides.data_generazione === undefined ? '2023-03-15' : overrides.data_generazione,
      data_scadenza_offerte: overrides.data_scadenza_offerte ?? null,
      importo_cents: overrides.importo_cents === undefined ? 100000 : overrides.importo_cents,
      fornitore_id: overrides.fornitore_id ?? null,
      stato: overrides.stato ?? 'attivo',
      da_completare: overrides.da_completare ?? false,
    })
    .returning('*');
  return row as { id: number; codice: string; oggetto: string; version: number };
}

export async function createCup(
  knex: Knex,
  scuolaId: number,
  overrides: Partial<{
    codice: string; descrizione: string; anno_decisione: number; importo_finanziato_cents: number | null; fonte_finanziamento: string | null; stato: string;
    da_completare: boolean;
  }> = {},
) {
  const n = next();
  const codice = overrides.codice ?? `C44D22${String(n).padStart(9, '0')}`;
  const [row] = await knex('cup')
    .insert({
      scuola_id: scuolaId,
      codice,
      descrizione: overrides.descrizione ?? `Progetto di prova ${n}`,
      anno_decisione: overrides.anno_decisione ?? 2022,
      importo_finanziato_cents: overrides.importo_finanziato_cents === undefined ? 5000000 : overrides.importo_finanziato_cents,
      fonte_finanziamento: overrides.fonte_finanziamento === undefined ? 'PNRR' : overrides.fonte_finanziamento,
      stato: overrides.stato ?? 'attivo',
      da_completare: overrides.da_completare ?? false,
    })
    .returning('*');
  return row as { id: number; codice: string; descrizione: string; version: number };
}

/** What impegni and mandati have in common: school, year, number, date (`day`: MM-DD of that year), the CIG and CUP if any. */
function documentColumns(scuolaId: number, esercizio: number, numero: number, day: string, codes: { cig_id?: number | null; cup_id?: number | null }) {
  return { scuola_id: scuolaId, esercizio, numero, data: `${esercizio}-${day}`, cig_id: codes.cig_id ?? null, cup_id: codes.cup_id ?? null };
}

/** An impegno (and its voce) of the current year, optionally carrying a CIG/CUP. */
export async function createImpegno(
  knex: Knex,
  scuolaId: number,
  overrides: Partial<{ importo_cents: number; cig_id: number | null; cup_id: number | null; oggetto: string }> = {},
) {
  const n = next();
  const voce = await createVoce(knex, scuolaId);
  const [row] = await knex('impegni')
    .insert({
      ...documentColumns(scuolaId, voce.esercizio, n, '02-01', overrides),
      voce_id: voce.id,
      oggetto: overrides.oggetto ?? `Impegno di prova ${n}`,
      importo_cents: overrides.importo_cents ?? 10000,
    })
    .returning('*');
  return row as { id: number; esercizio: number; numero: number };
}

export async function createMandato(
  knex: Knex,
  scuolaId: number,
  impegno: { id: number; esercizio: number },
  overrides: Partial<{ importo_cents: number; cig_id: number | null; cup_id: number | null }> = {},
) {
  const n = next();
  const [row] = await knex('mandati')
    .insert({
      ...documentColumns(scuolaId, impegno.esercizio, n, '03-01', overrides),
      impegno_id: impegno.id,
      causale: `Pagamento di prova ${n}`,
      importo_cents: overrides.importo_cents ?? 5000,
      modalita_pagamento: 'SEPA CREDIT TRANSFER',
      tipo_debito: 'COMMERCIALE',
    })
    .returning('*');
  return row as { id: number };
}
