import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { isRealCupDescription } from '../domain/cup.js';
import { orderAndPage, whereContainsNormalized, escapeLike, type Page } from './listQuery.js';
import type { VoceUso } from './usiRepository.js';
import { insertRow, updateAtVersion } from './versionedRows.js';

export type CupStato = 'attivo' | 'chiuso' | 'annullato';

/** What a form stores (columns of cup), after validation. */
export type CupValues = {
  codice: string;
  descrizione: string;
  anno_decisione: number | null;
  importo_finanziato_cents: number | null;
  fonte_finanziamento: string | null;
  stato: CupStato;
  note: string | null;
};

export type CupRow = CupValues & { id: number; da_completare: boolean; version: number; created_at: Date; updated_at: Date };

export type CupFilters = {
  codice?: string;
  descrizione?: string;
  anno?: number;
  fonte?: string;
  stato?: CupStato;
};

/** Sortable columns: list keys → SQL (a whitelist). */
export const CUP_SORTS = {
  codice: 'codice',
  descrizione: 'descrizione',
  anno_decisione: 'anno_decisione',
  importo_finanziato: 'importo_finanziato_cents',
  fonte_finanziamento: 'fonte_finanziamento',
  stato: 'stato',
} as const;
export type CupSortKey = keyof typeof CUP_SORTS;
const NOT_NULL: ReadonlySet<CupSortKey> = new Set(['codice', 'descrizione', 'stato']);

const COLUMNS = ['id', 'codice', 'descrizione', 'anno_decisione', 'importo_finanziato_cents', 'fonte_finanziamento', 'stato', 'da_completare', 'note', 'version', 'created_at', 'updated_at'];

function applyFilters(qb: Knex.QueryBuilder, f: CupFilters) {
  if (f.codice) qb.where('codice', 'like', `%${escapeLike(f.codice)}%`);
  if (f.descrizione) whereContainsNormalized(qb, 'descrizione_ricerca', f.descrizione);
  if (f.anno !== undefined) qb.where('anno_decisione', f.anno);
  if (f.fonte) qb.where('fonte_finanziamento', f.fonte);
  if (f.stato) qb.where('stato', f.stato);
  return qb;
}

export function listCup(db: Db, scuolaId: number, filters: CupFilters, sort: CupSortKey, page: Omit<Page, 'sortSql'>): Promise<CupRow[]> {
  const qb = applyFilters(db('cup').where('scuola_id', scuolaId), filters).select(COLUMNS);
  return orderAndPage(qb, 'id', { ...page, sortSql: CUP_SORTS[sort], notNull: NOT_NULL.has(sort) });
}

export async function countCup(db: Db, scuolaId: number, filters: CupFilters): Promise<number> {
  const row = await applyFilters(db('cup').where('scuola_id', scuolaId), filters).first(db.raw('count(*)::int as n'));
  return Number(row?.n ?? 0);
}

export function findCup(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<CupRow | undefined> {
  const qb = db('cup').where({ scuola_id: scuolaId, id }).first(COLUMNS);
  if (options.forUpdate) qb.forUpdate();
  return qb;
}

export function findCupByCodice(db: Db, scuolaId: number, codice: string): Promise<{ id: number; codice: string } | undefined> {
  return db('cup').where({ scuola_id: scuolaId, codice }).first('id', 'codice');
}

export function insertCup(db: Db, scuolaId: number, userId: number, values: CupValues): Promise<number> {
  return insertRow(db, 'cup', scuolaId, userId, values);
}

/**
 * Update only if the stored version is the one the form was opened on: 0 rows means a conflict (or gone).
 * A real description (not the import's placeholder) completes the CUP, as a data di generazione completes a CIG.
 */
export function updateCup(db: Db, scuolaId: number, id: number, version: number, userId: number | null, values: Partial<CupValues>): Promise<number> {
  return updateAtVersion(db, 'cup', scuolaId, id, version, userId, { ...values, ...(isRealCupDescription(values.descrizione) ? { da_completare: false } : {}) });
}

export function deleteCup(db: Db, scuolaId: number, id: number): Promise<number> {
  return db('cup').where({ scuola_id: scuolaId, id }).del();
}

/** Voci of the Piano delle destinazioni carrying the CUP. */
export function vociWithCup(db: Db, scuolaId: number, id: number, limit = 200): Promise<VoceUso[]> {
  return db('voci_destinazione')
    .where({ scuola_id: scuolaId, cup_id: id })
    .orderBy([{ column: 'esercizio', order: 'desc' }, 'aggregato', 'voce', 'sottovoce'])
    .limit(limit)
    .select('id', 'esercizio', 'aggregato', 'voce', 'sottovoce', 'descrizione');
}

export async function cupUsageCount(db: Db, scuolaId: number, id: number): Promise<number> {
  const row = await db
    .select(
      db.raw(
        `(select count(*)::int from impegni where scuola_id = ? and cup_id = ?)
         + (select count(*)::int from mandati where scuola_id = ? and cup_id = ?)
         + (select count(*)::int from voci_destinazione where scuola_id = ? and cup_id = ?) as n`,
        [scuolaId, id, scuolaId, id, scuolaId, id],
      ),
    )
    .first();
  return Number(row?.n ?? 0);
}
