import type { Knex } from 'knex';
import { hashPassword } from '../../src/services/passwords.js';

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
      esercizio: overrides.esercizio ?? new Date().getFullYear(),
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
