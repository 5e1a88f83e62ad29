import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { sameSchool } from '../db/sameSchool.js';
import { escapeLike, orderAndPage, whereContainsNormalized, type Page } from './listQuery.js';
import type { StatoFattura } from './fattureRepository.js';

/**
 * Gestisci → Fatture: the register's list (search, sort, pages, exports) and
 * the invoices that carry a code (the CIG and CUP pages). Every query is
 * scoped by school.
 */

export type ProblemaFattura = 'senza_cig' | 'codici_da_verificare' | 'senza_creditore';

export type FattureFilters = {
  /** Part of the supplier's name (case and accents ignored). */
  fornitore?: string;
  /** Part of the invoice number (case ignored). */
  numero?: string;
  /** Part of a CIG or CUP (upper case, no spaces). */
  codice?: string;
  stato?: StatoFattura;
  tipoDocumento?: string;
  dal?: string | null;
  al?: string | null;
  problemi?: ProblemaFattura[];
};

/** One row of the list (and of the exports). */
export type FatturaElencoRow = {
  id: number;
  fornitore_denominazione: string;
  numero: string;
  data: string;
  tipo_documento: string;
  totale_cents: number;
  imponibile_cents: number;
  imposta_cents: number;
  split_payment: boolean;
  scadenza: string | null;
  cig: string | null;
  cup: string | null;
  stato: StatoFattura;
  senza_cig: boolean;
  codici_da_verificare: boolean;
  senza_creditore: boolean;
  avvisi_schema: boolean;
};

/** Sortable columns: list keys → SQL (a whitelist: nothing from the query string reaches SQL). */
export const FATTURE_SORTS = {
  data: 'f.data',
  fornitore: 'f.fornitore_ricerca',
  numero: 'f.numero',
  totale: 'f.totale_cents',
  scadenza: 'f.scadenza',
  stato: 'f.stato',
} as const;
export type FattureSortKey = keyof typeof FATTURE_SORTS;
const NOT_NULL: ReadonlySet<FattureSortKey> = new Set(['data', 'fornitore', 'numero', 'totale', 'stato']);

const COLUMNS = [
  'f.id', 'f.fornitore_denominazione', 'f.numero', 'f.data', 'f.tipo_documento', 'f.totale_cents', 'f.imponibile_cents', 'f.imposta_cents',
  'f.split_payment', 'f.scadenza', 'f.cig', 'f.cup', 'f.stato', 'f.senza_cig', 'f.codici_da_verificare',
];

function applyFilters(db: Db, qb: Knex.QueryBuilder, scuolaId: number, f: FattureFilters) {
  if (f.fornitore) whereContainsNormalized(qb, 'f.fornitore_ricerca', f.fornitore);
  if (f.numero) qb.whereRaw('lower(f.numero) like lower(?)', [`%${escapeLike(f.numero)}%`]);
  if (f.codice) {
    // Any code of the invoice: the ones it is filed under, and every one written on it.
    const like = `%${escapeLike(f.codice)}%`;
    qb.whereIn(
      'f.id',
      db('fatture_codici').where('scuola_id', scuolaId).where('codice', 'like', like).select('fattura_id')
        .union((u) => u.from('fatture').where('scuola_id', scuolaId).where((w) => w.where('cig', 'like', like).orWhere('cup', 'like', like)).select('id')),
    );
  }
  if (f.stato) qb.where('f.stato', f.stato);
  if (f.tipoDocumento) qb.where('f.tipo_documento', f.tipoDocumento);
  if (f.dal) qb.where('f.data', '>=', f.dal);
  if (f.al) qb.where('f.data', '<=', f.al);
  for (const p of f.problemi ?? []) {
    if (p === 'senza_cig') qb.where('f.senza_cig', true);
    if (p === 'codici_da_verificare') qb.where('f.codici_da_verificare', true);
    if (p === 'senza_creditore') qb.whereNull('f.creditore_id');
  }
  return qb;
}

