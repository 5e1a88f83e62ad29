import type { Db } from '../db/types.js';

/** Where a register's code is used: the documents (impegni, mandati) referencing it. */
export type DocumentoUso = { id: number; esercizio: number; numero: number; data: string; descrizione: string; importo_cents: number };
export type Uso = { righe: DocumentoUso[]; numero: number; totaleCents: number };

/**
 * Impegni and mandati carrying the code (cig_id or cup_id), the latest first,
 * with the count and total of all of them: one statement, the totals taken
 * by window functions over every matching row before each side's limit.
 */
export async function documentUses(db: Db, column: 'cig_id' | 'cup_id', scuolaId: number, id: number, limit = 100): Promise<{ impegni: Uso; mandati: Uso }> {
  const side = (table: 'impegni' | 'mandati') =>
    db(table)
      .where({ scuola_id: scuolaId, [column]: id })
      .orderBy([{ column: 'esercizio', order: 'desc' }, { column: 'numero', order: 'desc' }])
      .limit(limit)
      .select(
        db.raw('?::text as tabella', [table]),
        'id', 'esercizio', 'numero', 'data', `${table === 'impegni' ? 'oggetto' : 'causale'} as descrizione`, 'importo_cents',
        db.raw('count(*) over ()::int as tutti'),
        db.raw('sum(importo_cents) over ()::bigint as totale'),
      );
  const rows = (await db.queryBuilder().unionAll([side('impegni'), side('mandati')], true)) as (DocumentoUso & { tabella: string; tutti: number; totale: number })[];
  const of = (table: 'impegni' | 'mandati'): Uso => {
    const mine = rows.filter((r) => r.tabella === table);
    return {
      righe: mine.map(({ id, esercizio, numero, data, descrizione, importo_cents }) => ({ id, esercizio, numero, data, descrizione, importo_cents })),
      numero: mine[0]?.tutti ?? 0,
      totaleCents: Number(mine[0]?.totale ?? 0),
    };
  };
  return { impegni: of('impegni'), mandati: of('mandati') };
}

export type VoceUso = { id: number; esercizio: number; aggregato: string; voce: number; sottovoce: number | null; descrizione: string };
