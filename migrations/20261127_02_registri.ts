import type { Knex } from 'knex';

/**
 * Indexes for the CIG and CUP registers' lists and searches: contains-searches
 * (ILIKE '%…%', accent-insensitive through immutable_unaccent) use trigram GIN
 * indexes; the date columns and the year serve range filters and sorting.
 * Every index leads with scuola_id where a btree is used, as every query does.
 */
const INDEXES: [name: string, sql: string][] = [
  ['cig_oggetto_trgm_idx', 'create index if not exists cig_oggetto_trgm_idx on cig using gin (immutable_unaccent(oggetto) gin_trgm_ops)'],
  ['cig_codice_trgm_idx', 'create index if not exists cig_codice_trgm_idx on cig using gin (codice gin_trgm_ops)'],
  ['cig_data_generazione_idx', 'create index if not exists cig_data_generazione_idx on cig (scuola_id, data_generazione, id)'],
  ['cig_data_scadenza_idx', 'create index if not exists cig_data_scadenza_idx on cig (scuola_id, data_scadenza_offerte, id)'],
  ['cig_importo_idx', 'create index if not exists cig_importo_idx on cig (scuola_id, importo_cents, id)'],
  ['cig_stato_idx', 'create index if not exists cig_stato_idx on cig (scuola_id, stato, codice)'],
  ['cup_descrizione_trgm_idx', 'create index if not exists cup_descrizione_trgm_idx on cup using gin (immutable_unaccent(descrizione) gin_trgm_ops)'],
  ['cup_codice_trgm_idx', 'create index if not exists cup_codice_trgm_idx on cup using gin (codice gin_trgm_ops)'],
  ['cup_anno_idx', 'create index if not exists cup_anno_idx on cup (scuola_id, anno_decisione, id)'],
  ['cup_importo_idx', 'create index if not exists cup_importo_idx on cup (scuola_id, importo_finanziato_cents, id)'],
  ['voci_destinazione_cup_idx', 'create index if not exists voci_destinazione_cup_idx on voci_destinazione (scuola_id, cup_id) where cup_id is not null'],
  ['audit_log_utente_idx', 'create index if not exists audit_log_utente_idx on audit_log (scuola_id, utente_id)'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [, sql] of INDEXES) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index if exists ${name}`);
}
