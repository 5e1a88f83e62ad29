/**
 * Issue 16 benchmark, on the PostgreSQL server, the app as its own process:
 * a distinta of 2,000 mandati (three in four commercial, each paying one
 * electronic invoice; the rest non-commercial), from outside as the
 * secretary does it:
 *
 * 1. GET Flussi → Mandati al cassiere: the pre-flight check of the 2,000;
 * 2. POST Crea distinta: locked, checked again, built, validated against the
 *    OPI 1.7.1 schema and stored with its copy of every mandato.
 *
 * Target: check + build + validate < 5 s. Floor in the same run, in this
 * process, without the database: building and validating the same flow.
 *
 *   node --import tsx bench/distinta.ts        (BENCH_MANDATI=2000 by default)
 */
import { createSchools, dropDatabase, freshDatabase, databaseUrl, login, ms, startApp } from './lib.js';
import { buildFlussoOrdinativi } from '../src/formats/opi/flusso.js';
import { opiFlussoViolations } from '../src/formats/xsd.js';

const DB = 'bilancio_bench_distinta';
const MANDATI = Number(process.env.BENCH_MANDATI ?? 2_000);
const ESERCIZIO = 2026;
const TARGET_MS = 5_000;

const knex = await freshDatabase(DB);
const [scuola] = await createSchools(knex, 1);
const s = scuola!;
await knex('scuole').where({ id: s }).update({
  codice_fiscale: '97812345011', descrizione_ente: 'Istituto di prova 1', codice_ipa: 'istsc_bnic000001', codice_univoco_ufficio: 'UF7K2M',
  codice_istat: '000712345', codice_abi: '03069', codice_ente: 'UF7K2M', codice_ente_bt: '0712345', codice_tramite_ente: 'A2A-12345678',
  codice_tramite_bt: 'A2A-87654321', bollo_assoggettamento: 'ESENTE BOLLO', bollo_causale_esenzione: 'Esente art. 16 Tab. B DPR 642/1972', spese_soggetto: 'A CARICO ENTE',
});

const t0 = performance.now();
const [conto] = await knex('piano_conti').insert({ scuola_id: s, tipo: 2, conto: 1, sottoconto: 1, descrizione: 'Carta e cancelleria', codice_siope: '2301', natura_spesa: 'CORRENTE' }).returning('id');
const [voce] = await knex('voci_destinazione').insert({ scuola_id: s, esercizio: ESERCIZIO, aggregato: 'A', voce: 2, descrizione: 'Funzionamento amministrativo' }).returning('id');
const [cig] = await knex('cig').insert({ scuola_id: s, codice: 'Z1A2B3C4D5', famiglia: 'smart', oggetto: 'Cancelleria', data_generazione: '2026-01-10' }).returning(['id', 'codice']);
const creditori = await knex('creditori').insert(Array.from({ length: 50 }, (_, i) => ({
  scuola_id: s, denominazione: `Fornitore ${i + 1} S.r.l.`, partita_iva: '01234567897', codice_fiscale: '01234567897', indirizzo: `Via Roma ${i + 1}`,
  cap: '00184', localita: 'Roma', provincia: 'RM', stato: 'IT', iban: 'IT60X0542811101000000123456',
}))).returning('id');
await knex.raw(
  `insert into impegni (scuola_id, esercizio, numero, data, voce_id, conto_id, creditore_id, oggetto, importo_cents, cig_id)
   select ?, ?, n, date '2026-01-15', ?, ?, ?, 'Forniture ' || n, 1000000, ? from generate_series(1, ?) n`,
  [s, ESERCIZIO, voce.id, conto.id, creditori[0].id, cig.id, MANDATI],
);
await knex.raw(
  `insert into mandati (scuola_id, esercizio, numero, data, impegno_id, beneficiario_id, causale, importo_cents, modalita_pagamento, tipo_debito, cig_id, motivo_esclusione_cig)
   select i.scuola_id, i.esercizio, i.numero, date '2026-11-02' + (i.numero % 28), i.id, (array[${creditori.map((c: { id: number }) => c.id).join(',')}])[1 + i.numero % 50],
          'Pagamento fattura n. ' || i.numero, 12200,
          'SEPA CREDIT TRANSFER', case when i.numero % 4 = 0 then 'NON_COMMERCIALE' else 'COMMERCIALE' end,
          case when i.numero % 4 = 0 then null else i.cig_id end, null
     from impegni i where i.scuola_id = ?`,
  [s],
);
await knex.raw(
  `insert into fatture_file (scuola_id, tipo, nome, busta, sha256, dimensione, contenuto)
   select ?, 'fattura', 'IT01234567897_' || n || '.xml', 'xml', md5(n::text) || md5((n + 1)::text), 10, '\\x3c783e'::bytea from generate_series(1, ?) n`,
  [s, MANDATI],
);
await knex.raw(
  `insert into fatture (scuola_id, file_id, corpo, formato, tipo_documento, numero, data, fornitore_chiave, fornitore_denominazione, fornitore_partita_iva,
                        totale_cents, imponibile_cents, imposta_cents, importo_dovuto_cents, pagato_cents, scadenza, codice_destinatario, identificativo_sdi,
                        cig, senza_cig, impegno_id)
   select f.scuola_id, f.id, 1, 'FPA12', 'TD01', 'B-' || m.numero, date '2026-10-20', 'IT01234567897', 'Fornitore S.r.l.', '01234567897',
          12200, 10000, 2200, 12200, 12200, date '2026-11-19', 'UF7K2M', (4400000000 + m.numero)::text, ?, false, m.impegno_id
     from fatture_file f join mandati m on m.scuola_id = f.scuola_id and m.numero = substring(f.nome from '_(\\d+)\\.')::int
    where f.scuola_id = ? and m.tipo_debito = 'COMMERCIALE'`,
  [cig.codice, s],
);
await knex.raw(
  `insert into mandati_fatture (scuola_id, mandato_id, fattura_id, importo_cents)
   select m.scuola_id, m.id, f.id, 12200 from mandati m join fatture f on f.scuola_id = m.scuola_id and f.numero = 'B-' || m.numero where m.scuola_id = ?`,
  [s],
);
await knex.raw('vacuum analyze');
console.log(`${MANDATI} mandati con le loro fatture preparati in ${ms(performance.now() - t0)}`);

