/**
 * Issue 14 benchmark: completing the registers from a national ANAC file. A
 * ~500 MB ANAC-shaped CSV (25 columns, ~1.4 M rows, 600 codes of the bench
 * schools scattered in it) is given to the real command, `npm run dati-aperti`,
 * run as its own process (so its memory is its own), once with --anteprima and
 * once applying to all schools; its peak RSS is read from /proc while it runs.
 * Floors in the same run: the file read by Node alone, and read through
 * csv-parse record by record (what parsing every row would cost).
 * Targets: ≥ 20 MB/s, RSS < 200 MB.
 *
 *   node --import tsx bench/datiAperti.ts           (PostgreSQL server)
 *   BENCH_MB=100 node --import tsx bench/datiAperti.ts   (a smaller file)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { parse } from 'csv-parse';
import { createSchools, databaseUrl, dropDatabase, freshDatabase } from './lib.js';

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

/** Runs `work` and times it (the floors, in this process). */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** The command as an operator runs it, in its own process: wall time, peak RSS (VmHWM, sampled while it runs) and its output. */
async function command(args: string[]): Promise<{ seconds: number; peakMb: number; out: string }> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/datiAperti.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl(DB), NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', () => {}); // the progress line
  let peakKb = 0;
  const sample = () => {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.existsSync(`/proc/${child.pid}/status`) ? fs.readFileSync(`/proc/${child.pid}/status`, 'utf8') : '');
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  };
  const timer = setInterval(sample, 50);
  const [code] = (await once(child, 'exit')) as [number];
  clearInterval(timer);
  if (code !== 0) throw new Error(`dati-aperti uscito con ${code}: ${out}`);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakMb: peakKb / 1024, out: out.trim() };
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
  console.log(`File: ${mb.toFixed(0)} MB, ${gen.rows.toLocaleString('it-IT')} righe, ${codes.length} CIG delle ${SCHOOLS} scuole`);

  const read = await timed(async () => {
    let n = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) n += (chunk as Buffer).length;
    return n;
  });
  const csvParse = await timed(async () => {
    let n = 0;
    for await (const _row of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(parse({ delimiter: ';', relax_quotes: true, relax_column_count: true }))) n++;
    return n;
  });
  const preview = await command(['--file', file, '--tutte', '--anteprima']);
  const run = await command(['--file', file, '--tutte']);
  const updated = await knex('cig').whereNotNull('data_generazione').count({ n: '*' }).first();

  const speed = (seconds: number) => `${(mb / seconds).toFixed(1)} MB/s`;
  console.log('\n| Passata | Tempo | Velocità | RSS massimo |\n|---|---|---|---|');
  console.log(`| Pavimento: lettura del file (Node, nessun parsing) | ${read.seconds.toFixed(1)} s | ${speed(read.seconds)} | — |`);
  console.log(`| Riferimento: csv-parse su ogni riga | ${csvParse.seconds.toFixed(1)} s | ${speed(csvParse.seconds)} | — |`);
  console.log(`| \`npm run dati-aperti -- --tutte --anteprima\` (processo proprio) | ${preview.seconds.toFixed(1)} s | ${speed(preview.seconds)} | ${preview.peakMb.toFixed(0)} MB |`);
  console.log(`| \`npm run dati-aperti -- --tutte\` (lettura, confronto, scrittura) | ${run.seconds.toFixed(1)} s | ${speed(run.seconds)} | ${run.peakMb.toFixed(0)} MB |`);
  console.log(`\nObiettivo: ≥ 20 MB/s e RSS < 200 MB → ${mb / run.seconds >= 20 && run.peakMb < 200 ? 'raggiunto' : 'NON raggiunto'}.`);
  console.log(`CIG con data di generazione dopo il comando: ${updated?.n} su ${codes.length}.\n${run.out}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  await knex.destroy();
  await dropDatabase(DB);
}
