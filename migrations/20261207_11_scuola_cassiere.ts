import type { Knex } from 'knex';

/**
 * Issue 16, first slice: the school's identity towards its bank (the SIOPE+ OPI
 * `testata_flusso`) and the defaults of its payment orders (`bollo`, `spese`).
 *
 * The columns go on `scuole` itself, not on a 1:1 table: they are the school's
 * identity (its codice fiscale is already there), the page edits them with the
 * codice fiscale as one record, and one row keeps one version and one history.
 * Every column may be empty: a school fills them in when it starts sending
 * mandati; the flow checks that the ones it needs are there.
 *
 * Lengths and patterns are the OPI 1.7.1 schema's (stABI_CAB, stCodiceIPA_Ente,
 * stCodiceA2A, stCodiceISTAT_Ente); `bollo` and `spese` hold the schema's own
 * values for a mandato (`assoggettamento_bollo`, `soggetto_destinatario_delle_spese`).
 */
const ENTITA = ['cig', 'cup', 'impegno', 'mandato', 'voce', 'creditore', 'importazione', 'fattura'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

const BOLLO = ['ESENTE BOLLO', 'ASSOGGETTATO BOLLO A CARICO ENTE', 'ASSOGGETTATO BOLLO A CARICO BENEFICIARIO'];
const SPESE = ['A CARICO ENTE', 'A CARICO BENEFICIARIO', 'ESENTE'];

const COLUMNS = [
  'version', 'updated_at', 'updated_by', 'codice_abi', 'codice_ente', 'codice_ente_bt', 'codice_tramite_ente', 'codice_tramite_bt',
  'codice_ipa', 'codice_univoco_ufficio', 'codice_istat', 'descrizione_ente', 'bollo_assoggettamento', 'bollo_causale_esenzione', 'spese_soggetto',
];

const STATEMENTS = [
  `alter table scuole
     add column version integer not null default 1 check (version > 0),
     add column updated_at timestamptz not null default now(),
     add column updated_by integer,
     add column codice_abi varchar(5) check (codice_abi ~ '^[0-9]{5}$'),
     add column codice_ente varchar(6) check (codice_ente ~ '^[A-Z0-9]{6}$'),
     add column codice_ente_bt varchar(30) check (codice_ente_bt ~ '^[A-Z0-9./-]{1,30}$'),
     add column codice_tramite_ente varchar(12) check (codice_tramite_ente ~ '^A2A-[0-9]{8}$'),
     add column codice_tramite_bt varchar(12) check (codice_tramite_bt ~ '^A2A-[0-9]{8}$'),
     add column codice_ipa varchar(30) check (codice_ipa ~ '^[a-z0-9_]{2,30}$'),
     add column codice_univoco_ufficio varchar(6) check (codice_univoco_ufficio ~ '^[A-Z0-9]{6}$'),
     add column codice_istat varchar(15) check (codice_istat ~ '^[0-9]{9,15}$'),
     add column descrizione_ente text check (length(descrizione_ente) between 1 and 300),
     add column bollo_assoggettamento varchar(40) check (bollo_assoggettamento in (${quoted(BOLLO)})),
     add column bollo_causale_esenzione text check (length(bollo_causale_esenzione) between 1 and 300),
     add column spese_soggetto varchar(25) check (spese_soggetto in (${quoted(SPESE)})),
     add constraint scuole_bollo_causale_check check ((bollo_causale_esenzione is not null) = (bollo_assoggettamento is not distinct from 'ESENTE BOLLO')),
     add constraint scuole_updated_by_fkey foreign key (id, updated_by) references utenti (scuola_id, id)`,
  `alter table audit_log drop constraint if exists audit_log_entita_check`,
  `alter table audit_log add constraint audit_log_entita_check check (entita in (${quoted([...ENTITA, 'scuola'])}))`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of STATEMENTS) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`delete from audit_log where entita = 'scuola'`);
  await knex.raw('alter table audit_log drop constraint if exists audit_log_entita_check');
  await knex.raw(`alter table audit_log add constraint audit_log_entita_check check (entita in (${quoted(ENTITA)}))`);
  await knex.raw('alter table scuole drop constraint if exists scuole_bollo_causale_check, drop constraint if exists scuole_updated_by_fkey');
  await knex.raw(`alter table scuole ${COLUMNS.map((c) => `drop column if exists ${c}`).join(', ')}`);
}
