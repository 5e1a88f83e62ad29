import type { Knex } from 'knex';

/**
 * Issue 15, the received electronic invoices (FatturaPA).
 *
 * - `fatture_file`: every file as received (bytes and SHA-256), the invoice
 *   files and the SdI metadata files, kept for download; one row per content
 *   and school, so the same file uploaded twice is stored once.
 * - `fatture`: one row per body (a lotto holds several). The invoice is
 *   immutable: what it says is read at upload; what the school does with it
 *   (impegno, payments, credit notes) is the rest. One supplier, tipo, numero
 *   and data is one invoice (the upload is idempotent on that key).
 * - `fatture_codici`: each CIG/CUP as written on the invoice, with the app's
 *   reading of it; matched to the registers by code when shown, so a code
 *   registered later is matched without touching the invoice.
 * - `mandati_fatture`: what a mandato pays of each invoice (many-to-many with
 *   an amount), electronic or an analog one described by hand.
 *
 * `pagato_cents` and `stornato_cents` are kept by the services in the same
 * transaction that writes a payment or a credit note, under the invoice's row
 * lock, so two saves at once can never pay more than the invoice.
 */
const TRACKED = `
  version integer not null default 1 check (version > 0),
  created_at timestamptz not null default now(),
  created_by integer,
  updated_at timestamptz not null default now(),
  updated_by integer`;

