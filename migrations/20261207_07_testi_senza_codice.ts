import type { Knex } from 'knex';

/**
 * A legacy CIG/CUP text that a person (or the import, with the admin's
 * consent) has judged to hold no code: a placeholder («non previsto», «-»,
 * «n.d.») or a phrase such as «CUP non previsto». The text stays as it was
 * written (nothing is lost); the flag only says it no longer waits for a code,
 * so it stops blocking the Flussi.
 */
const COLUMNS: [table: string, column: string][] = [
  ['impegni', 'cig_testo_nessun_codice'],
  ['impegni', 'cup_testo_nessun_codice'],
  ['mandati', 'cig_testo_nessun_codice'],
  ['mandati', 'cup_testo_nessun_codice'],
  ['voci_destinazione', 'cup_testo_nessun_codice'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS) {
    await knex.raw(`alter table ${table} add column if not exists ${column} boolean not null default false`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS) await knex.raw(`alter table ${table} drop column if exists ${column}`);
}
