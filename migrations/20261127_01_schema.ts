import type { Knex } from 'knex';

/**
 * The whole product's schema, multi-school from day one: every school table
 * carries scuola_id in its keys and in its foreign keys, so one school's rows
 * can never point at another's (the database refuses it, not only the form).
 */

const MOTIVI_ESCLUSIONE_CIG = [
  'ACCORDO_AMM_AGGIUDICATRICI', 'ACQUISTO_LOCAZIONE', 'AFFIDAMENTI_IN_HOUSE', 'AMMINISTRAZIONE DIRETTA',
  'APPALTI_ENERGIA_ACQUA', 'ARBITRATO', 'ATTIVITA_CONCORRENZA', 'CONCESSIONI_PAESI_TERZI',
  'CONTRATTI_ASSOCIAZIONE', 'CONTRATTI_AUTORITA_GIUDIZIARIA', 'CONTRATTI_DIFESA', 'CONTRATTI_ESTERO',
  'CONTRATTI_LAVORO', 'DIRITTO_ESCLUSIVO', 'EROGAZIONI_LIBERALITA', 'IMPRESA_COLLEGATA',
  'INCARICHI_COLLABORAZIONE', 'JOINT_VENTURE', 'PRESTAZIONI', 'RIASSICURAZIONE',
  'RISARCIMENTI_INDENNIZZI', 'SERVIZI_BANCHE_CENTRALI_EFSF', 'SERVIZI_CAMPAGNE_POLITICHE',
  'SPESE_ECONOMALI', 'SPONSORIZZAZIONE_PURA', 'TRASFERIMENTO_FONDI', 'TRASPORTO_AEREO',
];

const MODALITA_PAGAMENTO = [
  'SEPA CREDIT TRANSFER', 'ACCREDITO CONTO CORRENTE POSTALE', 'ACCREDITO TESORERIA PROVINCIALE STATO',
  'ASSEGNO BANCARIO E POSTALE', 'ASSEGNO CIRCOLARE', 'AVVISO PAGOPA', 'BONIFICO ESTERO EURO', 'CASSA',
  'COMPENSAZIONE', 'F24EP', 'REGOLARIZZAZIONE', 'ADDEBITO PREAUTORIZZATO', 'DISPOSIZIONE DOCUMENTO ESTERNO',
  'SOSTITUZIONE',
];

const FONTI_FINANZIAMENTO = ['PNRR', 'PON/FSE', 'FESR', 'Stato', 'Enti locali', 'Privati', 'Altro'];

const list = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

// Columns every register and document has: optimistic locking and who/when.
const TRACKED = `
  version integer not null default 1 check (version > 0),
  created_at timestamptz not null default now(),
  created_by integer,
  updated_at timestamptz not null default now(),
  updated_by integer`;

