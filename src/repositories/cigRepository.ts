import { sameSchool } from '../db/sameSchool.js';
import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import type { CigFamily } from '../domain/cig.js';
import { orderAndPage, whereContainsNormalized, escapeLike, type Page } from './listQuery.js';
import { insertRow, updateAtVersion } from './versionedRows.js';

export type CigStato = 'attivo' | 'annullato';

/** What a form stores (columns of cig), after validation. */
export type CigValues = {
  codice: string;
  famiglia: CigFamily;
  oggetto: string;
  data_generazione: string | null;
  data_scadenza_offerte: string | null;
  importo_cents: number | null;
  fornitore_id: number | null;
  scelta_contraente: string | null;
  stato: CigStato;
  note: string | null;
};

export type CigRow = CigValues & {
  id: number;
  fornitore: string | null;
  da_completare: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type CigFilters = {
  codice?: string;
  oggetto?: string;
  periodo?: { campo: 'data_generazione' | 'data_scadenza_offerte'; dal: string | null; al: string | null };
  stato?: CigStato;
  fornitoreId?: number;
  famiglia?: CigFamily;
  daCompletare?: boolean;
};

/** Sortable columns: list keys → SQL (a whitelist: nothing from the query string reaches SQL). */
export const CIG_SORTS = {
  codice: 'c.codice',
  famiglia: 'c.famiglia',
  oggetto: 'c.oggetto',
  data_generazione: 'c.data_generazione',
  data_scadenza_offerte: 'c.data_scadenza_offerte',
  importo: 'c.importo_cents',
  fornitore: 'f.denominazione',
  scelta_contraente: 'c.scelta_contraente',
  stato: 'c.stato',
} as const;
export type CigSortKey = keyof typeof CIG_SORTS;
const NOT_NULL: ReadonlySet<CigSortKey> = new Set(['codice', 'famiglia', 'oggetto', 'stato']);

const COLUMNS = [
  'c.id', 'c.codice', 'c.famiglia', 'c.oggetto', 'c.data_generazione', 'c.data_scadenza_offerte', 'c.importo_cents',
  'c.fornitore_id', 'f.denominazione as fornitore', 'c.scelta_contraente', 'c.stato', 'c.da_completare', 'c.note',
  'c.version', 'c.created_at', 'c.updated_at',
];

function base(db: Db, scuolaId: number) {
  return db('cig as c')
    .leftJoin('creditori as f', sameSchool('f', 'c', 'fornitore_id'))
    .where('c.scuola_id', scuolaId);
}

function applyFilters(qb: Knex.QueryBuilder, f: CigFilters) {
  if (f.codice) qb.where('c.codice', 'like', `%${escapeLike(f.codice)}%`);
  if (f.oggetto) whereContainsNormalized(qb, 'c.oggetto_ricerca', f.oggetto);
  if (f.periodo) {
    const column = f.periodo.campo === 'data_scadenza_offerte' ? 'c.data_scadenza_offerte' : 'c.data_generazione';
    if (f.periodo.dal) qb.where(column, '>=', f.periodo.dal);
    if (f.periodo.al) qb.where(column, '<=', f.periodo.al);
  }
  if (f.stato) qb.where('c.stato', f.stato);
  if (f.fornitoreId !== undefined) qb.where('c.fornitore_id', f.fornitoreId);
  if (f.famiglia) qb.where('c.famiglia', f.famiglia);
  if (f.daCompletare) qb.where('c.da_completare', true);
  return qb;
}

export function listCig(db: Db, scuolaId: number, filters: CigFilters, sort: CigSortKey, page: Omit<Page, 'sortSql'>): Promise<CigRow[]> {
  const qb = applyFilters(base(db, scuolaId), filters).select(COLUMNS);
  return orderAndPage(qb, 'c.id', { ...page, sortSql: CIG_SORTS[sort], notNull: NOT_NULL.has(sort) });
}

export async function countCig(db: Db, scuolaId: number, filters: CigFilters): Promise<number> {
  const qb = applyFilters(db('cig as c').where('c.scuola_id', scuolaId), filters);
  const row = await qb.first(db.raw('count(*)::int as n'));
  return Number(row?.n ?? 0);
}

export function findCig(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<CigRow | undefined> {
  const qb = base(db, scuolaId).where('c.id', id).first(COLUMNS);
  if (options.forUpdate) qb.forUpdate('c');
  return qb;
}

export function findCigByCodice(db: Db, scuolaId: number, codice: string): Promise<{ id: number; codice: string } | undefined> {
  return db('cig').where({ scuola_id: scuolaId, codice }).first('id', 'codice');
}

export function insertCig(db: Db, scuolaId: number, userId: number, values: CigValues): Promise<number> {
  return insertRow(db, 'cig', scuolaId, userId, { ...values, da_completare: false });
}

/** Update only if the stored version is the one the form was opened on: 0 rows means a conflict (or gone). */
export function updateCig(db: Db, scuolaId: number, id: number, version: number, userId: number | null, values: Partial<CigValues>): Promise<number> {
  return updateAtVersion(db, 'cig', scuolaId, id, version, userId, { ...values, ...(values.data_generazione ? { da_completare: false } : {}) });
}

export function deleteCig(db: Db, scuolaId: number, id: number): Promise<number> {
  return db('cig').where({ scuola_id: scuolaId, id }).del();
}

export async function cigUsageCount(db: Db, scuolaId: number, id: number): Promise<number> {
  const row = await db
    .select(
      db.raw('(select count(*)::int from impegni where scuola_id = ? and cig_id = ?) + (select count(*)::int from mandati where scuola_id = ? and cig_id = ?) as n', [
        scuolaId, id, scuolaId, id,
      ]),
    )
    .first();
  return Number(row?.n ?? 0);
}