const ENTITA = ['cig', 'cup', 'impegno', 'mandato', 'voce', 'creditore', 'importazione', 'fattura'];
const AZIONI = ['crea', 'modifica', 'elimina', 'annulla', 'riattiva', 'collega', 'scollega'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

const STATEMENTS = [
  `create table fatture_file (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     tipo varchar(10) not null check (tipo in ('fattura', 'metadati')),
     nome varchar(255) not null,
     busta varchar(12) not null check (busta in ('xml', 'p7m', 'p7m_base64')),
     sha256 char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
     dimensione integer not null check (dimensione > 0),
     contenuto bytea not null,
     avvisi jsonb not null default '[]'::jsonb,
     nome_fattura varchar(255),
     identificativo_sdi varchar(12),
     created_at timestamptz not null default now(),
     created_by integer,
     unique (scuola_id, sha256),
     unique (scuola_id, id),
     foreign key (scuola_id, created_by) references utenti (scuola_id, id)
   )`,
  `create index fatture_file_metadati_idx on fatture_file (scuola_id, nome_fattura) where tipo = 'metadati'`,

  `create table fatture (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     file_id integer not null,
     corpo smallint not null check (corpo between 1 and 1000),
     formato varchar(5) not null,
     tipo_documento varchar(4) not null,
     divisa char(3) not null default 'EUR',
     numero varchar(20) not null,
     data date not null,
     fornitore_chiave varchar(40) not null,
     fornitore_denominazione text not null,
     fornitore_partita_iva varchar(30),
     fornitore_codice_fiscale varchar(16),
     creditore_id integer,
     totale_cents bigint not null,
     imponibile_cents bigint not null,
     imposta_cents bigint not null,
     split_payment boolean not null default false,
     importo_dovuto_cents bigint not null,
     scadenza date,
     iban varchar(34),
     modalita_pagamento varchar(4),
     codice_destinatario varchar(7),
     identificativo_sdi varchar(12),
     cig text,
     cup text,
     senza_cig boolean not null,
     codici_da_verificare boolean not null default false,
     impegno_id integer,
     motivo_collegamento text,
     rettifica_di_id integer,
     stornato_cents bigint not null default 0 check (stornato_cents >= 0),
     pagato_cents bigint not null default 0 check (pagato_cents >= 0),
     stato varchar(16) generated always as (
       case
         when tipo_documento = 'TD04' then 'nota_credito'
         when impegno_id is null then 'da_collegare'
         when stornato_cents > 0 and pagato_cents + stornato_cents >= importo_dovuto_cents then 'pagata'
         when pagato_cents = 0 then 'collegata'
         when pagato_cents < importo_dovuto_cents - stornato_cents then 'pagata_in_parte'
         else 'pagata'
       end
     ) stored,
     fornitore_ricerca text generated always as (lower(immutable_unaccent(fornitore_denominazione))) stored,
     ${TRACKED},
     unique (scuola_id, id),
     unique (scuola_id, file_id, corpo),
     unique (scuola_id, fornitore_chiave, tipo_documento, numero, data),
     check (pagato_cents + stornato_cents <= greatest(importo_dovuto_cents, 0)),
     foreign key (scuola_id, file_id) references fatture_file (scuola_id, id),
     foreign key (scuola_id, creditore_id) references creditori (scuola_id, id),
     foreign key (scuola_id, impegno_id) references impegni (scuola_id, id),
     foreign key (scuola_id, rettifica_di_id) references fatture (scuola_id, id)
   )`,
  `create index fatture_data_idx on fatture (scuola_id, data, id)`,
  `create index fatture_stato_idx on fatture (scuola_id, stato, data, id)`,
  `create index fatture_creditore_idx on fatture (scuola_id, creditore_id) where creditore_id is not null`,
  `create index fatture_impegno_idx on fatture (scuola_id, impegno_id) where impegno_id is not null`,
  `create index fatture_fornitore_trgm_idx on fatture using gin (scuola_id, fornitore_ricerca gin_trgm_ops)`,
  `create index fatture_numero_idx on fatture (scuola_id, numero)`,

  `create table fatture_codici (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     fattura_id integer not null,
     tipo varchar(3) not null check (tipo in ('cig', 'cup')),
     campo varchar(3) not null check (campo in ('cig', 'cup')),
     scritto varchar(60) not null,
     codice varchar(15),
     esito varchar(12) not null check (esito in ('valido', 'correzione', 'non_valido', 'altro_campo')),
     motivo text,
     righe jsonb not null default '[]'::jsonb,
     foreign key (scuola_id, fattura_id) references fatture (scuola_id, id) on delete cascade
   )`,
  `create index fatture_codici_fattura_idx on fatture_codici (scuola_id, fattura_id)`,
  `create index fatture_codici_codice_idx on fatture_codici (scuola_id, tipo, codice) where codice is not null`,

  `create table mandati_fatture (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     mandato_id integer not null,
     fattura_id integer,
     importo_cents bigint not null check (importo_cents > 0),
     analogica_numero varchar(20),
     analogica_data date,
     analogica_importo_cents bigint check (analogica_importo_cents > 0),
     analogica_codice_fiscale varchar(16),
     analogica_tipo varchar(16) check (analogica_tipo in ('FATT_ANALOGICA', 'DOC_EQUIVALENTE')),
     unique (scuola_id, id),
     check (
       (fattura_id is not null and analogica_numero is null)
       or (fattura_id is null and analogica_numero is not null and analogica_data is not null
           and analogica_importo_cents is not null and analogica_codice_fiscale is not null and analogica_tipo is not null)
     ),
     foreign key (scuola_id, mandato_id) references mandati (scuola_id, id) on delete cascade,
     foreign key (scuola_id, fattura_id) references fatture (scuola_id, id)
   )`,
  `create unique index mandati_fatture_uq on mandati_fatture (scuola_id, mandato_id, fattura_id) where fattura_id is not null`,
  `create index mandati_fatture_fattura_idx on mandati_fatture (scuola_id, fattura_id) where fattura_id is not null`,

  `alter table audit_log drop constraint if exists audit_log_entita_check`,
  `alter table audit_log add constraint audit_log_entita_check check (entita in (${quoted(ENTITA)}))`,
  `alter table audit_log drop constraint if exists audit_log_azione_check`,
  `alter table audit_log add constraint audit_log_azione_check check (azione in (${quoted(AZIONI)}))`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of STATEMENTS) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['mandati_fatture', 'fatture_codici', 'fatture', 'fatture_file']) await knex.raw(`drop table if exists ${table}`);
  await knex.raw(`delete from audit_log where entita = 'fattura' or azione = 'scollega'`);
  await knex.raw('alter table audit_log drop constraint if exists audit_log_entita_check');
  await knex.raw(`alter table audit_log add constraint audit_log_entita_check check (entita in (${quoted(ENTITA.slice(0, -1))}))`);
  await knex.raw('alter table audit_log drop constraint if exists audit_log_azione_check');
  await knex.raw(`alter table audit_log add constraint audit_log_azione_check check (azione in (${quoted(AZIONI.slice(0, -1))}))`);
}
