import type { Db } from '../db/types.js';

/**
 * The codes of a school still to complete (issue 14): CIG registered by the
 * import without a data di generazione, CUP left with the import's placeholder
 * description. `da_completare` is the one test: on cig a check constraint keeps
 * it true while data_generazione is null, and partial indexes on (scuola_id)
 * where da_completare make both the list and the count index probes.
 */
export type CigDaCompletare = {
  id: number; codice: string; oggetto: string; data_generazione: string | null; data_scadenza_offerte: string | null;
  importo_cents: number | null; version: number; usi: number;
};
export type CupDaCompletare = {
  id: number; codice: string; descrizione: string; importo_finanziato_cents: number | null; fonte_finanziamento: string | null;
  version: number; usi: number;
};

/** The CIG to complete, by code; `usi`: impegni and mandati carrying it. */
export function listCigDaCompletare(db: Db, scuolaId: number, limit: number): Promise<CigDaCompletare[]> {
  return db('cig as c')
    .where('c.scuola_id', scuolaId)
    .where((w) => w.where('c.da_completare', true).orWhereNull('c.data_generazione'))
    .orderBy('c.codice')
    .limit(limit)
    .select(
      'c.id', 'c.codice', 'c.oggetto', 'c.data_generazione', 'c.data_scadenza_offerte', 'c.importo_cents', 'c.version',
      db.raw(`(select count(*) from impegni i where i.scuola_id = c.scuola_id and i.cig_id = c.id)::int
            + (select count(*) from mandati m where m.scuola_id = c.scuola_id and m.cig_id = c.id)::int as usi`),
    );
}

/** The CUP to complete, by code; `usi`: impegni, mandati and voci carrying it. */
export function listCupDaCompletare(db: Db, scuolaId: number, limit: number): Promise<CupDaCompletare[]> {
  return db('cup as c')
    .where({ 'c.scuola_id': scuolaId, 'c.da_completare': true })
    .orderBy('c.codice')
    .limit(limit)
    .select(
      'c.id', 'c.codice', 'c.descrizione', 'c.importo_finanziato_cents', 'c.fonte_finanziamento', 'c.version',
      db.raw(`(select count(*) from impegni i where i.scuola_id = c.scuola_id and i.cup_id = c.id)::int
            + (select count(*) from mandati m where m.scuola_id = c.scuola_id and m.cup_id = c.id)::int
            + (select count(*) from voci_destinazione v where v.scuola_id = c.scuola_id and v.cup_id = c.id)::int as usi`),
    );
}

/** How many codes to complete: one statement, one index probe per register (home page, page title). */
export async function countDaCompletare(db: Db, scuolaId: number): Promise<{ cig: number; cup: number }> {
  const row = await db
    .select(
      db.raw('(select count(*)::int from cig where scuola_id = ? and da_completare) as cig', [scuolaId]),
      db.raw('(select count(*)::int from cup where scuola_id = ? and da_completare) as cup', [scuolaId]),
    )
    .first();
  return { cig: Number(row?.cig ?? 0), cup: Number(row?.cup ?? 0) };
}
