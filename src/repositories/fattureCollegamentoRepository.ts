import type { Db } from '../db/types.js';
import { sameSchool } from '../db/sameSchool.js';
import { joinCodici } from './documentQuery.js';

/**
 * What tying an invoice to an impegno and to its creditore reads and writes
 * (issue 15): the impegni to propose with their residuo, the tie itself, the
 * supplier's invoices that get the new creditore. Every query is scoped by school.
 */

/** An impegno as the invoice page shows it, with its codes and what the mandati already paid on it. */
export type ImpegnoPerFattura = {
  id: number;
  esercizio: number;
  numero: number;
  data: string;
  oggetto: string;
  importo_cents: number;
  pagato_cents: number;
  creditore_id: number | null;
  creditore: string | null;
  cig: string | null;
  cup: string | null;
  motivo_esclusione_cig: string | null;
};

const PAGATO = `(select coalesce(sum(m.importo_cents), 0) from mandati m where m.scuola_id = i.scuola_id and m.impegno_id = i.id and m.annullato_at is null)`;

function impegniBase(db: Db, scuolaId: number) {
  return joinCodici(db('impegni as i').leftJoin('creditori as cr', sameSchool('cr', 'i', 'creditore_id')), 'i')
    .where('i.scuola_id', scuolaId)
    .select(
      'i.id', 'i.esercizio', 'i.numero', 'i.data', 'i.oggetto', 'i.importo_cents', 'i.creditore_id', 'cr.denominazione as creditore',
      'cg.codice as cig', 'cu.codice as cup', 'i.motivo_esclusione_cig', db.raw(`${PAGATO} as pagato_cents`),
    );
}

const toImpegno = (r: ImpegnoPerFattura): ImpegnoPerFattura => ({ ...r, importo_cents: Number(r.importo_cents), pagato_cents: Number(r.pagato_cents) });

export async function impegnoPerFattura(db: Db, scuolaId: number, id: number): Promise<ImpegnoPerFattura | undefined> {
  const row = await impegniBase(db, scuolaId).where('i.id', id).first();
  return row ? toImpegno(row) : undefined;
}

/** The impegno of the school with that number in that esercizio. */
export async function impegnoIdByNumero(db: Db, scuolaId: number, esercizio: number, numero: number): Promise<number | null> {
  const row = await db('impegni').where({ scuola_id: scuolaId, esercizio, numero }).first('id');
  return row ? Number(row.id) : null;
}

/** The impegni of the esercizi given that belong to the creditore or carry one of the CIG (at most `limit`). */
export async function impegniProposti(
  db: Db, scuolaId: number, filter: { esercizi: number[]; creditoreId: number | null; cig: string[] }, limit = 50,
): Promise<ImpegnoPerFattura[]> {
  if (filter.creditoreId === null && filter.cig.length === 0) return [];
  const rows = await impegniBase(db, scuolaId)
    .whereIn('i.esercizio', filter.esercizi)
    .andWhere((w) => {
      if (filter.creditoreId !== null) w.orWhere('i.creditore_id', filter.creditoreId);
      if (filter.cig.length > 0) w.orWhereIn('cg.codice', filter.cig);
    })
    .orderBy([{ column: 'i.esercizio', order: 'desc' }, { column: 'i.numero', order: 'desc' }])
    .limit(limit);
  return rows.map(toImpegno);
}

/** Ties (or unties, with null) the invoice at the version the page showed: 0 rows = someone else's version won. */
export function setImpegnoFattura(
  db: Db, scuolaId: number, id: number, version: number, userId: number, values: { impegno_id: number | null; motivo_collegamento: string | null },
): Promise<number> {
  return db('fatture')
    .where({ scuola_id: scuolaId, id, version })
    .update({ ...values, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}

/** The school's invoices of one supplier (by its key) still without a creditore, locked. */
export async function fattureSenzaCreditore(db: Db, scuolaId: number, fornitoreChiave: string): Promise<number[]> {
  const rows = await db('fatture').where({ scuola_id: scuolaId, fornitore_chiave: fornitoreChiave }).whereNull('creditore_id').orderBy('id').forUpdate().select('id');
  return rows.map((r: { id: number }) => Number(r.id));
}

export function setCreditoreFatture(db: Db, scuolaId: number, ids: number[], creditoreId: number, userId: number): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  return db('fatture')
    .where('scuola_id', scuolaId)
    .whereIn('id', ids)
    .whereNull('creditore_id')
    .update({ creditore_id: creditoreId, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}

export async function creditoreNome(db: Db, scuolaId: number, id: number): Promise<{ id: number; denominazione: string } | undefined> {
  return db('creditori').where({ scuola_id: scuolaId, id }).first('id', 'denominazione');
}
