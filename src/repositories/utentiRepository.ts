import type { Db } from '../db/types.js';

export type Ruolo = 'segreteria' | 'admin';

export type UtenteRow = {
  id: number;
  scuola_id: number;
  username: string;
  nome: string;
  password_hash: string;
  ruolo: Ruolo;
  attivo: boolean;
  preferenze: Record<string, unknown>;
};

export type CurrentUser = {
  id: number;
  username: string;
  nome: string;
  ruolo: Ruolo;
  scuolaId: number;
  scuolaDenominazione: string;
  scuolaCodice: string;
  preferenze: Record<string, unknown>;
  /** Whether the school's one-time CIG/CUP import has run (pages show a banner until it has). */
  /** The one-time import never ran for the school, and its documents hold codes written as text. */
  importazioneDaFare: boolean;
};

export function findUtenteByUsername(db: Db, username: string): Promise<UtenteRow | undefined> {
  return db<UtenteRow>('utenti').where({ username, attivo: true }).first();
}

/**
 * The columns of CurrentUser, from `utenti as u` joined with `scuole as s`:
 * shared by findCurrentUser and the session store, which reads the user with
 * the session in one query (sessioniRepository).
 */
export function currentUserColumns(db: Db) {
  return [
    'u.id',
    'u.username',
    'u.nome',
    'u.ruolo',
    'u.preferenze',
    'u.scuola_id as scuolaId',
    's.denominazione as scuolaDenominazione',
    's.codice_meccanografico as scuolaCodice',
    db.raw(`(not exists (select 1 from importazioni i where i.scuola_id = u.scuola_id and i.completata_at is not null)
      and (exists (select 1 from impegni d where d.scuola_id = u.scuola_id and (d.cig_testo ~ '\\S' or d.cup_testo ~ '\\S'))
        or exists (select 1 from mandati d where d.scuola_id = u.scuola_id and (d.cig_testo ~ '\\S' or d.cup_testo ~ '\\S'))
        or exists (select 1 from voci_destinazione v where v.scuola_id = u.scuola_id and v.cup_testo ~ '\\S'))) as "importazioneDaFare"`),
  ];
}

export async function findCurrentUser(db: Db, id: number): Promise<CurrentUser | undefined> {
  const row = await db('utenti as u')
    .join('scuole as s', 's.id', 'u.scuola_id')
    .where({ 'u.id': id, 'u.attivo': true })
    .first(currentUserColumns(db));
  return row as CurrentUser | undefined;
}

/** Stores the columns the user chose for one register's list, keeping the other preferences. */
export async function saveColumnPreference(db: Db, scuolaId: number, id: number, registro: string, colonne: string[]) {
  await db('utenti')
    .where({ scuola_id: scuolaId, id })
    .update({
      preferenze: db.raw(
        `preferenze || jsonb_build_object('colonne', coalesce(preferenze->'colonne', '{}'::jsonb) || jsonb_build_object(?::text, ?::jsonb))`,
        [registro, JSON.stringify(colonne)],
      ),
    });
}

/** The columns the user chose for a register, or null (defaults). */
export function columnPreference(preferenze: Record<string, unknown> | null | undefined, registro: string): string[] | null {
  const colonne = (preferenze?.colonne as Record<string, unknown> | undefined)?.[registro];
  return Array.isArray(colonne) ? colonne.filter((c): c is string => typeof c === 'string') : null;
}
