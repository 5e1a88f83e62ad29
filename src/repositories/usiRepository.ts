import type { Db } from '../db/types.js';

/** Where a register's code is used: the documents (impegni, mandati) referencing it. */
export type DocumentoUso = { id: number; esercizio: number; numero: number; data: string; descrizione: string; importo_cents: number };
export type Uso = { righe: DocumentoUso[]; numero: number; totaleCents: number };

async function uses(db: Db, table: 'impegni' | 'mandati', column: 'cig_id' | 'cup_id', scuolaId: number, id: number, limit: number): Promise<Uso> {
  const descrizione = table === 'impegni' ? 'oggetto' : 'causale';
  const [righe, totals] = await Promise.all([
    db(table)
      .where({ scuola_id: scuolaId, [column]: id })
      .orderBy([{ column: 'esercizio', order: 'desc' }, { column: 'numero', order: 'desc' }])
      .limit(limit)
      .select('id', 'esercizio', 'numero', 'data', `${descrizione} as descrizione`, 'importo_cents'),
    db(table)
      .where({ scuola_id: scuolaId, [column]: id })
      .first(db.raw('count(*)::int as numero'), db.raw('coalesce(sum(importo_cents), 0)::bigint as totale')),
  ]);
  return { righe: righe as DocumentoUso[], numero: Number(totals?.numero ?? 0), totaleCents: Number(totals?.totale ?? 0) };
}

/** Impegni and mandati carrying the code (cig_id or cup_id), the latest first, with totals. */
export async function documentUses(db: Db, column: 'cig_id' | 'cup_id', scuolaId: number, id: number, limit = 100) {
  const impegni = await uses(db, 'impegni', column, scuolaId, id, limit);
  const mandati = await uses(db, 'mandati', column, scuolaId, id, limit);
  return { impegni, mandati };
}


export type VoceUso = { id: number; esercizio: number; aggregato: string; voce: number; sottovoce: number | null; descrizione: string };
