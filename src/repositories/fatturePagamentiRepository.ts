import type { Db } from '../db/types.js';
import { sameSchool } from '../db/sameSchool.js';

/**
 * What mandati pay of the invoices (`mandati_fatture`) and the invoices' running
 * totals (`fatture.pagato_cents`, `stornato_cents`). The services change the
 * totals only on rows they locked with `lockFatture`, in the same transaction
 * that writes the payments. Every query is scoped by school.
 */

/** An invoice as the payment rules see it: what is due, paid, credited, and whether it can be paid at all. */
export type FatturaDaPagare = {
  id: number;
  numero: string;
  data: string;
  tipo_documento: string;
  fornitore_chiave: string;
  fornitore_denominazione: string;
  creditore_id: number | null;
  impegno_id: number | null;
  rettifica_di_id: number | null;
  totale_cents: number;
  imponibile_cents: number;
  imposta_cents: number;
  split_payment: boolean;
  importo_dovuto_cents: number;
  pagato_cents: number;
  stornato_cents: number;
  iban: string | null;
  scadenza: string | null;
  version: number;
};

const COLUMNS = [
  'f.id', 'f.numero', 'f.data', 'f.tipo_documento', 'f.fornitore_chiave', 'f.fornitore_denominazione', 'f.creditore_id', 'f.impegno_id',
  'f.rettifica_di_id', 'f.totale_cents', 'f.imponibile_cents', 'f.imposta_cents', 'f.split_payment', 'f.importo_dovuto_cents',
  'f.pagato_cents', 'f.stornato_cents', 'f.iban', 'f.scadenza', 'f.version',
];

/** What is still to pay: due, less what was credited and paid. */
const RESIDUO = 'f.importo_dovuto_cents - f.stornato_cents - f.pagato_cents';

/** Locks the school's invoices among `ids`, in id order (two saves locking the same invoices never deadlock); the rows found. */
export function lockFatture(db: Db, scuolaId: number, ids: number[]): Promise<FatturaDaPagare[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db('fatture as f').where('f.scuola_id', scuolaId).whereIn('f.id', ids).orderBy('f.id').forUpdate().select(COLUMNS);
}

export function findFatturaDaPagare(db: Db, scuolaId: number, id: number): Promise<FatturaDaPagare | undefined> {
  return db('fatture as f').where({ 'f.scuola_id': scuolaId, 'f.id': id }).first(COLUMNS);
}

/** Invoices tied to the impegno with something left to pay, plus `keepIds` (those a mandato being edited pays), oldest first; at most 50. */
export function fattureDaPagare(db: Db, scuolaId: number, impegnoId: number, keepIds: number[]): Promise<FatturaDaPagare[]> {
  return db('fatture as f')
    .where('f.scuola_id', scuolaId)
    .andWhere((w) => {
      w.where((i) => i.where('f.impegno_id', impegnoId).whereNot('f.tipo_documento', 'TD04').whereRaw(`${RESIDUO} > 0`));
      if (keepIds.length) w.orWhereIn('f.id', keepIds);
    })
    .orderBy([{ column: 'f.data' }, { column: 'f.id' }])
    .limit(50)
    .select(COLUMNS);
}

/** The same supplier's invoices (not credit notes) a credit note can reduce: something left to pay. */
export function fattureStornabili(db: Db, scuolaId: number, fornitoreChiave: string): Promise<FatturaDaPagare[]> {
  return db('fatture as f')
    .where({ 'f.scuola_id': scuolaId, 'f.fornitore_chiave': fornitoreChiave })
    .whereNot('f.tipo_documento', 'TD04')
    .whereRaw(`${RESIDUO} > 0`)
    .orderBy([{ column: 'f.data', order: 'desc' }, { column: 'f.id', order: 'desc' }])
    .limit(100)
    .select(COLUMNS);
}

/** The supplier's invoices (not credit notes) with this numero, and this date when given. */
export async function fattureDelFornitore(db: Db, scuolaId: number, fornitoreChiave: string, numero: string, data: string | null): Promise<number[]> {
  const qb = db('fatture').where({ scuola_id: scuolaId, fornitore_chiave: fornitoreChiave, numero }).whereNot('tipo_documento', 'TD04');
  if (data) qb.where('data', data);
  const rows: { id: number }[] = await qb.orderBy('id').select('id');
  return rows.map((r) => r.id);
}

/** Credit notes applied to the invoice. */
export function noteDiCredito(db: Db, scuolaId: number, fatturaId: number): Promise<{ id: number; numero: string; data: string; totale_cents: number }[]> {
  return db('fatture').where({ scuola_id: scuolaId, rettifica_di_id: fatturaId }).orderBy('id').select('id', 'numero', 'data', 'totale_cents');
}

