import type { Knex } from 'knex';

/**
 * Issue 16: mandati al cassiere. A distinta (`opi_flussi`) is one SIOPE+ OPI
 * file as it was built, validated and stored: its bytes, SHA-256, number and
 * author never change. `opi_flussi_mandati` says which mandati went in it, with
 * which operation, at which version of the mandato, and the copy of what was
 * sent (beneficiary data and IBAN included); the bank's answer (esito) lands on
 * that row. `opi_esiti` keeps every answer file uploaded.
 *
 * A mandato sent to the bank is annulled, not deleted: `annullato_at` marks it,
 * the next distinta carries its ANNULLO, and it no longer counts as paid.
 */
const OPERAZIONI = ['INSERIMENTO', 'VARIAZIONE', 'ANNULLO'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

const STATEMENTS = [
  `alter table mandati
     add column annullato_at timestamptz,
     add column annullato_by integer,
     add column annullato_motivo text check (length(annullato_motivo) between 1 and 500),
     add constraint mandati_annullato_check check ((annullato_at is null) = (annullato_motivo is null)),
     add constraint mandati_annullato_by_fkey foreign key (scuola_id, annullato_by) references utenti (scuola_id, id)`,

  `create table opi_flussi (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     numero integer not null check (numero > 0),
     identificativo varchar(50) not null,
     esercizio smallint not null check (esercizio between 2000 and 2100),
     nome_file varchar(120) not null,
     sha256 char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
     dimensione integer not null check (dimensione > 0),
     contenuto bytea not null,
     n_mandati integer not null check (n_mandati > 0),
     totale_cents bigint not null check (totale_cents >= 0),
     created_at timestamptz not null default now(),
     created_by integer,
     unique (scuola_id, numero),
     unique (scuola_id, identificativo),
     unique (scuola_id, id),
     foreign key (scuola_id, created_by) references utenti (scuola_id, id)
   )`,

  `create table opi_esiti (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     flusso_id integer not null,
     nome_file varchar(255) not null,
     sha256 char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
     contenuto bytea not null,
     accettati integer not null check (accettati >= 0),
     rifiutati integer not null check (rifiutati >= 0),
     created_at timestamptz not null default now(),
     created_by integer,
     unique (scuola_id, sha256),
     unique (scuola_id, id),
     foreign key (scuola_id, flusso_id) references opi_flussi (scuola_id, id),
     foreign key (scuola_id, created_by) references utenti (scuola_id, id)
   )`,

  `create table opi_flussi_mandati (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     flusso_id integer not null,
     mandato_id integer not null,
     tipo_operazione varchar(12) not null check (tipo_operazione in (${quoted(OPERAZIONI)})),
     mandato_version integer not null check (mandato_version > 0),
     importo_cents bigint not null check (importo_cents > 0),
     dati jsonb not null,
     esito varchar(10) check (esito in ('accettato', 'rifiutato')),
     esito_codice text,
     esito_descrizione text,
     esito_id integer,
     unique (scuola_id, flusso_id, mandato_id),
     foreign key (scuola_id, flusso_id) references opi_flussi (scuola_id, id),
     foreign key (scuola_id, mandato_id) references mandati (scuola_id, id),
     foreign key (scuola_id, esito_id) references opi_esiti (scuola_id, id)
   )`,
  `create index opi_flussi_mandati_mandato_idx on opi_flussi_mandati (scuola_id, mandato_id, flusso_id)`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of STATEMENTS) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['opi_flussi_mandati', 'opi_esiti', 'opi_flussi']) await knex.raw(`drop table if exists ${table}`);
  await knex.raw(`alter table mandati drop constraint if exists mandati_annullato_by_fkey, drop constraint if exists mandati_annullato_check,
    drop column if exists annullato_motivo, drop column if exists annullato_by, drop column if exists annullato_at`);
}
