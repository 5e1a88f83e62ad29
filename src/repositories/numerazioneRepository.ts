import type { Db } from '../db/types.js';

export type TipoNumerazione = 'impegno' | 'mandato';
const TABLES: Record<TipoNumerazione, string> = { impegno: 'impegni', mandato: 'mandati' };

/**
 * The next progressive number of an impegno or mandato for (scuola, esercizio),
 * in ONE statement that locks the counter row until the caller's transaction
 * ends: concurrent saves queue on the row, a rolled-back save gives its number
 * back (no gaps, no duplicates). A school/esercizio without a counter row starts
 * after the highest number already stored (rows written before the counters).
 * Call it with the transaction that inserts the document.
 */
export async function nextNumero(trx: Db, scuolaId: number, tipo: TipoNumerazione, esercizio: number): Promise<number> {
  const table = TABLES[tipo];
  const result = await trx.raw(
    `insert into contatori_numerazione (scuola_id, tipo, esercizio, ultimo)
       values (?, ?, ?, (select coalesce(max(numero), 0) + 1 from ${table} where scuola_id = ? and esercizio = ?))
     on conflict (scuola_id, tipo, esercizio) do update set ultimo = contatori_numerazione.ultimo + 1
     returning ultimo`,
    [scuolaId, tipo, esercizio, scuolaId, esercizio],
  );
  return Number((result.rows as { ultimo: number }[])[0]!.ultimo);
}