const STATEMENTS = [
  `create extension if not exists pg_trgm`,
  `create extension if not exists unaccent`,
  // unaccent() is only STABLE; an immutable wrapper lets indexes use it.
  `create or replace function immutable_unaccent(text) returns text
     language sql immutable parallel safe strict
     as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`,

  `create table scuole (
     id serial primary key,
     codice_meccanografico varchar(10) not null unique check (codice_meccanografico ~ '^[A-Z]{2}[A-Z0-9]{8}$'),
     denominazione text not null check (length(denominazione) between 1 and 300),
     codice_fiscale varchar(16) check (codice_fiscale ~ '^[0-9]{11}$'),
     created_at timestamptz not null default now()
   )`,

  `create table utenti (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     username varchar(60) not null check (username ~ '^[a-z0-9._-]{3,60}$'),
     nome text not null,
     password_hash text not null,
     ruolo varchar(20) not null check (ruolo in ('segreteria', 'admin')),
     attivo boolean not null default true,
     preferenze jsonb not null default '{}'::jsonb,
     created_at timestamptz not null default now(),
     unique (username),
     unique (scuola_id, id)
   )`,

  `create table login_tentativi (
     id bigserial primary key,
     username varchar(200) not null,
     ip varchar(64) not null,
     riuscito boolean not null,
     created_at timestamptz not null default now()
   )`,
  `create index login_tentativi_username_idx on login_tentativi (username, created_at)`,
  `create index login_tentativi_ip_idx on login_tentativi (ip, created_at)`,

  `create table session (
     sid varchar not null primary key,
     sess json not null,
     expire timestamp(6) not null
   )`,
  `create index session_expire_idx on session (expire)`,

  `create table creditori (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     denominazione text not null check (length(denominazione) between 1 and 300),
     codice_fiscale varchar(16),
     partita_iva varchar(11) check (partita_iva ~ '^[0-9]{11}$'),
     indirizzo text,
     iban varchar(34),
     ${TRACKED},
     unique (scuola_id, id)
   )`,
  `create index creditori_denominazione_idx on creditori (scuola_id, denominazione)`,

  `create table piano_conti (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     tipo smallint not null check (tipo between 1 and 99),
     conto smallint not null check (conto between 1 and 99),
     sottoconto smallint not null check (sottoconto between 1 and 99),
     descrizione text not null,
     attivo boolean not null default true,
     unique (scuola_id, tipo, conto, sottoconto),
     unique (scuola_id, id)
   )`,

  `create table cup (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     codice varchar(15) not null check (codice ~ '^[A-Z][0-9]{2}[A-Z][0-9]{11}$'),
     descrizione text not null check (length(descrizione) between 1 and 2000),
     anno_decisione smallint check (anno_decisione between 1900 and 2100),
     importo_finanziato_cents bigint check (importo_finanziato_cents >= 0),
     fonte_finanziamento varchar(20) check (fonte_finanziamento in (${list(FONTI_FINANZIAMENTO)})),
     stato varchar(10) not null default 'attivo' check (stato in ('attivo', 'chiuso', 'annullato')),
     note text,
     ${TRACKED},
     unique (scuola_id, codice),
     unique (scuola_id, id)
   )`,

  `create table cig (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     codice varchar(10) not null check (codice ~ '^[0-9A-Z]{10}$'),
     famiglia varchar(10) not null check (famiglia in ('ordinario', 'smart', 'pcp')),
     oggetto text not null check (length(oggetto) between 1 and 2000),
     data_generazione date,
     data_scadenza_offerte date,
     importo_cents bigint check (importo_cents >= 0),
     fornitore_id integer,
     scelta_contraente varchar(40),
     stato varchar(10) not null default 'attivo' check (stato in ('attivo', 'annullato')),
     da_completare boolean not null default false,
     note text,
     ${TRACKED},
     unique (scuola_id, codice),
     unique (scuola_id, id),
     foreign key (scuola_id, fornitore_id) references creditori (scuola_id, id),
     check (data_generazione is not null or da_completare)
   )`,

  `create table voci_destinazione (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     esercizio smallint not null check (esercizio between 2000 and 2100),
     aggregato char(1) not null check (aggregato in ('A', 'P', 'G', 'R')),
     voce smallint not null check (voce between 1 and 99),
     sottovoce smallint check (sottovoce between 1 and 999),
     descrizione text not null check (length(descrizione) between 1 and 500),
     cup_id integer,
     cup_testo text,
     ${TRACKED},
     unique (scuola_id, id),
     unique (scuola_id, esercizio, id),
     foreign key (scuola_id, cup_id) references cup (scuola_id, id)
   )`,
  // sottovoce may be null: coalesce so "A01 without sottovoce" is unique too.
  `create unique index voci_destinazione_codice_uq
     on voci_destinazione (scuola_id, esercizio, aggregato, voce, coalesce(sottovoce, 0))`,

  `create table contatori_numerazione (
     scuola_id integer not null references scuole(id),
     tipo varchar(10) not null check (tipo in ('impegno', 'mandato')),
     esercizio smallint not null check (esercizio between 2000 and 2100),
     ultimo integer not null default 0 check (ultimo >= 0),
     primary key (scuola_id, tipo, esercizio)
   )`,

  `create table impegni (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     esercizio smallint not null check (esercizio between 2000 and 2100),
     numero integer not null check (numero between 1 and 999999),
     data date not null,
     voce_id integer not null,
     conto_id integer,
     creditore_id integer,
     oggetto text not null check (length(oggetto) between 1 and 2000),
     importo_cents bigint not null check (importo_cents > 0),
     cig_id integer,
     motivo_esclusione_cig varchar(40) check (motivo_esclusione_cig in (${list(MOTIVI_ESCLUSIONE_CIG)})),
     cup_id integer,
     cig_testo text,
     cup_testo text,
     note text,
     ${TRACKED},
     unique (scuola_id, esercizio, numero),
     unique (scuola_id, id),
     check (extract(year from data) = esercizio),
     check (cig_id is null or motivo_esclusione_cig is null),
     foreign key (scuola_id, esercizio, voce_id) references voci_destinazione (scuola_id, esercizio, id),
     foreign key (scuola_id, conto_id) references piano_conti (scuola_id, id),
     foreign key (scuola_id, creditore_id) references creditori (scuola_id, id),
     foreign key (scuola_id, cig_id) references cig (scuola_id, id),
     foreign key (scuola_id, cup_id) references cup (scuola_id, id)
   )`,
  `create index impegni_cig_idx on impegni (scuola_id, cig_id) where cig_id is not null`,
  `create index impegni_cup_idx on impegni (scuola_id, cup_id) where cup_id is not null`,
  `create index impegni_voce_idx on impegni (scuola_id, voce_id)`,

  `create table mandati (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     esercizio smallint not null check (esercizio between 2000 and 2100),
     numero integer not null check (numero between 1 and 9999999),
     data date not null,
     impegno_id integer not null,
     beneficiario_id integer,
     causale text not null check (length(causale) between 1 and 2000),
     importo_cents bigint not null check (importo_cents > 0),
     modalita_pagamento varchar(40) not null check (modalita_pagamento in (${list(MODALITA_PAGAMENTO)})),
     tipo_debito varchar(20) not null check (tipo_debito in ('COMMERCIALE', 'NON_COMMERCIALE')),
     cig_id integer,
     motivo_esclusione_cig varchar(40) check (motivo_esclusione_cig in (${list(MOTIVI_ESCLUSIONE_CIG)})),
     cup_id integer,
     cig_testo text,
     cup_testo text,
     note text,
     ${TRACKED},
     unique (scuola_id, esercizio, numero),
     unique (scuola_id, id),
     check (extract(year from data) = esercizio),
     check (cig_id is null or motivo_esclusione_cig is null),
     foreign key (scuola_id, impegno_id) references impegni (scuola_id, id),
     foreign key (scuola_id, beneficiario_id) references creditori (scuola_id, id),
     foreign key (scuola_id, cig_id) references cig (scuola_id, id),
     foreign key (scuola_id, cup_id) references cup (scuola_id, id)
   )`,
  `create index mandati_impegno_idx on mandati (scuola_id, impegno_id)`,
  `create index mandati_cig_idx on mandati (scuola_id, cig_id) where cig_id is not null`,
  `create index mandati_cup_idx on mandati (scuola_id, cup_id) where cup_id is not null`,

  `create table audit_log (
     id bigserial primary key,
     scuola_id integer not null references scuole(id),
     utente_id integer,
     entita varchar(30) not null check (entita in ('cig', 'cup', 'impegno', 'mandato', 'voce', 'creditore', 'importazione')),
     entita_id integer not null,
     azione varchar(20) not null check (azione in ('crea', 'modifica', 'elimina', 'annulla', 'riattiva', 'collega')),
     prima jsonb,
     dopo jsonb,
     created_at timestamptz not null default now(),
     foreign key (scuola_id, utente_id) references utenti (scuola_id, id)
   )`,
  `create index audit_log_entita_idx on audit_log (scuola_id, entita, entita_id, created_at)`,

  `create table importazioni (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     utente_id integer,
     modalita varchar(10) not null default 'web' check (modalita in ('web', 'cli')),
     avviata_at timestamptz not null default now(),
     completata_at timestamptz,
     conteggi jsonb not null default '{}'::jsonb,
     report jsonb not null default '[]'::jsonb,
     unique (scuola_id, id),
     foreign key (scuola_id, utente_id) references utenti (scuola_id, id)
   )`,

  `create table flussi_esportazioni (
     id serial primary key,
     scuola_id integer not null references scuole(id),
     utente_id integer,
     esercizio smallint not null check (esercizio between 2000 and 2100),
     mese smallint check (mese between 1 and 12),
     formato varchar(10) not null check (formato in ('cig.csv', 'cup.csv', 'xml')),
     hash_contenuto char(64) not null,
     codici jsonb not null,
     created_at timestamptz not null default now(),
     unique (scuola_id, id),
     foreign key (scuola_id, utente_id) references utenti (scuola_id, id)
   )`,
  `create index flussi_esportazioni_idx on flussi_esportazioni (scuola_id, esercizio, created_at)`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of STATEMENTS) {
    await knex.raw(sql);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'flussi_esportazioni', 'importazioni', 'audit_log', 'mandati', 'impegni', 'contatori_numerazione',
    'voci_destinazione', 'cig', 'cup', 'piano_conti', 'creditori', 'session', 'login_tentativi', 'utenti', 'scuole',
  ]) {
    await knex.raw(`drop table if exists ${table}`);
  }
  await knex.raw('drop function if exists immutable_unaccent(text)');
}
