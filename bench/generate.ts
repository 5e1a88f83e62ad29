import type { Knex } from 'knex';
import { createSchools } from './lib.js';

/**
 * Set-based generators of register rows: one INSERT … SELECT per call, codes
 * valid by construction (CIG ordinario: 7 digits + hex3((N × 211) mod 4091)).
 */
const OGGETTI_A = ['Fornitura di', 'Acquisto di', 'Noleggio di', 'Servizio di', 'Manutenzione di'];
const OGGETTI_B = [
  'materiale di cancelleria', 'attività didattiche', 'pullman per uscita didattica', 'monitor interattivi',
  'software gestionale', 'pulizia dei locali', 'formazione del personale', 'laboratorio di scienze',
  'arredi per aule', 'servizio di cassa', 'licenze antivirus', 'stampanti multifunzione',
];
const sqlArray = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

/** `count` CIGs for a school; progressives start at `from` so codes stay unique per school. */
export async function insertCig(knex: Knex, scuolaId: number, count: number, from = 1) {
  await knex.raw(
    `insert into cig (scuola_id, codice, famiglia, oggetto, data_generazione, data_scadenza_offerte, importo_cents, stato)
     select ?, lpad(n::text, 7, '0') || upper(lpad(to_hex((n::bigint * 211) % 4091), 3, '0')), 'ordinario',
            (${sqlArray(OGGETTI_A)})[1 + n % ${OGGETTI_A.length}] || ' ' || (${sqlArray(OGGETTI_B)})[1 + (n / 7) % ${OGGETTI_B.length}] || ' – lotto ' || n,
            date '2019-01-01' + (n % 2500),
            case when n % 3 = 0 then null else date '2019-01-01' + (n % 2500) + 30 end,
            (n % 400000) * 100 + 50,
            case when n % 40 = 0 then 'annullato' else 'attivo' end
     from generate_series(?::int, ?::int) as n`,
    [scuolaId, from, from + count - 1],
  );
}

const FONTI = ['PNRR', 'PON/FSE', 'FESR', 'Stato', 'Enti locali', 'Privati', 'Altro'];

/** `count` CUPs for a school (shape [A-Z][0-9]{2}[A-Z][0-9]{11}, year digits 19–25). */
export async function insertCup(knex: Knex, scuolaId: number, count: number, from = 1) {
  await knex.raw(
    `insert into cup (scuola_id, codice, descrizione, anno_decisione, importo_finanziato_cents, fonte_finanziamento, stato)
     select ?, 'C44D' || lpad((19 + n % 7)::text, 2, '0') || lpad(n::text, 9, '0'),
            'Progetto ' || (${sqlArray(OGGETTI_B)})[1 + n % ${OGGETTI_B.length}] || ' n. ' || n,
            2019 + n % 7,
            (n % 900000) * 100,
            (${sqlArray(FONTI)})[1 + n % ${FONTI.length}],
            case when n % 30 = 0 then 'chiuso' else 'attivo' end
     from generate_series(?::int, ?::int) as n`,
    [scuolaId, from, from + count - 1],
  );
}

/**
 * Legacy documents for the import benchmark: `perEsercizio` impegni and 1.5×
 * as many mandati in each esercizio, CIG written as free text with realistic
 * repetition (`distinctCig` procurements) and spellings (lower case, spaced,
 * "CIG:" prefix, empty), about 2 % invalid values; CUP text on a third of the
 * voci and copied on their documents.
 */
export async function insertLegacyDocuments(
  knex: Knex,
  scuolaId: number,
  options: { esercizi: number[]; perEsercizio: number; distinctCig: number },
) {
  const { esercizi, perEsercizio, distinctCig } = options;
  const code = (k: string) => `lpad(${k}::text, 7, '0') || upper(lpad(to_hex((${k}::bigint * 211) % 4091), 3, '0'))`;
  const spelled = (c: string, n: string) => `case
      when ${n} % 100 = 0 then 'V' || substr(${c}, 2)
      when ${n} % 100 = 50 then substr(${c}, 1, 9)
      when ${n} % 10 = 1 then lower(${c})
      when ${n} % 10 = 2 then substr(${c}, 1, 4) || ' ' || substr(${c}, 5)
      when ${n} % 10 = 3 then 'CIG: ' || ${c}
      when ${n} % 10 = 4 then null
      when ${n} % 10 = 5 then ''
      else ${c} end`;
  await knex.raw(
    `insert into voci_destinazione (scuola_id, esercizio, aggregato, voce, sottovoce, descrizione, cup_testo)
     select ?, e, 'A', 1 + (s - 1) / 5, 1 + (s - 1) % 5, 'Scheda finanziaria ' || s,
            case when s % 3 = 0 then (case when s % 2 = 0 then 'CUP ' else '' end) || 'C44D' || lpad((e % 100)::text, 2, '0') || lpad(s::text, 9, '0')
                 when s = 29 then 'C44D2400212006' end
     from unnest(?::int[]) as e, generate_series(1, 30) as s`,
    [scuolaId, `{${esercizi.join(',')}}`],
  );
  await knex.raw(
    `with vv as (
       select esercizio, array_agg(id order by id) as ids, array_agg(cup_testo order by id) as cups
       from voci_destinazione where scuola_id = ? group by esercizio
     )
     insert into impegni (scuola_id, esercizio, numero, data, voce_id, oggetto, importo_cents, cig_testo, cup_testo)
     select ?, vv.esercizio, n, make_date(vv.esercizio, 1 + n % 12, 1 + n % 28), vv.ids[1 + n % 30],
            'Fornitura lotto ' || ((n * 7919) % ? + 1), 10000 + n % 1000000,
            ${spelled(code(`((n * 7919) % ${distinctCig} + 1)`), 'n')},
            case when n % 2 = 0 then vv.cups[1 + n % 30] end
     from vv, generate_series(1, ?) as n`,
    [scuolaId, scuolaId, distinctCig, perEsercizio],
  );
  await knex.raw(
    `insert into mandati (scuola_id, esercizio, numero, data, impegno_id, causale, importo_cents, modalita_pagamento, tipo_debito, cig_testo, cup_testo)
     select i.scuola_id, i.esercizio, m.n, i.data, i.id, 'Pagamento ' || i.oggetto, 100, 'SEPA CREDIT TRANSFER', 'COMMERCIALE',
            case when m.n % 7 = 0 then lower(i.cig_testo) else i.cig_testo end, i.cup_testo
     from generate_series(1, ?) as m(n)
     join impegni i on i.scuola_id = ? and i.numero = (m.n - 1) % ? + 1
     where i.esercizio = any(?::int[])`,
    [Math.round(perEsercizio * 1.5), scuolaId, perEsercizio, `{${esercizi.join(',')}}`],
  );
}

