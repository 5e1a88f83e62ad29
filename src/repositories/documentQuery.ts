import type { Knex } from 'knex';
import { sameSchool } from '../db/sameSchool.js';
import { escapeLike } from './listQuery.js';

/**
 * What the lists of impegni and mandati share: the document's voce (alias `v`),
 * its CIG and CUP (aliases `cg`, `cu`), and the search on their codes and on the
 * legacy texts of the import.
 */

/** SQL of a voce's code, 'A03/13', for search and sort. */
export const VOCE_CODICE_SQL = (alias: string) =>
  `(${alias}.aggregato || lpad(${alias}.voce::text, 2, '0') || coalesce('/' || ${alias}.sottovoce::text, ''))`;

export const VOCE_COLUMNS = [
  'v.aggregato as voce_aggregato', 'v.voce as voce_voce', 'v.sottovoce as voce_sottovoce', 'v.descrizione as voce_descrizione', 'v.cup_id as voce_cup_id',
];

export const CODICI_COLUMNS = [
  'cg.codice as cig_codice', 'cg.oggetto as cig_oggetto', 'cg.stato as cig_stato',
  'cu.codice as cup_codice', 'cu.descrizione as cup_descrizione', 'cu.stato as cup_stato',
];

/** The document `alias`'s own CIG and CUP, as `cg` and `cu`. */
export function joinCodici(qb: Knex.QueryBuilder, alias: string) {
  return qb.leftJoin('cig as cg', sameSchool('cg', alias, 'cig_id')).leftJoin('cup as cu', sameSchool('cu', alias, 'cup_id'));
}

/**
 * The one search box of a document list: nothing when empty, else the document
 * `alias`'s own matches (`own`, given the text as an ilike pattern) or its voce's
 * code, its CIG and CUP codes, its legacy texts.
 */
function whereSearched(qb: Knex.QueryBuilder, q: string, alias: string, own: (w: Knex.QueryBuilder, like: string, q: string) => void) {
  if (!q) return qb;
  const like = `%${escapeLike(q)}%`;
  return qb.where(function () {
    own(this, like, q);
    this.orWhereRaw(`${VOCE_CODICE_SQL('v')} ilike ?`, [like])
      .orWhereRaw('cg.codice ilike ?', [like])
      .orWhereRaw('cu.codice ilike ?', [like])
      .orWhereRaw(`${alias}.cig_testo ilike ?`, [like])
      .orWhereRaw(`${alias}.cup_testo ilike ?`, [like]);
  });
}

/** The search panel of the impegni and mandati lists (validation/documentiSearch.ts). */
export type DocumentiFilters = {
  esercizio: number;
  /** The one search box. */
  q?: string;
  dal?: string | null;
  al?: string | null;
  voceId?: number;
  /** The impegno's creditore, the mandato's beneficiario. */
  creditoreId?: number;
  /** A CIG or CUP code, or a part of it (also the import's legacy text). */
  cig?: string;
  cup?: string;
  importoMin?: number;
  importoMax?: number;
};

/**
 * The panel's criteria on the document `alias` (its voce `v`, CIG `cg`, CUP `cu`)
 * of the esercizio; `creditore` is its creditore's column, `own` its own part of the search box.
 */
export function whereDocumenti(
  qb: Knex.QueryBuilder,
  f: DocumentiFilters,
  alias: string,
  creditore: string,
  own: (w: Knex.QueryBuilder, like: string, q: string) => void,
) {
  qb.where(`${alias}.esercizio`, f.esercizio);
  if (f.q) whereSearched(qb, f.q, alias, own);
  if (f.dal) qb.where(`${alias}.data`, '>=', f.dal);
  if (f.al) qb.where(`${alias}.data`, '<=', f.al);
  if (f.voceId !== undefined) qb.where('v.id', f.voceId);
  if (f.creditoreId !== undefined) qb.where(creditore, f.creditoreId);
  for (const [codice, join] of [[f.cig, 'cg'], [f.cup, 'cu']] as const) {
    if (!codice) continue;
    const like = `%${escapeLike(codice)}%`;
    const testo = join === 'cg' ? 'cig_testo' : 'cup_testo';
    qb.where((w) => w.whereRaw(`${join}.codice ilike ?`, [like]).orWhereRaw(`${alias}.${testo} ilike ?`, [like]));
  }
  if (f.importoMin !== undefined) qb.where(`${alias}.importo_cents`, '>=', f.importoMin);
  if (f.importoMax !== undefined) qb.where(`${alias}.importo_cents`, '<=', f.importoMax);
  return qb;
}
