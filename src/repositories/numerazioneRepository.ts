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

/**
 * Gives back the last number of an esercizio when its document is deleted: true
 * when `numero` is the last one given (the counter, locked until the caller's
 * transaction ends, goes back by one), false otherwise (deleting it would leave
 * a gap). A missing counter row is created first from the highest number stored,
 * so a concurrent save queues on it as with `nextNumero`.
 */
export async function releaseLastNumero(trx: Db, scuolaId: number, tipo: TipoNumerazione, esercizio: number, numero: number): Promise<boolean> {
  const table = TABLES[tipo];
  await trx.raw(
    `insert into contatori_numerazione (scuola_id, tipo, esercizio, ultimo)
       values (?, ?, ?, (select coalesce(max(numero), 0) from ${table} where scuola_id = ? and esercizio = ?))
     on conflict (scuola_id, tipo, esercizio) do nothing`,
    [scuolaId, tipo, esercizio, scuolaId, esercizio],
  );
  const where = { scuola_id: scuolaId, tipo, esercizio };
  const row = await trx('contatori_numerazione').where(where).forUpdate().first('ultimo');
  if (Number(row?.ultimo) !== numero) return false;
  await trx('contatori_numerazione').where(where).update({ ultimo: numero - 1 });
  return true;
}
