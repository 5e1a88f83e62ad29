import type { Db } from '../db/types.js';
import type { NaturaSpesa } from '../domain/siope.js';

/** What Impostazioni → Piano dei conti edits on a conto: its SIOPE classification. */
export type ContoValues = {
  codice_siope: string | null;
  natura_spesa: NaturaSpesa | null;
};

/** A conto of the piano dei conti with its SIOPE classification (what a mandato's OPI needs of it). */
export type ContoRow = ContoValues & {
  id: number;
  tipo: number;
  conto: number;
  sottoconto: number;
  descrizione: string;
  attivo: boolean;
  version: number;
};

/** A conto in the list, with how many impegni use it. */
export type ContoListRow = ContoRow & { impegni: number };

const COLUMNS = ['pc.id', 'pc.tipo', 'pc.conto', 'pc.sottoconto', 'pc.descrizione', 'pc.attivo', 'pc.codice_siope', 'pc.natura_spesa', 'pc.version'];

const IMPEGNI = `(select count(*)::int from impegni i where i.scuola_id = pc.scuola_id and i.conto_id = pc.id)`;

/** The conti of the school in plan order; `senzaSiope`: only those without a codice SIOPE. */
export async function listConti(db: Db, scuolaId: number, options: { senzaSiope?: boolean } = {}): Promise<ContoListRow[]> {
  const qb = db('piano_conti as pc').where('pc.scuola_id', scuolaId);
  if (options.senzaSiope) qb.whereNull('pc.codice_siope');
  const rows: ContoListRow[] = await qb.orderBy(['pc.tipo', 'pc.conto', 'pc.sottoconto', 'pc.id']).select([...COLUMNS, db.raw(`${IMPEGNI} as impegni`)]);
  return rows.map((r) => ({ ...r, impegni: Number(r.impegni) }));
}

/** One conto of the school (another school's id: undefined). */
export function findConto(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<ContoRow | undefined> {
  const qb = db('piano_conti as pc').where({ 'pc.scuola_id': scuolaId, 'pc.id': id }).first(COLUMNS);
  if (options.forUpdate) qb.forUpdate();
  return qb;
}

/** Update only at the version the form was opened on: 0 rows means someone else saved first. */
export function updateConto(db: Db, scuolaId: number, id: number, version: number, userId: number, values: ContoValues): Promise<number> {
  return db('piano_conti')
    .where({ scuola_id: scuolaId, id, version })
    .update({ ...values, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}
