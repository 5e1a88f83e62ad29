/**
 * Issue 15 benchmark, on the PostgreSQL server, the app as its own process:
 *
 * 1. «Carica fatture» with one .zip of 1,000 invoices (one in ten signed .p7m,
 *    one in twenty a lotto of two bodies, codes written the way suppliers do),
 *    timed from outside the app, from the POST to the whole answer page.
 *    Target: < 20 s. Floor in the same run, in this process: opening the zip,
 *    reading every invoice and validating the schema, with no database.
 *    Then the same zip again (every file already present).
 * 2. The register list with 100,000 invoices in one school (and 1,000 in
 *    another): list, sort, search, filters. Target: p95 < 50 ms.
 *
 *   node --import tsx bench/fatture.ts         (BENCH_SECONDS=10 by default)
 */
import { readFileSync } from 'node:fs';
import { createSchools, dropDatabase, freshDatabase, databaseUrl, login, measure, ms, startApp, type Latency } from './lib.js';
import { readZipSafe } from '../src/formats/zip.js';
import { readFattura } from '../src/formats/fatturapa/fattura.js';
import { unwrapP7m } from '../src/formats/fatturapa/p7m.js';
import { fatturapaViolations } from '../src/formats/xsd.js';
import { signP7m } from '../test/helpers/p7m.js';
import { buildZip } from '../test/helpers/zip.js';

const DB = 'bilancio_bench_fatture';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2);
const UPLOAD = Number(process.env.BENCH_UPLOAD ?? 1_000);
const BIG = Number(process.env.BENCH_BIG ?? 100_000);
const SCHOOL_CF = '97812345011';

const semplice = readFileSync('test/fixtures/fatturapa/semplice.xml', 'utf8');
const lotto = readFileSync('test/fixtures/fatturapa/lotto.xml', 'utf8');
const CIG = ['9050626CD6', 'cig: 9050626cd6', 'ZF73A9F1C2', 'B123456659', '731245l974'];

/** The n-th invoice of the month: its own number and one of the CIG spellings. */
function invoice(n: number): string {
  if (n % 20 === 0) return lotto.replace(/<Numero>101<\/Numero>/, `<Numero>L${n}-1</Numero>`).replace(/<Numero>102<\/Numero>/, `<Numero>L${n}-2</Numero>`);
  return semplice.replace(/<Numero>[^<]+<\/Numero>/, `<Numero>B-${n}/2026</Numero>`).replace(/<CodiceCIG>[^<]+<\/CodiceCIG>/, `<CodiceCIG>${CIG[n % CIG.length]}</CodiceCIG>`);
}

async function buildUpload(): Promise<Buffer> {
  const files = [];
  for (let n = 1; n <= UPLOAD; n++) {
    const xml = Buffer.from(invoice(n));
    if (n % 10 === 0) files.push({ name: `IT01234567897_B${n}.xml.p7m`, data: (await signP7m(xml)).der });
    else files.push({ name: `IT01234567897_B${n}.xml`, data: xml });
  }
  return buildZip(files);
}

/** The floor: what the upload must do anyway, without the database. */
async function floor(zip: Buffer): Promise<number> {
  const t = performance.now();
  const read = await readZipSafe(zip);
  if (!read.ok) throw new Error(read.motivo);
  const xmls = read.entries.map((e) => {
    const xml = e.name.endsWith('.p7m') ? unwrapP7m(e.bytes) : { ok: true as const, xml: e.bytes };
    if (!xml.ok || !readFattura(xml.xml).ok) throw new Error(`${e.name} illeggibile`);
    return xml.xml;
  });
  await fatturapaViolations(xmls);
  return performance.now() - t;
}

async function post(baseUrl: string, cookie: string, zip: Buffer): Promise<{ ms: number; text: string }> {
  const page = await (await fetch(`${baseUrl}/fatture/carica`, { headers: { cookie } })).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const form = new FormData();
  form.append('_csrf', token);
  form.append('file', new Blob([new Uint8Array(zip)]), 'dicembre.zip');
  const t = performance.now();
  const res = await fetch(`${baseUrl}/fatture/carica`, { method: 'POST', headers: { cookie }, body: form });
  const text = await res.text();
  const elapsed = performance.now() - t;
  if (res.status !== 200) throw new Error(`caricamento → ${res.status}`);
  return { ms: elapsed, text };
}