const app = await startApp(databaseUrl(DB), 3916);

/** The check and the distinta from outside, then the floor on the flow just stored. */
async function run() {
  const cookie = await login(app.baseUrl, `bench${s}`);
  await fetch(`${app.baseUrl}/flussi/cassiere`, { headers: { cookie } }); // warm-up: compiled templates, schema loaded
  const t1 = performance.now();
  const res = await fetch(`${app.baseUrl}/flussi/cassiere`, { headers: { cookie } });
  const html = await res.text();
  const page = performance.now() - t1;
  const pronti = /Pronti da inviare \((\d+)\)/.exec(html)?.[1];
  if (res.status !== 200 || Number(pronti) !== MANDATI) throw new Error(`verifica: ${res.status}, pronti ${pronti}`);
  const firma = /name="firma" value="([0-9a-f]{32})"/.exec(html)![1]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  const t2 = performance.now();
  const post = await fetch(`${app.baseUrl}/flussi/cassiere/distinte`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, firma, data_da: '', data_a: '', numero_da: '', numero_a: '' }),
  });
  const crea = performance.now() - t2;
  if (post.status !== 303) throw new Error(`crea distinta: ${post.status} ${(await post.text()).slice(0, 500)}`);
  const distintaId = Number(/distinte\/(\d+)/.exec(post.headers.get('location') ?? '')![1]);

  // The floor: the same flow built and validated, no database, no HTTP.
  const rows = await knex('opi_flussi_mandati').where({ flusso_id: distintaId }).orderBy('id').select('dati');
  const testata = {
    codiceAbi: '03069', codiceEnte: 'UF7K2M', codiceEnteBt: '0712345', codiceTramiteEnte: 'A2A-12345678', codiceTramiteBt: 'A2A-87654321',
    identificativoFlusso: 'OPI_UF7K2M_2026_999999', dataOraCreazione: '2026-12-07T10:00:00', codiceIpa: 'istsc_bnic000001', codiceIstat: '000712345',
    codiceFiscale: '97812345011', descrizioneEnte: 'Istituto di prova 1',
  };
  const t3 = performance.now();
  const xml = Buffer.from(buildFlussoOrdinativi({ testata, esercizio: ESERCIZIO, mandati: rows.map((r: { dati: never }) => r.dati) }));
  const violations = await opiFlussoViolations(xml);
  const floorMs = performance.now() - t3;
  if (violations.length) throw new Error(violations.join('\n'));
  const size = Number((await knex('opi_flussi').where({ id: distintaId }).first('dimensione')).dimensione);
  return { page, crea, floorMs, size };
}

let result: Awaited<ReturnType<typeof run>>;
try {
  result = await run();
} finally {
  await app.stop();
  await knex.destroy();
  await dropDatabase(DB);
}

const { page, crea, floorMs, size } = result;
const totale = page + crea;
console.log(`\n| Distinta di ${MANDATI} mandati (${(size / 1024 / 1024).toFixed(1)} MB) | Tempo | Obiettivo < ${TARGET_MS / 1000} s | Esito |`);
console.log('|---|---|---|---|');
console.log(`| Pavimento: costruzione e controllo con lo schema, senza database (in questo processo) | ${ms(floorMs)} | — | — |`);
console.log(`| GET Mandati al cassiere (verifica dei ${MANDATI}) | ${ms(page)} | — | ${MANDATI} pronti |`);
console.log(`| POST Crea distinta (di nuovo verificati, bloccati, costruiti, controllati, salvati) | ${ms(crea)} | — | distinta creata |`);
console.log(`| Verifica + creazione | ${ms(totale)} | ${totale < TARGET_MS ? 'sì' : 'no'} | |`);
