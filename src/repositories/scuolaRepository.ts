import type { Db } from '../db/types.js';
import type { IdentitaEnte } from '../domain/distinta.js';

/** Impostazioni → Scuola e cassiere: the school's identity towards its bank (SIOPE+ OPI) and the defaults of its mandati. */
export type ScuolaValues = IdentitaEnte;

export type ScuolaRow = ScuolaValues & { id: number; version: number; codice_meccanografico: string; denominazione: string };

const COLUMNS = [
  'id', 'version', 'codice_meccanografico', 'denominazione', 'codice_fiscale', 'descrizione_ente', 'codice_ipa', 'codice_univoco_ufficio', 'codice_istat',
  'codice_abi', 'codice_ente', 'codice_ente_bt', 'codice_tramite_ente', 'codice_tramite_bt', 'bollo_assoggettamento', 'bollo_causale_esenzione', 'spese_soggetto',
];

/** The school's own row (`id` is the school: a user reaches no other). */
export async function findScuola(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<ScuolaRow | undefined> {
  if (id !== scuolaId) return undefined;
  const qb = db('scuole').where({ id: scuolaId }).first(COLUMNS);
  if (options.forUpdate) qb.forUpdate();
  return qb;
}

/** Update only at the version the form was opened on: 0 rows means someone else saved first. */
export function updateScuola(db: Db, scuolaId: number, version: number, userId: number, values: ScuolaValues): Promise<number> {
  return db('scuole')
    .where({ id: scuolaId, version })
    .update({ ...values, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: userId });
}
