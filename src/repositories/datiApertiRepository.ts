import type { Knex } from 'knex';
import type { Db } from '../db/types.js';

/**
 * What the open data may complete: the registers' codes of one school (or of a
 * list of schools, for the operators' command), with their current values and
 * whether a person wrote their oggetto/descrizione. Every query is scoped by scuola_id.
 */

export type CigTarget = {
  id: number;
  scuola_id: number;
  codice: string;
  oggetto: string;
  data_generazione: string | null;
  data_scadenza_offerte: string | null;
  importo_cents: number | null;
  scelta_contraente: string | null;
  version: number;
  /** A person typed the oggetto (created it by hand, or changed it in the form): open data never replaces it. */
  testo_da_persona: boolean;
  /** Registered by the one-time import (its text came from a document, not from a person at the form). */
  da_importazione: boolean;
};

export type CupTarget = {
  id: number;
  scuola_id: number;
  codice: string;
  descrizione: string;
  anno_decisione: number | null;
  importo_finanziato_cents: number | null;
  version: number;
  testo_da_persona: boolean;
  da_importazione: boolean;
};

/**
 * True when a user (not the import, not an operator's command, not open data)
 * wrote the text field: created the record by hand, or saved a different text.
 * The import's rows say `dopo.origine = 'importazione'`; open data's say `dopo.fonte`.
 */
function textByPerson(db: Db, entita: 'cig' | 'cup', alias: string, field: 'oggetto' | 'descrizione') {
  return db.raw(
    `exists (
       select 1 from audit_log a
       where a.scuola_id = ${alias}.scuola_id and a.entita = ? and a.entita_id = ${alias}.id and a.utente_id is not null
         and ((a.azione = 'crea' and coalesce(a.dopo->>'origine', '') <> 'importazione')
           or (a.azione = 'modifica' and a.dopo->>'fonte' is null and (a.prima->>?) is distinct from (a.dopo->>?)))
     ) as testo_da_persona`,
    [entita, field, field],
  );
}

function fromImport(db: Db, entita: 'cig' | 'cup', alias: string) {
  return db.raw(
    `exists (
       select 1 from audit_log a
       where a.scuola_id = ${alias}.scuola_id and a.entita = ? and a.entita_id = ${alias}.id and a.azione = 'crea' and a.dopo->>'origine' = 'importazione'
     ) as da_importazione`,
    [entita],
  );
}

const scoped = (qb: Knex.QueryBuilder, column: string, scuole: readonly number[]) => qb.whereIn(column, scuole);

/** The CIGs of the schools, with what open data could fill. `forUpdate` inside the apply's transaction. */
export function cigTargets(db: Db, scuole: readonly number[], codici?: readonly string[]): Promise<CigTarget[]> {
  const qb = scoped(db('cig as c'), 'c.scuola_id', scuole).select(
    'c.id', 'c.scuola_id', 'c.codice', 'c.oggetto', 'c.data_generazione', 'c.data_scadenza_offerte', 'c.importo_cents', 'c.scelta_contraente', 'c.version',
    textByPerson(db, 'cig', 'c', 'oggetto'), fromImport(db, 'cig', 'c'),
  );
  if (codici) qb.whereIn('c.codice', codici);
  return qb.orderBy(['c.scuola_id', 'c.codice']);
}

export function cupTargets(db: Db, scuole: readonly number[], codici?: readonly string[]): Promise<CupTarget[]> {
  const qb = scoped(db('cup as c'), 'c.scuola_id', scuole).select(
    'c.id', 'c.scuola_id', 'c.codice', 'c.descrizione', 'c.anno_decisione', 'c.importo_finanziato_cents', 'c.version',
    textByPerson(db, 'cup', 'c', 'descrizione'), fromImport(db, 'cup', 'c'),
  );
  if (codici) qb.whereIn('c.codice', codici);
  return qb.orderBy(['c.scuola_id', 'c.codice']);
}

/** Whether a person wrote the oggetto/descrizione of one record (checked again when applying). */
export async function textWrittenByPerson(db: Db, entita: 'cig' | 'cup', scuolaId: number, id: number): Promise<boolean> {
  const row = await db(`${entita} as c`)
    .where({ 'c.scuola_id': scuolaId, 'c.id': id })
    .first(textByPerson(db, entita, 'c', entita === 'cig' ? 'oggetto' : 'descrizione'));
  return Boolean(row?.testo_da_persona);
}

/** The code of one record of the school ('' when gone), for a message. */
export async function codeOf(db: Db, entita: 'cig' | 'cup', scuolaId: number, id: number): Promise<string> {
  const row = await db(entita).where({ scuola_id: scuolaId, id }).first('codice');
  return (row?.codice as string | undefined) ?? '';
}
