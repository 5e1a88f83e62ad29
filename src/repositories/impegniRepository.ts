import { sameSchool } from '../db/sameSchool.js';
import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { orderAndPage, type Page } from './listQuery.js';
import { CODICI_COLUMNS, joinCodici, VOCE_CODICE_SQL, VOCE_COLUMNS, whereDocumenti, type DocumentiFilters } from './documentQuery.js';
import { insertRow, updateAtVersion } from './versionedRows.js';

/** What the impegno form stores (columns of impegni), after validation. */
export type ImpegnoValues = {
  data: string;
  voce_id: number;
  conto_id: number | null;
  creditore_id: number | null;
  oggetto: string;
  importo_cents: number;
  cig_id: number | null;
  motivo_esclusione_cig: string | null;
  cup_id: number | null;
  note: string | null;
};

export type ImpegnoRow = ImpegnoValues & {
  id: number;
  esercizio: number;
  numero: number;
  voce_aggregato: string;
  voce_voce: number;
  voce_sottovoce: number | null;
  voce_descrizione: string;
  voce_cup_id: number | null;
  conto_tipo: number | null;
  conto_conto: number | null;
  conto_sottoconto: number | null;
  conto_descrizione: string | null;
  /** The conto's codice gestionale SIOPE (what the mandati of this impegno carry as codice_cgu). */
  conto_codice_siope: string | null;
  creditore: string | null;
  cig_codice: string | null;
  cig_oggetto: string | null;
  cig_stato: string | null;
  cup_codice: string | null;
  cup_descrizione: string | null;
  cup_stato: string | null;
  cig_testo: string | null;
  cup_testo: string | null;
  cig_testo_nessun_codice: boolean;
  cup_testo_nessun_codice: boolean;
  pagato_cents: number;
  version: number;
};

export const IMPEGNI_SORTS = {
  numero: 'i.numero',
  data: 'i.data',
  voce: VOCE_CODICE_SQL('v'),
  oggetto: 'i.oggetto',
  creditore: 'cr.denominazione',
  importo: 'i.importo_cents',
  pagato: 'pagato_cents',
  cig: 'cg.codice',
  cup: 'cu.codice',
} as const;
export type ImpegnoSortKey = keyof typeof IMPEGNI_SORTS;

const PAGATO = `(select coalesce(sum(m.importo_cents), 0) from mandati m where m.scuola_id = i.scuola_id and m.impegno_id = i.id and m.annullato_at is null)`;

const COLUMNS = [
  'i.id', 'i.esercizio', 'i.numero', 'i.data', 'i.voce_id', 'i.conto_id', 'i.creditore_id', 'i.oggetto', 'i.importo_cents',
  'i.cig_id', 'i.motivo_esclusione_cig', 'i.cup_id', 'i.note', 'i.cig_testo', 'i.cup_testo', 'i.cig_testo_nessun_codice', 'i.cup_testo_nessun_codice', 'i.version',
  ...VOCE_COLUMNS,
  'pc.tipo as conto_tipo', 'pc.conto as conto_conto', 'pc.sottoconto as conto_sottoconto', 'pc.descrizione as conto_descrizione', 'pc.codice_siope as conto_codice_siope',
  'cr.denominazione as creditore',
  ...CODICI_COLUMNS,
];

function base(db: Db, scuolaId: number) {
  const qb = db('impegni as i')
    .join('voci_destinazione as v', sameSchool('v', 'i', 'voce_id'))
    .leftJoin('piano_conti as pc', sameSchool('pc', 'i', 'conto_id'))
    .leftJoin('creditori as cr', sameSchool('cr', 'i', 'creditore_id'));
  return joinCodici(qb, 'i').where('i.scuola_id', scuolaId);
}

/** The search panel; its box: numero (exact), oggetto, creditore, voce, CIG, CUP (also the legacy free text). */
function applySearch(qb: Knex.QueryBuilder, f: DocumentiFilters) {
  return whereDocumenti(qb, f, 'i', 'i.creditore_id', (w, like, q) => {
    if (/^\d{1,9}$/.test(q)) w.orWhere('i.numero', Number(q));
    w.orWhereRaw('immutable_unaccent(i.oggetto) ilike immutable_unaccent(?)', [like])
      .orWhereRaw('immutable_unaccent(cr.denominazione) ilike immutable_unaccent(?)', [like])
      .orWhereRaw('v.descrizione ilike ?', [like]);
  });
}

