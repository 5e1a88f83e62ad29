import type { Knex } from 'knex';

/**
 * Indexes for the documents' lists and searches (impegni, mandati, creditori):
 * contains-searches on oggetto / causale / denominazione (trigram GIN through
 * immutable_unaccent, as the registers do), dates for sorting, the piano dei
 * conti and the voci of one esercizio. Every btree leads with scuola_id.
 */
const INDEXES: [name: string, sql: string][] = [
  ['impegni_oggetto_trgm_idx', 'create index if not exists impegni_oggetto_trgm_idx on impegni using gin (immutable_unaccent(oggetto) gin_trgm_ops)'],
  ['impegni_data_idx', 'create index if not exists impegni_data_idx on impegni (scuola_id, esercizio, data, id)'],
  ['impegni_creditore_idx', 'create index if not exists impegni_creditore_idx on impegni (scuola_id, creditore_id) where creditore_id is not null'],
  ['mandati_causale_trgm_idx', 'create index if not exists mandati_causale_trgm_idx on mandati using gin (immutable_unaccent(causale) gin_trgm_ops)'],
  ['mandati_data_idx', 'create index if not exists mandati_data_idx on mandati (scuola_id, esercizio, data, id)'],
  ['mandati_beneficiario_idx', 'create index if not exists mandati_beneficiario_idx on mandati (scuola_id, beneficiario_id) where beneficiario_id is not null'],
  ['creditori_denominazione_trgm_idx', 'create index if not exists creditori_denominazione_trgm_idx on creditori using gin (immutable_unaccent(denominazione) gin_trgm_ops)'],
  ['voci_destinazione_esercizio_idx', 'create index if not exists voci_destinazione_esercizio_idx on voci_destinazione (scuola_id, esercizio, aggregato, voce, sottovoce)'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [, sql] of INDEXES) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index if exists ${name}`);
}
