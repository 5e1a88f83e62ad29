import type { Db } from '../db/types.js';

/**
 * The writes every school table with a version and an author shares (CIG, CUP,
 * creditori, voci, impegni, mandati): insert with who created it, and update only
 * at the version the form was opened on.
 */
type VersionedTable = 'cig' | 'cup' | 'creditori' | 'voci_destinazione' | 'impegni' | 'mandati';

/** Inserts one row of the school, created and last updated by `userId`; returns the new id. */
export async function insertRow(db: Db, table: VersionedTable, scuolaId: number, userId: number, values: object): Promise<number> {
  const [row] = await db(table).insert({ ...values, scuola_id: scuolaId, created_by: userId, updated_by: userId }).returning('id');
  return Number(row.id);
}

/** Update only if the stored version is the one the form was opened on: 0 rows means a conflict (or gone). */
export function updateAtVersion(db: Db, table: VersionedTable, scuolaId: number, id: number, version: number, userId: number | null, values: object): Promise<number> {
  return db(table)
    .where({ scuola_id: scuolaId, id, version })
    .update({ ...values, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}