export function listFatture(db: Db, scuolaId: number, filters: FattureFilters, sort: FattureSortKey, page: Omit<Page, 'sortSql'>): Promise<FatturaElencoRow[]> {
  const qb = applyFilters(db, db('fatture as f').where('f.scuola_id', scuolaId), scuolaId, filters)
    .join('fatture_file as ff', sameSchool('ff', 'f', 'file_id'))
    .select(COLUMNS)
    .select(db.raw('f.creditore_id is null as senza_creditore'), db.raw("jsonb_array_length(ff.avvisi) > 0 as avvisi_schema"));
  return orderAndPage(qb, 'f.id', { ...page, sortSql: FATTURE_SORTS[sort], notNull: NOT_NULL.has(sort) });
}

/**
 * How many invoices match, counting no further than `upTo`: on the invoices'
 * table alone (no join), and stopping early, so that a search matching tens of
 * thousands of invoices (a supplier's name) is not read whole to be counted.
 */
export async function countFatture(db: Db, scuolaId: number, filters: FattureFilters, upTo: number): Promise<number> {
  const matching = applyFilters(db, db('fatture as f').where('f.scuola_id', scuolaId), scuolaId, filters).select(db.raw('1')).limit(upTo);
  const row = await db.from(matching.as('m')).first(db.raw('count(*)::int as n'));
  return Number(row?.n ?? 0);
}

export type FatturaConCodice = {
  id: number;
  numero: string;
  data: string;
  tipo_documento: string;
  fornitore_denominazione: string;
  totale_cents: number;
  pagato_cents: number;
  stato: StatoFattura;
};

/** The invoices that carry a code: filed under it, or with it written anywhere on them. */
function conCodice(db: Db, scuolaId: number, tipo: 'cig' | 'cup', codice: string) {
  return db('fatture as f')
    .where('f.scuola_id', scuolaId)
    .whereIn(
      'f.id',
      db('fatture_codici').where({ scuola_id: scuolaId, tipo, codice }).select('fattura_id')
        .union((u) => u.from('fatture').where({ scuola_id: scuolaId, [tipo]: codice }).select('id')),
    );
}

function fattureConCodice(db: Db, scuolaId: number, tipo: 'cig' | 'cup', codice: string, limit = 100): Promise<FatturaConCodice[]> {
  return conCodice(db, scuolaId, tipo, codice)
    .orderBy([{ column: 'f.data', order: 'desc' }, { column: 'f.id', order: 'desc' }])
    .limit(limit)
    .select('f.id', 'f.numero', 'f.data', 'f.tipo_documento', 'f.fornitore_denominazione', 'f.totale_cents', 'f.pagato_cents', 'f.stato');
}

/** Totals of the invoices with a code: how many, fatturato (credit notes subtracted), pagato. */
async function totaliConCodice(db: Db, scuolaId: number, tipo: 'cig' | 'cup', codice: string): Promise<{ n: number; fatturato_cents: number; pagato_cents: number }> {
  const row = await conCodice(db, scuolaId, tipo, codice).first(
    db.raw('count(*)::int as n'),
    db.raw("coalesce(sum(case when f.tipo_documento = 'TD04' then -f.totale_cents else f.totale_cents end), 0)::bigint as fatturato_cents"),
    db.raw('coalesce(sum(f.pagato_cents), 0)::bigint as pagato_cents'),
  );
  return { n: Number(row?.n ?? 0), fatturato_cents: Number(row?.fatturato_cents ?? 0), pagato_cents: Number(row?.pagato_cents ?? 0) };
}

/** The invoices that carry a code (the first `limit`, newest first) and the totals of all of them. */
export async function fattureDelCodice(db: Db, scuolaId: number, tipo: 'cig' | 'cup', codice: string) {
  const [rows, totali] = await Promise.all([fattureConCodice(db, scuolaId, tipo, codice), totaliConCodice(db, scuolaId, tipo, codice)]);
  return { rows, totali };
}
