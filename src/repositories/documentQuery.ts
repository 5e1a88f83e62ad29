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
export function whereSearched(qb: Knex.QueryBuilder, q: string, alias: string, own: (w: Knex.QueryBuilder, like: string) => void) {
  if (!q) return qb;
  const like = `%${escapeLike(q)}%`;
  return qb.where(function () {
    own(this, like);
    this.orWhereRaw(`${VOCE_CODICE_SQL('v')} ilike ?`, [like])
      .orWhereRaw('cg.codice ilike ?', [like])
      .orWhereRaw('cu.codice ilike ?', [like])
      .orWhereRaw(`${alias}.cig_testo ilike ?`, [like])
      .orWhereRaw(`${alias}.cup_testo ilike ?`, [like]);
  });
}