const summary = (html: string) => /role="status">([^<]+)</.exec(html)?.[1] ?? '(nessun riepilogo)';

/** `count` invoices for a school, set-based: files of 1,000 bodies, two codes each. */
async function insertFatture(knex: Awaited<ReturnType<typeof freshDatabase>>, scuolaId: number, count: number) {
  const files = Math.ceil(count / 1000);
  await knex.raw(
    `insert into fatture_file (scuola_id, tipo, nome, busta, sha256, dimensione, contenuto)
     select ?, 'fattura', 'IT0123456789' || (n % 10) || '_G' || n || '.xml', 'xml', md5(? || '-' || n) || md5(n || '-' || ?), 3, '<x/>'::bytea
     from generate_series(1, ?) as n`,
    [scuolaId, scuolaId, scuolaId, files],
  );
  await knex.raw(
    `insert into fatture (scuola_id, file_id, corpo, formato, tipo_documento, numero, data, fornitore_chiave, fornitore_denominazione,
        fornitore_partita_iva, totale_cents, imponibile_cents, imposta_cents, split_payment, importo_dovuto_cents, scadenza, cig, cup,
        senza_cig, codici_da_verificare, pagato_cents)
     select ?, f.id, c.corpo, 'FPA12', case when g.n % 25 = 0 then 'TD04' else 'TD01' end, 'G' || g.n, date '2024-01-01' + (g.n % 1000),
            lpad((g.n % 400)::text, 11, '0'),
            (array['Cartoleria Rossi','Ditta Bianchi','Informatica Verdi','Pulizie Gialli','Trasporti Neri'])[1 + g.n % 5] || ' n. ' || (g.n % 400),
            'IT' || lpad((g.n % 400)::text, 11, '0'), 12200 + g.n % 90000, 10000 + g.n % 70000, 2200, g.n % 7 = 0,
            case when g.n % 7 = 0 then 10000 + g.n % 70000 else 12200 + g.n % 90000 end,
            date '2024-01-31' + (g.n % 1000),
            case when g.n % 9 = 0 then null else lpad((g.n % 5000)::text, 7, '0') || upper(lpad(to_hex(((g.n % 5000)::bigint * 211) % 4091), 3, '0')) end,
            case when g.n % 3 = 0 then 'C44D' || lpad((19 + g.n % 7)::text, 2, '0') || lpad((g.n % 3000)::text, 9, '0') end,
            g.n % 9 = 0, g.n % 11 = 0, 0
     from generate_series(1, ?) as g(n)
     cross join lateral (select (g.n - 1) / 1000 + 1 as file_n, (g.n - 1) % 1000 + 1 as corpo) c
     join (select id, row_number() over (order by id) as file_n from fatture_file where scuola_id = ?) f on f.file_n = c.file_n`,
    [scuolaId, count, scuolaId],
  );
  await knex.raw(
    `insert into fatture_codici (scuola_id, fattura_id, tipo, campo, scritto, codice, esito)
     select scuola_id, id, 'cig', 'cig', cig, cig, 'valido' from fatture where scuola_id = ? and cig is not null
     union all
     select scuola_id, id, 'cup', 'cup', cup, cup, 'valido' from fatture where scuola_id = ? and cup is not null`,
    [scuolaId, scuolaId],
  );
}

const knex = await freshDatabase(DB);
const [uploader, small, big] = await createSchools(knex, 3);
await knex('scuole').where({ id: uploader! }).update({ codice_fiscale: SCHOOL_CF });

const t0 = performance.now();
const zip = await buildUpload();
console.log(`zip di ${UPLOAD} fatture: ${(zip.length / 1024 / 1024).toFixed(1)} MB, preparato in ${ms(performance.now() - t0)}`);
const floorMs = await floor(zip);

