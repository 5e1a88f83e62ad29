import type { Knex } from 'knex';

/**
 * Partial indexes of the documents and voci that still carry a CIG/CUP written
 * as text (only old documents do: the app's forms never write these columns).
 * Every page asks whether the school has anything to import (the banner, in the
 * current user's query): with these the answer is one index probe, however many
 * documents the school has. The predicates are the query's, word for word.
 */
const INDEXES: [name: string, sql: string][] = [
  ['impegni_testo_idx', `create index if not exists impegni_testo_idx on impegni (scuola_id) where cig_testo ~ '\\S' or cup_testo ~ '\\S'`],
  ['mandati_testo_idx', `create index if not exists mandati_testo_idx on mandati (scuola_id) where cig_testo ~ '\\S' or cup_testo ~ '\\S'`],
  ['voci_testo_idx', `create index if not exists voci_testo_idx on voci_destinazione (scuola_id) where cup_testo ~ '\\S'`],
];

export async function up(knex: Knex): Promise<void> {
  for (const [, sql] of INDEXES) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index if exists ${name}`);
}
