/**
 * Issue 14 benchmark: completing the registers from a national ANAC file. A
 * ~500 MB ANAC-shaped CSV (25 columns, ~1.5 M rows, a few hundred codes of the
 * bench schools scattered in it) is streamed through the same code path as
 * `npm run dati-aperti -- --tutte`; the floor is the same file through the CSV
 * parser alone (no look-up, no database). Targets: ≥ 20 MB/s, RSS < 200 MB.
 *
 *   node --import tsx bench/datiAperti.ts           (PostgreSQL server)
 *   BENCH_MB=100 node --import tsx bench/datiAperti.ts   (a smaller file)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { createDatiApertiService } from '../src/services/datiApertiService.js';
import { createSchools, dropDatabase, freshDatabase } from './lib.js';

const DB = 'bilancio_bench_dati_aperti';
const TARGET_MB = Number(process.env.BENCH_MB ?? 500);
const SCHOOLS = 3;
const CIG_PER_SCHOOL = 200;

const HEADER = [
  'cig', 'cig_accordo_quadro', 'numero_gara', 'oggetto_gara', 'importo_complessivo_gara', 'n_lotti_componenti', 'oggetto_lotto', 'importo_lotto',
  'oggetto_principale_contratto', 'stato', 'settore', 'luogo_istat', 'provincia', 'data_pubblicazione', 'data_scadenza_offerta',
  'cod_tipo_scelta_contraente', 'tipo_scelta_contraente', 'cod_modalita_realizzazione', 'modalita_realizzazione', 'codice_ausa',
  'cf_amministrazione_appaltante', 'denominazione_amministrazione_appaltante', 'anno_pubblicazione', 'mese_pubblicazione', 'cod_cpv',
];

/** A valid ordinario CIG from a progressive number (the check digits of the ANAC algorithm). */
const cigOf = (n: number) => `${n}${((n * 211) % 4091).toString(16).toUpperCase().padStart(3, '0')}`;

function rowOf(codice: string, i: number): string {
  const d = `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  return [
    codice, '', String(9_000_000 + i), `"Procedura per l'affidamento del servizio n. ${i}; lotto unico"`, `${(i % 90_000) + 1000}.00`, '1',
    `"Fornitura di materiale di consumo e servizi accessori per la sede ${i % 997}"`, `${(i % 40_000) + 100}.50`, 'FORNITURE', 'ATTIVO',
    'SETTORI ORDINARI', '058091', 'RM', `${d}T00:00:00`, d, '23', 'AFFIDAMENTO DIRETTO', '1', 'CONTRATTO D\'APPALTO', `0000${i % 100_000}`,
    String(80_000_000_000 + (i % 50_000)), `"ISTITUTO COMPRENSIVO STATALE ${i % 9973}, VIA ROMA"`, '2024', String((i % 12) + 1), '30192000-1',
  ].join(';');
}

/** Writes the file to disk, streamed: returns its size and how many rows it has. */
async function generate(file: string, codes: string[]): Promise<{ bytes: number; rows: number }> {
  const out = fs.createWriteStream(file);
  const approx = rowOf(cigOf(1_234_567), 123_456).length + 1;
  const rows = Math.round((TARGET_MB * 1024 * 1024) / approx);
  const every = Math.floor(rows / (codes.length + 1));
  let next = 0;
  let batch = `${HEADER.join(';')}\n`;
  for (let i = 1; i <= rows; i++) {
    const own = i % every === 0 && next < codes.length;
    batch += `${rowOf(own ? codes[next++]! : cigOf(2_000_000 + i), i)}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return { bytes: fs.statSync(file).size, rows };
}

/** Runs `work` while sampling the RSS every 100 ms: seconds taken and the peak RSS. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number }> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
  const t0 = process.hrtime.bigint();
  try {
    const value = await work();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const knex = await freshDatabase(DB);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dati-aperti-'));
const file = path.join(dir, 'anac.csv');
try {
  const scuole = await createSchools(knex, SCHOOLS);
  const codes: string[] = [];
  for (const [s, scuolaId] of scuole.entries()) {
    const rows = Array.from({ length: CIG_PER_SCHOOL }, (_, i) => {
      const codice = cigOf(1_000_000 + s * 10_000 + i);
      codes.push(codice);
      return { scuola_id: scuolaId, codice, famiglia: 'ordinario', oggetto: 'CIG importato dai documenti precedenti', da_completare: true };
    });
    const ids = await knex('cig').insert(rows).returning(['id', 'codice']);
    await knex('audit_log').insert(ids.map((r: { id: number; codice: string }) => ({
      scuola_id: scuolaId, entita: 'cig', entita_id: r.id, azione: 'crea', dopo: JSON.stringify({ codice: r.codice, origine: 'importazione' }),
    })));
  }
  const gen = await generate(file, codes);
  const mb = gen.bytes / 1024 / 1024;
  console.log(`File: ${mb.toFixed(0)} MB, ${gen.rows.toLocaleString('it-IT')} righe, ${codes.length} CIG delle ${SCHOOLS} scuole (RSS dopo la generazione ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB)`);

  const floor = await measured(async () => {
    let n = 0;
    for await (const _row of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(parse({ delimiter: ';', relax_quotes: true, relax_column_count: true }))) n++;
    return n;
  });
  const service = createDatiApertiService(knex);
  const preview = await measured(() => service.fillEmpty(scuole, fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), { fileName: 'anac.csv', anteprima: true }));
  const run = await measured(() => service.fillEmpty(scuole, fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), { fileName: 'anac.csv', anteprima: false }));
  if (!run.value.ok) throw new Error(run.value.message);
  const updated = await knex('cig').whereNotNull('data_generazione').count({ n: '*' }).first();
  const vmhwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];

  const line = (label: string, r: { seconds: number; peakMb: number }) =>
    `| ${label} | ${r.seconds.toFixed(1)} s | ${(mb / r.seconds).toFixed(1)} MB/s | ${r.peakMb.toFixed(0)} MB |`;
  console.log('\n| Passata | Tempo | Velocità | RSS massimo |\n|---|---|---|---|');
  console.log(line('Solo csv-parse (pavimento)', floor));
  console.log(line('`--anteprima` (lettura + confronto, nessuna scrittura)', preview));
  console.log(line('`--tutte` (lettura + confronto + scrittura)', run));
  console.log(`\n${run.value.records.length} CIG trovati, ${run.value.proposti} valori proposti, ${run.value.esiti.reduce((n, e) => n + e.esito.valori, 0)} scritti; CIG con data di generazione: ${updated?.n}; VmHWM del processo ${(Number(vmhwm) / 1024).toFixed(0)} MB.`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  await knex.destroy();
  await dropDatabase(DB);
}
