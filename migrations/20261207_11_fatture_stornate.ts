import type { Knex } from 'knex';

/**
 * Issue 15, credit notes: an invoice whose credit notes leave nothing to pay is
 * `pagata` (nothing is left), not `collegata` (to pay) as migration 09 said by
 * looking at `pagato_cents` only. A generated column cannot change its
 * expression on every PostgreSQL we run on: it is dropped and added again, with
 * its index.
 */
const stato = (pagata: string) => `
  alter table fatture add column stato varchar(16) generated always as (
    case
      when tipo_documento = 'TD04' then 'nota_credito'
      when impegno_id is null then 'da_collegare'
      ${pagata}
      when pagato_cents = 0 then 'collegata'
      when pagato_cents < importo_dovuto_cents - stornato_cents then 'pagata_in_parte'
      else 'pagata'
    end
  ) stored`;

const INDEX = 'create index fatture_stato_idx on fatture (scuola_id, stato, data, id)';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table fatture drop column stato');
  await knex.raw(stato(`when stornato_cents > 0 and pagato_cents + stornato_cents >= importo_dovuto_cents then 'pagata'`));
  await knex.raw(INDEX);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table fatture drop column stato');
  await knex.raw(stato(''));
  await knex.raw(INDEX);
}
