import { sameSchool } from '../db/sameSchool.js';
import type { Db } from '../db/types.js';
import { insertRow, updateAtVersion } from './versionedRows.js';

/** A voce of the Piano delle destinazioni with its CUP (if linked). */
export type VoceRow = {
  id: number;
  esercizio: number;
  aggregato: 'A' | 'P' | 'G' | 'R';
  voce: number;
  sottovoce: number | null;
  descrizione: string;
  cup_id: number | null;
  cup_codice: string | null;
  cup_descrizione: string | null;
  cup_stato: string | null;
  cup_testo: string | null;
  version: number;
};

export type VoceValues = { esercizio: number; aggregato: string; voce: number; sottovoce: number | null; descrizione: string; cup_id: number | null };

const COLUMNS = [
  'v.id', 'v.esercizio', 'v.aggregato', 'v.voce', 'v.sottovoce', 'v.descrizione', 'v.cup_id', 'cu.codice as cup_codice',
  'cu.descrizione as cup_descrizione', 'cu.stato as cup_stato', 'v.cup_testo', 'v.version',
];

function base(db: Db, scuolaId: number) {
  return db('voci_destinazione as v')
    .leftJoin('cup as cu', sameSchool('cu', 'v', 'cup_id'))
    .where('v.scuola_id', scuolaId);
}

/** The voci of one esercizio in plan order (A, P, G, R; voce; sottovoce, the voce itself first). */
export function listVoci(db: Db, scuolaId: number, esercizio: number): Promise<VoceRow[]> {
  return base(db, scuolaId)
    .where('v.esercizio', esercizio)
    .orderByRaw(`position(v.aggregato in 'APGR'), v.voce, coalesce(v.sottovoce, 0), v.id`)
    .select(COLUMNS);
}

export function findVoce(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<VoceRow | undefined> {
  const qb = base(db, scuolaId).where('v.id', id).first(COLUMNS);
  if (options.forUpdate) qb.forUpdate('v');
  return qb;
}

export function insertVoce(db: Db, scuolaId: number, userId: number, values: VoceValues): Promise<number> {
  return insertRow(db, 'voci_destinazione', scuolaId, userId, values);
}

/** Update only at the version the form was opened on: 0 rows means a conflict. */
export function updateVoce(db: Db, scuolaId: number, id: number, version: number, userId: number, values: Partial<VoceValues>): Promise<number> {
  return updateAtVersion(db, 'voci_destinazione', scuolaId, id, version, userId, values);
}

/** What the impegni of an esercizio on one voce add up to: how many, impegnato, pagato (mandati not annulled). */
export type CifreVoce = { impegni: number; impegnatoCents: number; pagatoCents: number };

/** Per voce of an esercizio, its impegni's figures (voci without impegni are absent). */
export async function cifrePerVoce(db: Db, scuolaId: number, esercizio: number): Promise<Map<number, CifreVoce>> {
  const pagato = `(select coalesce(sum(m.importo_cents), 0) from mandati m where m.scuola_id = i.scuola_id and m.impegno_id = i.id and m.annullato_at is null)`;
  const rows = await db('impegni as i')
    .where({ 'i.scuola_id': scuolaId, 'i.esercizio': esercizio })
    .groupBy('i.voce_id')
    .select('i.voce_id', db.raw('count(*)::int as n'), db.raw('sum(i.importo_cents)::bigint as impegnato'), db.raw(`sum(${pagato})::bigint as pagato`));
  return new Map(rows.map((r: { voce_id: number; n: number; impegnato: string; pagato: string }) => [
    Number(r.voce_id), { impegni: Number(r.n), impegnatoCents: Number(r.impegnato), pagatoCents: Number(r.pagato) },
  ]));
}
