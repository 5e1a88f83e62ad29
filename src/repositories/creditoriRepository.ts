import type { Db } from '../db/types.js';
import { insertRow, updateAtVersion } from './versionedRows.js';

/** The school's creditori for a drop-down (fornitore of a CIG, search filter). */
export function creditoriOptions(db: Db, scuolaId: number): Promise<{ id: number; denominazione: string }[]> {
  return db('creditori').where({ scuola_id: scuolaId }).orderBy(['denominazione', 'id']).select('id', 'denominazione');
}

export async function creditoreExists(db: Db, scuolaId: number, id: number): Promise<boolean> {
  return (await db('creditori').where({ scuola_id: scuolaId, id }).first('id')) !== undefined;
}

/* ------------------------------------------------------------------------------------------------
 * Anagrafica dei creditori (Gestisci → Creditori): list, record, create, edit.
 * ---------------------------------------------------------------------------------------------- */

export type CreditoreValues = {
  denominazione: string;
  codice_fiscale: string | null;
  partita_iva: string | null;
  /** Street and number (OPI `indirizzo_beneficiario`). */
  indirizzo: string | null;
  cap: string | null;
  localita: string | null;
  provincia: string | null;
  /** ISO 3166 alpha-2, 'IT' by default. */
  stato: string;
  iban: string | null;
};

export type CreditoreRow = CreditoreValues & { id: number; version: number; documenti: number };

export const CREDITORI_SORTS = {
  denominazione: 'c.denominazione',
  codice_fiscale: 'c.codice_fiscale',
  partita_iva: 'c.partita_iva',
  localita: 'immutable_unaccent(c.localita)',
  documenti: 'documenti',
} as const;
export type CreditoreSortKey = keyof typeof CREDITORI_SORTS;

const CREDITORE_COLUMNS = ['c.id', 'c.denominazione', 'c.codice_fiscale', 'c.partita_iva', 'c.indirizzo', 'c.cap', 'c.localita', 'c.provincia', 'c.stato', 'c.iban', 'c.version'];
const DOCUMENTI_SQL = `((select count(*) from impegni i where i.scuola_id = c.scuola_id and i.creditore_id = c.id)
  + (select count(*) from mandati m where m.scuola_id = c.scuola_id and m.beneficiario_id = c.id))::int`;

function searchCreditori(db: Db, scuolaId: number, q: string) {
  const qb = db('creditori as c').where('c.scuola_id', scuolaId);
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    qb.where((w) => {
      w.whereRaw('immutable_unaccent(c.denominazione) ilike immutable_unaccent(?)', [like])
        .orWhereRaw('c.codice_fiscale ilike ?', [like])
        .orWhereRaw('c.partita_iva ilike ?', [like]);
    });
  }
  return qb;
}

export function listCreditori(
  db: Db, scuolaId: number, q: string, sort: CreditoreSortKey, page: { dir: 'asc' | 'desc'; limit: number; offset: number },
): Promise<CreditoreRow[]> {
  const dir = page.dir === 'desc' ? 'desc' : 'asc';
  return searchCreditori(db, scuolaId, q)
    .select([...CREDITORE_COLUMNS, db.raw(`${DOCUMENTI_SQL} as documenti`)])
    .orderByRaw(`${CREDITORI_SORTS[sort]} ${dir} nulls last, c.id ${dir}`)
    .limit(page.limit)
    .offset(page.offset);
}

export async function countCreditori(db: Db, scuolaId: number, q: string): Promise<number> {
  const row = await searchCreditori(db, scuolaId, q).first(db.raw('count(*)::int as n'));
  return Number(row?.n ?? 0);
}

export function findCreditore(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<CreditoreRow | undefined> {
  const qb = db('creditori as c').where({ 'c.scuola_id': scuolaId, 'c.id': id }).first([...CREDITORE_COLUMNS, db.raw(`${DOCUMENTI_SQL} as documenti`)]);
  if (options.forUpdate) qb.forUpdate();
  return qb;
}

export function insertCreditore(db: Db, scuolaId: number, userId: number, values: CreditoreValues): Promise<number> {
  return insertRow(db, 'creditori', scuolaId, userId, values);
}

export function updateCreditore(db: Db, scuolaId: number, id: number, version: number, userId: number, values: CreditoreValues): Promise<number> {
  return updateAtVersion(db, 'creditori', scuolaId, id, version, userId, values);
}

/** A creditore with the same codice fiscale or partita IVA in the school (duplicates are refused). */
export function findCreditoreByIdentificativo(
  db: Db, scuolaId: number, values: { codice_fiscale: string | null; partita_iva: string | null }, exceptId: number | null,
): Promise<{ id: number; denominazione: string } | undefined> {
  const qb = db('creditori').where('scuola_id', scuolaId).andWhere((w) => {
    if (values.codice_fiscale) w.orWhere('codice_fiscale', values.codice_fiscale);
    if (values.partita_iva) w.orWhere('partita_iva', values.partita_iva);
  });
  if (exceptId !== null) qb.whereNot('id', exceptId);
  return qb.first('id', 'denominazione');
}