/**
 * Documents already linked to the registers (after the import): `impegni`
 * impegni and `mandati` mandati in one esercizio, spread over the school's CIGs,
 * a CUP on a fifth of them and on a third of the voci.
 */
export async function insertLinkedDocuments(knex: Knex, scuolaId: number, options: { esercizio: number; impegni: number; mandati: number }) {
  const { esercizio, impegni, mandati } = options;
  await knex.raw(
    `insert into voci_destinazione (scuola_id, esercizio, aggregato, voce, sottovoce, descrizione, cup_id)
     select ?, ?, 'A', 1 + (s - 1) / 5, 1 + (s - 1) % 5, 'Scheda finanziaria ' || s,
            case when s % 3 = 0 then (select id from cup where scuola_id = ? order by id offset s limit 1) end
     from generate_series(1, 30) as s`,
    [scuolaId, esercizio, scuolaId],
  );
  await knex.raw(
    `with cigs as (select array_agg(id order by id) as ids from cig where scuola_id = ?),
          cups as (select array_agg(id order by id) as ids from cup where scuola_id = ?),
          vv as (select array_agg(id order by id) as ids from voci_destinazione where scuola_id = ? and esercizio = ?)
     insert into impegni (scuola_id, esercizio, numero, data, voce_id, oggetto, importo_cents, cig_id, motivo_esclusione_cig, cup_id)
     select ?, ?, n, make_date(?, 1 + n % 12, 1 + n % 28), vv.ids[1 + n % 30], 'Fornitura n. ' || n, 10000 + n % 500000,
            case when n % 10 <> 0 then cigs.ids[1 + n % cardinality(cigs.ids)] end,
            case when n % 10 = 0 then 'SPESE_ECONOMALI' end,
            case when n % 5 = 0 then cups.ids[1 + n % cardinality(cups.ids)] end
     from cigs, cups, vv, generate_series(1, ?) as n`,
    [scuolaId, scuolaId, scuolaId, esercizio, scuolaId, esercizio, esercizio, impegni],
  );
  await knex.raw(
    `insert into mandati (scuola_id, esercizio, numero, data, impegno_id, causale, importo_cents, modalita_pagamento, tipo_debito, cig_id, motivo_esclusione_cig, cup_id)
     select i.scuola_id, i.esercizio, m.n, i.data, i.id, 'Pagamento ' || i.oggetto, 100, 'SEPA CREDIT TRANSFER', 'COMMERCIALE',
            i.cig_id, i.motivo_esclusione_cig, i.cup_id
     from generate_series(1, ?) as m(n)
     join impegni i on i.scuola_id = ? and i.esercizio = ? and i.numero = (m.n - 1) % ? + 1`,
    [mandati, scuolaId, esercizio, impegni],
  );
}

/**
 * The load tests' schools (bench/carico.ts, bench/aperto.ts): each with 2,000 CIGs, 300 CUPs and,
 * in the esercizio `esercizio` and the one before, 1,500 impegni and 2,500 mandati; then VACUUM ANALYZE.
 */
export async function insertLoadSchools(knex: Knex, count: number, esercizio: number): Promise<number[]> {
  const ids = await createSchools(knex, count);
  for (const id of ids) {
    await insertCig(knex, id, 2000);
    await insertCup(knex, id, 300);
    await insertLinkedDocuments(knex, id, { esercizio: esercizio - 1, impegni: 1500, mandati: 2500 });
    await insertLinkedDocuments(knex, id, { esercizio, impegni: 1500, mandati: 2500 });
  }
  await knex.raw('vacuum analyze');
  return ids;
}
