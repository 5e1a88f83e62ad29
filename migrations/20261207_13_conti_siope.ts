import type { Knex } from 'knex';

/**
 * Issue 16, the conti of the piano dei conti carry their SIOPE classification.
 *
 * A mandato pays an impegno, the impegno has a conto: what the SIOPE+ OPI asks
 * per payment order, the codice gestionale SIOPE (`classificazione/codice_cgu`)
 * and the natura of the expense of each invoice paid (`natura_spesa_siope`),
 * is a property of the conto. Both may be empty until the school records them
 * (Impostazioni → Piano dei conti); the flow checks that the ones it needs are there.
 *
 * `codice_siope` follows the OPI schema's `stCodiceGestionaleSIOPE`
 * (OPI_GLOBAL_V_1_6_1.xsd: 4 to 10 digits); `natura_spesa` holds the schema's
 * own values of `natura_spesa_siope`. The conto is edited with optimistic
 * locking (version) and audited as entita 'conto'.
 */
const ENTITA = ['cig', 'cup', 'impegno', 'mandato', 'voce', 'creditore', 'importazione', 'fattura', 'scuola'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

const COLUMNS = ['version', 'updated_at', 'updated_by', 'codice_siope', 'natura_spesa'];

const STATEMENTS = [
  `alter table piano_conti
     add column version integer not null default 1 check (version > 0),
     add column updated_at timestamptz not null default now(),
     add column updated_by integer,
     add column codice_siope varchar(10) check (codice_siope ~ '^[0-9]{4,10}$'),
     add column natura_spesa varchar(8) check (natura_spesa in ('CORRENTE', 'CAPITALE')),
     add constraint piano_conti_updated_by_fkey foreign key (scuola_id, updated_by) references utenti (scuola_id, id)`,
  `alter table audit_log drop constraint if exists audit_log_entita_check`,
  `alter table audit_log add constraint audit_log_entita_check check (entita in (${quoted([...ENTITA, 'conto'])}))`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of STATEMENTS) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`delete from audit_log where entita = 'conto'`);
  await knex.raw('alter table audit_log drop constraint if exists audit_log_entita_check');
  await knex.raw(`alter table audit_log add constraint audit_log_entita_check check (entita in (${quoted(ENTITA)}))`);
  await knex.raw('alter table piano_conti drop constraint if exists piano_conti_updated_by_fkey');
  await knex.raw(`alter table piano_conti ${COLUMNS.map((c) => `drop column if exists ${c}`).join(', ')}`);
}
