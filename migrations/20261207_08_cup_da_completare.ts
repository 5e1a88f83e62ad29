import type { Knex } from 'knex';

/**
 * Issue 14, the "Da completare" worklist: a CUP, like a CIG, can be marked as
 * still to complete. The import registers a CUP it found only as text with the
 * placeholder description below: those are the CUPs to complete today. Partial
 * indexes make the count on the home page one index probe per register.
 */
const SEGNAPOSTO = 'CUP importato dai documenti precedenti';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table cup add column if not exists da_completare boolean not null default false');
  await knex.raw('update cup set da_completare = true where descrizione = ?', [SEGNAPOSTO]);
  await knex.raw('create index if not exists cup_da_completare_idx on cup (scuola_id) where da_completare');
  await knex.raw('create index if not exists cig_da_completare_idx on cig (scuola_id) where da_completare');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists cig_da_completare_idx');
  await knex.raw('drop index if exists cup_da_completare_idx');
  await knex.raw('alter table cup drop column if exists da_completare');
}
