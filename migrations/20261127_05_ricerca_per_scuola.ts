import type { Knex } from 'knex';

/**
 * Text searches scoped to one school inside the index. The trigram indexes of
 * migrations 02–04 covered every school at once: at hosted scale (300 schools,
 * 600,000 CIGs) a search for "monitor" in one school walked the 50,000 matches
 * of all schools and kept that school's 168, about 8 ms of server CPU per
 * search (bench/carico.ts). With btree_gin, scuola_id is a key of the same GIN
 * index, so the search reads only the school's matches (0.3 ms).
 */
const INDEXES: [table: string, name: string, expression: string, replaces: string][] = [
  ['cig', 'cig_oggetto_scuola_trgm_idx', 'oggetto_ricerca', 'cig_oggetto_ricerca_idx'],
  ['cig', 'cig_codice_scuola_trgm_idx', 'codice', 'cig_codice_trgm_idx'],
  ['cup', 'cup_descrizione_scuola_trgm_idx', 'descrizione_ricerca', 'cup_descrizione_ricerca_idx'],
  ['cup', 'cup_codice_scuola_trgm_idx', 'codice', 'cup_codice_trgm_idx'],
  ['impegni', 'impegni_oggetto_scuola_trgm_idx', 'immutable_unaccent(oggetto)', 'impegni_oggetto_trgm_idx'],
  ['mandati', 'mandati_causale_scuola_trgm_idx', 'immutable_unaccent(causale)', 'mandati_causale_trgm_idx'],
  ['creditori', 'creditori_denominazione_scuola_trgm_idx', 'immutable_unaccent(denominazione)', 'creditori_denominazione_trgm_idx'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists btree_gin');
  for (const [table, name, expression, replaces] of INDEXES) {
    await knex.raw(`create index ${name} on ${table} using gin (scuola_id, ${expression} gin_trgm_ops)`);
    await knex.raw(`drop index if exists ${replaces}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, name, expression, replaces] of [...INDEXES].reverse()) {
    await knex.raw(`create index if not exists ${replaces} on ${table} using gin (${expression} gin_trgm_ops)`);
    await knex.raw(`drop index if exists ${name}`);
  }
  await knex.raw('drop extension if exists btree_gin');
}
