import type { Knex } from 'knex';

/**
 * The beneficiario of a SIOPE+ OPI payment order made real.
 *
 * 1. The creditore's address in the parts the OPI `beneficiario` asks for:
 *    `indirizzo` stays and now holds street and number (`indirizzo_beneficiario`);
 *    `cap` (`cap_beneficiario`), `localita` (`localita_beneficiario`), `provincia`
 *    (`provincia_beneficiario`) and `stato` (`stato_beneficiario`) are new. The OPI
 *    1.7.1 schema bounds only two of them: `cap_beneficiario` at most 16 characters
 *    (our 5 digits fit) and `stato_beneficiario` `[A-Z]{2}`; `anagrafica_beneficiario`,
 *    `indirizzo_beneficiario`, `localita_beneficiario`, `provincia_beneficiario` are
 *    unbounded strings, so the form's limits stand. Existing rows keep their whole
 *    address in `indirizzo` and get `stato` 'IT'.
 * 2. `IVA` as a mandato's `tipo_debito`: OPI `tipo_debito_siope_nc` IVA, the IVA of an
 *    invoice under split payment, paid by the school to the Erario (non commercial:
 *    it pays no invoice rows and needs no CIG).
 */
const TIPI_DEBITO = ['COMMERCIALE', 'NON_COMMERCIALE'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

const STATEMENTS = [
  `alter table creditori
     add column cap varchar(5) check (cap ~ '^[0-9]{5}$'),
     add column localita text,
     add column provincia varchar(2) check (provincia ~ '^[A-Z]{2}$'),
     add column stato char(2) not null default 'IT' check (stato ~ '^[A-Z]{2}$')`,
  `alter table mandati drop constraint if exists mandati_tipo_debito_check`,
  `alter table mandati add constraint mandati_tipo_debito_check check (tipo_debito in (${quoted([...TIPI_DEBITO, 'IVA'])}))`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of STATEMENTS) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`update mandati set tipo_debito = 'NON_COMMERCIALE' where tipo_debito = 'IVA'`);
  await knex.raw('alter table mandati drop constraint if exists mandati_tipo_debito_check');
  await knex.raw(`alter table mandati add constraint mandati_tipo_debito_check check (tipo_debito in (${quoted(TIPI_DEBITO)}))`);
  await knex.raw('alter table creditori drop column if exists cap, drop column if exists localita, drop column if exists provincia, drop column if exists stato');
}
