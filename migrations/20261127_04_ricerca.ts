import type { Knex } from 'knex';

/**
 * Searching and sorting the registers at the size of a hosted school (100,000
 * codes), measured in bench/registri.ts:
 * - the accent- and case-free text of oggetto/descrizione is stored (a generated
 *   column) and trigram-indexed, so a search rechecks plain text instead of
 *   running unaccent() on every candidate row;
 * - sorting by oggetto/descrizione walks a btree per school instead of sorting
 *   the whole register for every page.
 */
const STATEMENTS: [up: string, down: string][] = [
  [
    'alter table cig add column oggetto_ricerca text generated always as (lower(immutable_unaccent(oggetto))) stored',
    'alter table cig drop column if exists oggetto_ricerca',
  ],
  ['create index cig_oggetto_ricerca_idx on cig using gin (oggetto_ricerca gin_trgm_ops)', 'drop index if exists cig_oggetto_ricerca_idx'],
  ['drop index if exists cig_oggetto_trgm_idx', 'create index if not exists cig_oggetto_trgm_idx on cig using gin (immutable_unaccent(oggetto) gin_trgm_ops)'],
  ['create index cig_oggetto_sort_idx on cig (scuola_id, oggetto, id)', 'drop index if exists cig_oggetto_sort_idx'],
  [
    'alter table cup add column descrizione_ricerca text generated always as (lower(immutable_unaccent(descrizione))) stored',
    'alter table cup drop column if exists descrizione_ricerca',
  ],
  ['create index cup_descrizione_ricerca_idx on cup using gin (descrizione_ricerca gin_trgm_ops)', 'drop index if exists cup_descrizione_ricerca_idx'],
  ['drop index if exists cup_descrizione_trgm_idx', 'create index if not exists cup_descrizione_trgm_idx on cup using gin (immutable_unaccent(descrizione) gin_trgm_ops)'],
  ['create index cup_descrizione_sort_idx on cup (scuola_id, descrizione, id)', 'drop index if exists cup_descrizione_sort_idx'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [sql] of STATEMENTS) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const [, sql] of [...STATEMENTS].reverse()) await knex.raw(sql);
}