/** Adds `delta` (negative: gives back) to what the invoice's payments total; the caller holds the row lock. */
export function addPagato(db: Db, scuolaId: number, fatturaId: number, delta: number, userId: number | null) {
  return db('fatture')
    .where({ scuola_id: scuolaId, id: fatturaId })
    .update({ pagato_cents: db.raw('pagato_cents + ?', [delta]), version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}

/** Adds a credit note's amount to the invoice's stornato; the caller holds the row lock. */
export function addStornato(db: Db, scuolaId: number, fatturaId: number, amount: number, userId: number | null) {
  return db('fatture')
    .where({ scuola_id: scuolaId, id: fatturaId })
    .update({ stornato_cents: db.raw('stornato_cents + ?', [amount]), version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}

/** Ties a credit note to the invoice it corrects; the caller holds the row lock. */
export function setRettificaDi(db: Db, scuolaId: number, notaId: number, fatturaId: number, userId: number | null) {
  return db('fatture')
    .where({ scuola_id: scuolaId, id: notaId })
    .update({ rettifica_di_id: fatturaId, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}

/** One invoice a mandato pays: electronic (`fattura_id`) or analog (described by hand). */
export type PagamentoValues =
  | { fattura_id: number; importo_cents: number }
  | { fattura_id: null; importo_cents: number; numero: string; data: string; codice_fiscale: string; tipo: 'FATT_ANALOGICA' | 'DOC_EQUIVALENTE' };

export type PagamentoRow = {
  id: number;
  mandato_id: number;
  fattura_id: number | null;
  importo_cents: number;
  fattura_numero: string | null;
  fattura_data: string | null;
  fattura_fornitore: string | null;
  analogica_numero: string | null;
  analogica_data: string | null;
  analogica_codice_fiscale: string | null;
  analogica_tipo: 'FATT_ANALOGICA' | 'DOC_EQUIVALENTE' | null;
};

const PAGAMENTO_COLUMNS = [
  'mf.id', 'mf.mandato_id', 'mf.fattura_id', 'mf.importo_cents', 'f.numero as fattura_numero', 'f.data as fattura_data',
  'f.fornitore_denominazione as fattura_fornitore', 'mf.analogica_numero', 'mf.analogica_data', 'mf.analogica_codice_fiscale', 'mf.analogica_tipo',
];

/** The invoices a mandato pays, electronic first, in the order they were written. */
export function pagamentiOfMandato(db: Db, scuolaId: number, mandatoId: number): Promise<PagamentoRow[]> {
  return db('mandati_fatture as mf')
    .leftJoin('fatture as f', sameSchool('f', 'mf', 'fattura_id'))
    .where({ 'mf.scuola_id': scuolaId, 'mf.mandato_id': mandatoId })
    .orderByRaw('mf.fattura_id is null, mf.id')
    .select(PAGAMENTO_COLUMNS);
}

export type PagamentoDiFattura = { mandato_id: number; numero: number; esercizio: number; data: string; importo_cents: number };

/** The mandati that pay the invoice, with what each pays. */
export function mandatiOfFattura(db: Db, scuolaId: number, fatturaId: number): Promise<PagamentoDiFattura[]> {
  return db('mandati_fatture as mf')
    .join('mandati as m', sameSchool('m', 'mf', 'mandato_id'))
    .where({ 'mf.scuola_id': scuolaId, 'mf.fattura_id': fatturaId })
    .orderBy([{ column: 'm.esercizio' }, { column: 'm.numero' }])
    .select('mf.mandato_id', 'm.numero', 'm.esercizio', 'm.data', 'mf.importo_cents');
}

export async function deletePagamenti(db: Db, scuolaId: number, mandatoId: number): Promise<void> {
  await db('mandati_fatture').where({ scuola_id: scuolaId, mandato_id: mandatoId }).del();
}

export async function insertPagamenti(db: Db, scuolaId: number, mandatoId: number, pagamenti: PagamentoValues[]): Promise<void> {
  if (pagamenti.length === 0) return;
  await db('mandati_fatture').insert(pagamenti.map((p) => (p.fattura_id !== null
    ? { scuola_id: scuolaId, mandato_id: mandatoId, fattura_id: p.fattura_id, importo_cents: p.importo_cents }
    : {
      scuola_id: scuolaId, mandato_id: mandatoId, fattura_id: null, importo_cents: p.importo_cents,
      // The form asks only what the mandato pays of an analog document: it is also the amount OPI's dati_fattura_siope carries.
      analogica_numero: p.numero, analogica_data: p.data, analogica_importo_cents: p.importo_cents,
      analogica_codice_fiscale: p.codice_fiscale, analogica_tipo: p.tipo,
    })));
}