/** The impegni the search finds, sorted, one page (every one without `limit`: the exports). */
export async function listImpegni(db: Db, scuolaId: number, f: DocumentiFilters, sort: ImpegnoSortKey, page: Omit<Page, 'sortSql'>): Promise<ImpegnoRow[]> {
  const qb = applySearch(base(db, scuolaId), f).select([...COLUMNS, db.raw(`${PAGATO} as pagato_cents`)]);
  const rows: ImpegnoRow[] = await orderAndPage(qb, 'i.id', { ...page, sortSql: IMPEGNI_SORTS[sort] });
  return rows.map((r) => ({ ...r, pagato_cents: Number(r.pagato_cents) }));
}


/** How many impegni the search finds, and their totals (every page): impegnato, pagato (mandati not annulled). */
export async function impegniTotals(db: Db, scuolaId: number, f: DocumentiFilters) {
  const row = await applySearch(base(db, scuolaId), f).first(
    db.raw('count(*)::int as n'),
    db.raw('coalesce(sum(i.importo_cents), 0)::bigint as importo'),
    db.raw(`coalesce(sum(${PAGATO}), 0)::bigint as pagato`),
  );
  return { n: Number(row?.n ?? 0), importoCents: Number(row?.importo ?? 0), pagatoCents: Number(row?.pagato ?? 0) };
}

export async function findImpegno(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<ImpegnoRow | undefined> {
  if (options.forUpdate) {
    // Lock the impegno's own row (mandati on it and edits of it queue here).
    const locked = await db('impegni').where({ scuola_id: scuolaId, id }).forUpdate().first('id');
    if (!locked) return undefined;
  }
  const row = await base(db, scuolaId).where('i.id', id).first([...COLUMNS, db.raw(`${PAGATO} as pagato_cents`)]);
  return row ? { ...row, pagato_cents: Number(row.pagato_cents) } : undefined;
}

export function insertImpegno(db: Db, scuolaId: number, userId: number, values: ImpegnoValues & { esercizio: number; numero: number }): Promise<number> {
  return insertRow(db, 'impegni', scuolaId, userId, values);
}

export function updateImpegno(db: Db, scuolaId: number, id: number, version: number, userId: number, values: ImpegnoValues): Promise<number> {
  return updateAtVersion(db, 'impegni', scuolaId, id, version, userId, values);
}

/** Sum of the mandati on an impegno, optionally leaving one out (the mandato being edited). */
export async function pagatoSuImpegno(db: Db, scuolaId: number, impegnoId: number, exceptMandatoId: number | null = null): Promise<number> {
  const qb = db('mandati').where({ scuola_id: scuolaId, impegno_id: impegnoId }).whereNull('annullato_at');
  if (exceptMandatoId !== null) qb.whereNot('id', exceptMandatoId);
  const row = await qb.first(db.raw('coalesce(sum(importo_cents), 0)::bigint as s'));
  return Number(row?.s ?? 0);
}

/** What is left to pay on an impegno: its importo less its mandati not annulled (one query). */
export async function residuoImpegno(db: Db, scuolaId: number, impegnoId: number): Promise<number> {
  const row = await db('impegni as i').where({ 'i.scuola_id': scuolaId, 'i.id': impegnoId }).first(db.raw(`(i.importo_cents - ${PAGATO})::bigint as residuo`));
  return Number(row?.residuo ?? 0);
}

export type ImpegnoOption = {
  id: number; esercizio: number; numero: number; oggetto: string; importo_cents: number; pagato_cents: number;
  creditore_id: number | null; cig_id: number | null; motivo_esclusione_cig: string | null; cup_id: number | null;
};

/** Impegni a new mandato can go on: those of the esercizi given with a residual left, plus `keepId`. */
export async function impegniOptions(db: Db, scuolaId: number, esercizi: number[], keepId: number | null): Promise<ImpegnoOption[]> {
  const rows = await db('impegni as i')
    .where('i.scuola_id', scuolaId)
    .andWhere((qb) => {
      qb.where((inner) => inner.whereIn('i.esercizio', esercizi).andWhereRaw(`i.importo_cents > ${PAGATO}`));
      if (keepId !== null) qb.orWhere('i.id', keepId);
    })
    .orderBy([{ column: 'i.esercizio', order: 'desc' }, { column: 'i.numero', order: 'desc' }])
    .select('i.id', 'i.esercizio', 'i.numero', 'i.oggetto', 'i.importo_cents', 'i.creditore_id', 'i.cig_id', 'i.motivo_esclusione_cig', 'i.cup_id', db.raw(`${PAGATO} as pagato_cents`));
  return rows.map((r: ImpegnoOption) => ({ ...r, pagato_cents: Number(r.pagato_cents) }));
}
