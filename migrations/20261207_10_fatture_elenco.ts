import type { Knex } from 'knex';

/**
 * Issue 15, the register of received invoices (Gestisci → Fatture): indexes
 * for its sortable columns and its code search, so a school with 100,000
 * invoices pages in a few milliseconds. Sorting walks an index in either
 * direction (then `id` for a stable order); the code search (any part of a
 * CIG or CUP) uses trigram indexes on the invoice's codes and on every code
 * written on it.
 */
const INDEXES: [string, string][] = [
  ['fatture_fornitore_ordine_idx', 'fatture (scuola_id, fornitore_ricerca, id)'],
  ['fatture_totale_idx', 'fatture (scuola_id, totale_cents, id)'],
  ['fatture_scadenza_idx', 'fatture (scuola_id, scadenza, id)'],
  ['fatture_numero_ordine_idx', 'fatture (scuola_id, numero, id)'],
  ['fatture_cig_trgm_idx', 'fatture using gin (scuola_id, cig gin_trgm_ops)'],
  ['fatture_cup_trgm_idx', 'fatture using gin (scuola_id, cup gin_trgm_ops)'],
  ['fatture_codici_trgm_idx', 'fatture_codici using gin (scuola_id, codice gin_trgm_ops)'],
];

export async function up(knex: Knex): Promise<void> {
  // The numero index of migration 09 is superseded by the one that also orders by id.
  await knex.raw('drop index if exists fatture_numero_idx');
  for (const [name, on] of INDEXES) await knex.raw(`create index ${name} on ${on}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index if exists ${name}`);
  await knex.raw('create index fatture_numero_idx on fatture (scuola_id, numero)');
}
