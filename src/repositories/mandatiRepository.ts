import { sameSchool } from '../db/sameSchool.js';
import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { orderAndPage, type Page } from './listQuery.js';
import { CODICI_COLUMNS, joinCodici, VOCE_COLUMNS, whereDocumenti, type DocumentiFilters } from './documentQuery.js';
import { insertRow, updateAtVersion } from './versionedRows.js';

export type MandatoValues = {
  data: string;
  impegno_id: number;
  beneficiario_id: number | null;
  causale: string;
  importo_cents: number;
  modalita_pagamento: string;
  tipo_debito: string;
  cig_id: number | null;
  motivo_esclusione_cig: string | null;
  cup_id: number | null;
  note: string | null;
};

export type MandatoRow = MandatoValues & {
  id: number;
  esercizio: number;
  numero: number;
  impegno_esercizio: number;
  impegno_numero: number;
  impegno_data: string;
  impegno_oggetto: string;
  impegno_cig_id: number | null;
  impegno_cup_id: number | null;
  impegno_cig_codice: string | null;
  voce_id: number;
  voce_aggregato: string;
  voce_voce: number;
  voce_sottovoce: number | null;
  voce_descrizione: string;
  voce_cup_id: number | null;
  beneficiario: string | null;
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
  version: number;
  /** Annulled after it was sent to the bank (its ANNULLO goes with the next distinta): it pays nothing any more. */
  annullato_at: Date | null;
  annullato_motivo: string | null;
};

export const MANDATI_SORTS = {
  numero: 'm.numero',
  data: 'm.data',
  impegno: 'i.numero',
  beneficiario: 'b.denominazione',
  causale: 'm.causale',
  importo: 'm.importo_cents',
  cig: 'cg.codice',
  cup: 'cu.codice',
} as const;
export type MandatoSortKey = keyof typeof MANDATI_SORTS;

const COLUMNS = [
  'm.id', 'm.esercizio', 'm.numero', 'm.data', 'm.impegno_id', 'm.beneficiario_id', 'm.causale', 'm.importo_cents', 'm.modalita_pagamento',
  'm.tipo_debito', 'm.cig_id', 'm.motivo_esclusione_cig', 'm.cup_id', 'm.note', 'm.cig_testo', 'm.cup_testo', 'm.cig_testo_nessun_codice', 'm.cup_testo_nessun_codice', 'm.version', 'm.annullato_at', 'm.annullato_motivo',
  'i.esercizio as impegno_esercizio', 'i.numero as impegno_numero', 'i.data as impegno_data', 'i.oggetto as impegno_oggetto', 'i.cig_id as impegno_cig_id', 'i.cup_id as impegno_cup_id',
  'icg.codice as impegno_cig_codice',
  'v.id as voce_id', ...VOCE_COLUMNS,
  'b.denominazione as beneficiario',
  ...CODICI_COLUMNS,
];

function base(db: Db, scuolaId: number) {
  const qb = db('mandati as m')
    .join('impegni as i', sameSchool('i', 'm', 'impegno_id'))
    .join('voci_destinazione as v', sameSchool('v', 'i', 'voce_id'))
    .leftJoin('cig as icg', sameSchool('icg', 'i', 'cig_id'))
    .leftJoin('creditori as b', sameSchool('b', 'm', 'beneficiario_id'));
  return joinCodici(qb, 'm').where('m.scuola_id', scuolaId);
}

/** The search panel (voce: the impegno's; creditore: the beneficiario); its box: numero of the mandato or its impegno (exact), causale, oggetto, beneficiario, voce, CIG, CUP (also the legacy free text). */
function applySearch(qb: Knex.QueryBuilder, f: DocumentiFilters) {
  return whereDocumenti(qb, f, 'm', 'm.beneficiario_id', (w, like, q) => {
    if (/^\d{1,9}$/.test(q)) w.orWhere('m.numero', Number(q)).orWhere('i.numero', Number(q));
    w.orWhereRaw('immutable_unaccent(m.causale) ilike immutable_unaccent(?)', [like])
      .orWhereRaw('immutable_unaccent(i.oggetto) ilike immutable_unaccent(?)', [like])
      .orWhereRaw('immutable_unaccent(b.denominazione) ilike immutable_unaccent(?)', [like]);
  });
}

/** The mandati the search finds, sorted, one page (every one without `limit`: the exports). */
export function listMandati(db: Db, scuolaId: number, f: DocumentiFilters, sort: MandatoSortKey, page: Omit<Page, 'sortSql'>): Promise<MandatoRow[]> {
  const qb = applySearch(base(db, scuolaId), f).select(COLUMNS);
  return orderAndPage(qb, 'm.id', { ...page, sortSql: MANDATI_SORTS[sort] });
}

/** How many mandati the search finds (annulled ones too, and how many), and what they pay (every page; an annulled mandato pays nothing). */
export async function mandatiTotals(db: Db, scuolaId: number, f: DocumentiFilters) {
  const row = await applySearch(base(db, scuolaId), f).first(
    db.raw('count(*)::int as n'),
    db.raw('(count(*) filter (where m.annullato_at is not null))::int as annullati'),
    db.raw('coalesce(sum(m.importo_cents) filter (where m.annullato_at is null), 0)::bigint as importo'),
  );
  return { n: Number(row?.n ?? 0), annullati: Number(row?.annullati ?? 0), importoCents: Number(row?.importo ?? 0) };
}

export function findMandato(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<MandatoRow | undefined> {
  const qb = base(db, scuolaId).where('m.id', id).first(COLUMNS);
  if (options.forUpdate) qb.forUpdate('m');
  return qb;
}

export function mandatiOfImpegno(db: Db, scuolaId: number, impegnoId: number): Promise<MandatoRow[]> {
  return base(db, scuolaId).where('m.impegno_id', impegnoId).orderBy([{ column: 'm.esercizio' }, { column: 'm.numero' }]).select(COLUMNS);
}

export function insertMandato(db: Db, scuolaId: number, userId: number, values: MandatoValues & { esercizio: number; numero: number }): Promise<number> {
  return insertRow(db, 'mandati', scuolaId, userId, values);
}

export function updateMandato(db: Db, scuolaId: number, id: number, version: number, userId: number, values: MandatoValues): Promise<number> {
  return updateAtVersion(db, 'mandati', scuolaId, id, version, userId, values);
}

/** Annuls a mandato at the version the page showed (0 rows: someone saved first). */
export function annullaMandato(db: Db, scuolaId: number, id: number, version: number, userId: number, motivo: string): Promise<number> {
  return db('mandati')
    .where({ scuola_id: scuolaId, id, version })
    .whereNull('annullato_at')
    .update({ annullato_at: db.fn.now(), annullato_by: userId, annullato_motivo: motivo, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}

/** Deletes a mandato (its invoice rows go with it: the caller gives back what they paid first). */
export function deleteMandato(db: Db, scuolaId: number, id: number): Promise<number> {
  return db('mandati').where({ scuola_id: scuolaId, id }).del();
}
