import type { Knex } from 'knex';

/**
 * Join condition of a reference between school tables: `alias` is the row
 * `from.fk` points to, in the same school (`alias.scuola_id = from.scuola_id`),
 * as the composite foreign keys require. Use: `.leftJoin('cig as cg', sameSchool('cg', 'i', 'cig_id'))`.
 */
export function sameSchool(alias: string, from: string, fk: string) {
  return function (this: Knex.JoinClause) {
    this.on(`${alias}.scuola_id`, `${from}.scuola_id`).andOn(`${alias}.id`, `${from}.${fk}`);
  };
}
