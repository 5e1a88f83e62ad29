import type { Knex } from 'knex';

/** Shared pieces of the registers' list queries. */

/** User text for LIKE: `%`, `_` and the escape character itself are matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `column` contains `text`, ignoring case and accents. `column` is a stored,
 * already normalised copy (lower(immutable_unaccent(…)), trigram-indexed); the
 * searched text goes through the same normalisation.
 */
export function whereContainsNormalized(qb: Knex.QueryBuilder, column: string, text: string) {
  return qb.whereRaw(`${column} like lower(immutable_unaccent(?))`, [`%${escapeLike(text)}%`]);
}

export type Page = { sortSql: string; dir: 'asc' | 'desc'; limit?: number; offset?: number; notNull?: boolean };

/**
 * Order by a whitelisted SQL expression, empty values last, then by id for a stable order; optional page.
 * A NOT NULL column gets no `nulls last`, so a descending sort can still walk its index backwards.
 */
export function orderAndPage(qb: Knex.QueryBuilder, idColumn: string, page: Page) {
  const dir = page.dir === 'desc' ? 'desc' : 'asc';
  const nulls = page.notNull ? '' : ' nulls last';
  qb.orderByRaw(`${page.sortSql} ${dir}${nulls}, ${idColumn} ${dir}`);
  if (page.limit !== undefined) qb.limit(page.limit);
  if (page.offset !== undefined && page.offset > 0) qb.offset(page.offset);
  return qb;
}