const app = await startApp(databaseUrl(DB), 3915);
const listResults: { school: string; kind: string; r: Latency }[] = [];
let first: { ms: number; text: string };
let again: { ms: number; text: string };
try {
  const cookie = await login(app.baseUrl, `bench${uploader}`);
  first = await post(app.baseUrl, cookie, zip);
  console.log(`caricamento: ${ms(first.ms)} — ${summary(first.text)}`);
  again = await post(app.baseUrl, cookie, zip);
  console.log(`di nuovo (già presenti): ${ms(again.ms)} — ${summary(again.text)}`);

  // The record page re-reads the stored original: measured on the uploaded, real invoices.
  const ids = (await knex('fatture').where({ scuola_id: uploader! }).orderByRaw('random()').limit(50).pluck('id')) as number[];
  const scheda = await measure(app.baseUrl, ids.map((id) => `/fatture/${id}`), { cookie, seconds: SECONDS, connections: CONNECTIONS });
  listResults.push({ school: `${UPLOAD} (caricate)`, kind: 'Scheda della fattura (file originale riletto)', r: scheda });
  const t1 = performance.now();
  await insertFatture(knex, small!, 1_000);
  await insertFatture(knex, big!, BIG);
  await knex.raw('vacuum analyze');
  console.log(`registro generato in ${ms(performance.now() - t1)}`);

  // BENCH_SOLO_CARICAMENTO=1: the upload and the record page only.
  const registers = process.env.BENCH_SOLO_CARICAMENTO ? [] : ([['1.000', small!], [BIG.toLocaleString('it-IT'), big!]] as const);
  for (const [label, scuolaId] of registers) {
    const c = await login(app.baseUrl, `bench${scuolaId}`);
    const kinds: [string, string[]][] = [
      ['Elenco (pagina 1, ordine predefinito)', ['/fatture']],
      ['Elenco ordinato per fornitore, pagina 5', ['/fatture?ordina=fornitore&verso=asc&pagina=5']],
      ['Elenco ordinato per totale, decrescente', ['/fatture?ordina=totale&verso=desc']],
      ['Ricerca per fornitore', ['/fatture?fornitore=rossi', '/fatture?fornitore=informatica%20verdi']],
      ['Filtro stato «da collegare»', ['/fatture?stato=da_collegare']],
      ['Ricerca per CIG', ['/fatture?codice=0000123']],
    ];
    for (const [kind, paths] of kinds) {
      for (const p of paths.slice(0, 3)) {
        const res = await fetch(`${app.baseUrl}${p}`, { headers: { cookie: c }, redirect: 'manual' });
        if (res.status !== 200) throw new Error(`${p} → ${res.status}`);
      }
      const r = await measure(app.baseUrl, paths, { cookie: c, seconds: SECONDS, connections: CONNECTIONS });
      listResults.push({ school: label, kind, r });
      console.log(`${label.padStart(7)} | ${kind.padEnd(52)} | ${r.rps} req/s | p50 ${ms(r.p50)} | p95 ${ms(r.p95)} | errori ${r.errors + r.non2xx}`);
    }
  }
} finally {
  await app.stop();
  await knex.destroy();
  if (!process.env.BENCH_KEEP) await dropDatabase(DB);
}

console.log(`\n| Caricamento di ${UPLOAD} fatture in uno zip | Tempo | Obiettivo < 20 s | Esito |`);
console.log(`|---|---|---|---|`);
console.log(`| Pavimento: zip, lettura e schema, senza database (in questo processo) | ${ms(floorMs)} | — | — |`);
console.log(`| POST /fatture/carica, prima volta | ${ms(first!.ms)} | ${first!.ms < 20_000 ? 'sì' : '**no**'} | ${summary(first!.text)} |`);
console.log(`| POST /fatture/carica, stesso zip di nuovo | ${ms(again!.ms)} | ${again!.ms < 20_000 ? 'sì' : '**no**'} | ${summary(again!.text)} |`);
console.log(`\n| fatture della scuola | richiesta | req/s | p50 | p95 | p99 | errori | p95 < 50 ms |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const { school, kind, r } of listResults) {
  console.log(`| ${school} | ${kind} | ${r.rps} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors + r.non2xx} | ${r.p95 < 50 ? 'sì' : '**no**'} |`);
}
