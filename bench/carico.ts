/**
 * Issue 7 load test: a hosted-scale database — 300 schools,
 * each with 2 esercizi, 2,000 CIGs, 300 CUPs, ~3,000 impegni and ~5,000 mandati —
 * the app as its own process (NODE_ENV=production) on the PostgreSQL server, and
 * 50 connections from users of many schools for BENCH_SECONDS (60 by default):
 * 15 on the CIG list, 10 on searches, 15 on record pages, 10 saving impegni.
 * In the same run, the floors: a bare Express route rendering the same layout
 * without database, and the raw SQL of the list query at the same concurrency.
 * Then an integrity check. Loopback only, bounded in time. The exit code is 1
 * when a request failed or the integrity check found a defect (the latency
 * targets are reported, not enforced: they depend on the machine).
 *
 *   npm run bench:carico                (BENCH_SCHOOLS=300 BENCH_SECONDS=60)
 *   npm run bench:carico:ci             (6 schools, 5 s: the CI-sized run)
 * Options: BENCH_WORKERS=n starts the app with WORKERS=n; BENCH_KEEP=1 keeps
 * the database and BENCH_REUSE=1 reuses it; BENCH_DB names it; BENCH_LOG_LEVEL
 * sets the app's LOG_LEVEL (warn by default: no line per request; info is the
 * production default, one JSON line per request on the app's stdout).
 */
import os from 'node:os';
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuMeter, databaseUrl, dropDatabase, existingDatabase, freePort, freshDatabase, login, ms, processTree, startApp } from './lib.js';
import { insertLoadSchools } from './generate.js';

// A database of its own per run, unless it is to be kept or reused.
const DB = process.env.BENCH_DB ?? (process.env.BENCH_KEEP || process.env.BENCH_REUSE ? 'bilancio_bench_carico' : `bilancio_bench_carico_${process.pid}`);
const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WORKERS = process.env.BENCH_WORKERS ?? '1';
const E = new Date().getFullYear();

// BENCH_REUSE=1 keeps a database left by BENCH_KEEP=1 (same BENCH_SCHOOLS) instead of generating it again.
const reused = process.env.BENCH_REUSE ? await existingDatabase(DB, SCHOOLS) : undefined;
const knex = reused?.knex ?? (await freshDatabase(DB));
const t0 = Date.now();
const schools = reused?.schools ?? (await generate());
function generate() {
  return insertLoadSchools(knex, SCHOOLS, E);
}
const totals = (await knex.raw(`select (select count(*) from cig)::int as cig, (select count(*) from cup)::int as cup, (select count(*) from impegni)::int as impegni, (select count(*) from mandati)::int as mandati`)).rows[0];
console.log(reused ? 'database riusato:' : `generati in ${((Date.now() - t0) / 1000).toFixed(0)} s:`, totals);

type Session = { scuolaId: number; cookie: string; token: string; cigIds: number[]; voceId: number };
const app = await startApp(databaseUrl(DB), await freePort(), { WORKERS, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' });
const sessions: Session[] = [];
for (const scuolaId of schools.slice(0, 50)) {
  const cookie = await login(app.baseUrl, `bench${scuolaId}`);
  const home = await (await fetch(`${app.baseUrl}/`, { headers: { cookie } })).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(home)![1]!;
  const cigIds = (await knex('cig').where({ scuola_id: scuolaId }).orderByRaw('random()').limit(20).pluck('id')) as number[];
  const voceId = (await knex('voci_destinazione').where({ scuola_id: scuolaId, esercizio: E }).first('id')).id as number;
  sessions.push({ scuolaId, cookie, token, cigIds, voceId });
}
const savedBefore = Number((await knex('impegni').where('oggetto', 'like', 'Carico %').count('* as n'))[0]!.n);

type Kind = { name: string; connections: number; requests: (s: Session) => autocannon.Request[]; ok: number };
const KINDS: Kind[] = [
  { name: 'elenco CIG', connections: 15, ok: 200, requests: (s) => [{ method: 'GET', path: '/cig', headers: { cookie: s.cookie } }, { method: 'GET', path: '/cig?pagina=3&ordina=oggetto', headers: { cookie: s.cookie } }] },
  { name: 'ricerca CIG', connections: 10, ok: 200, requests: (s) => [{ method: 'GET', path: '/cig?oggetto=monitor', headers: { cookie: s.cookie } }, { method: 'GET', path: '/cig?oggetto=lotto%2012', headers: { cookie: s.cookie } }] },
  { name: 'scheda CIG', connections: 15, ok: 200, requests: (s) => s.cigIds.map((id) => ({ method: 'GET' as const, path: `/cig/${id}`, headers: { cookie: s.cookie } })) },
  {
    name: 'salvataggio impegno', connections: 10, ok: 302,
    requests: (s) => [{
      method: 'POST', path: '/impegni',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: s.token, data: `${E}-03-01`, voce_id: String(s.voceId), oggetto: 'Carico di prova', importo: '10,00', motivo_esclusione_cig: 'SPESE_ECONOMALI' }).toString(),
    }],
  },
];

const TOTAL_CONNECTIONS = KINDS.reduce((n, k) => n + k.connections, 0);

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

async function run(kind: Kind, offset: number) {
  const times: number[] = [];
  const statuses: Record<number, number> = {};
  let next = offset;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: app.baseUrl, connections: kind.connections, duration: SECONDS,
        requests: kind.requests(sessions[offset % sessions.length]!),
        setupClient: (client) => client.setRequests(kind.requests(sessions[next++ % sessions.length]!)),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_c, status, _b, time) => {
      times.push(time);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  times.sort((a, b) => a - b);
  const wrong = Object.entries(statuses).filter(([st]) => Number(st) !== kind.ok).reduce((n, [, c]) => n + c, 0) + result.errors + result.timeouts;
  return { name: kind.name, requests: times.length, rps: Math.round(times.length / SECONDS), p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), errors: wrong, okCount: statuses[kind.ok] ?? 0 };
}

console.log(`carico: ${TOTAL_CONNECTIONS} connessioni per ${SECONDS} s, app con ${WORKERS} processi…`);
let offset = 0;
const cpu = cpuMeter(() => processTree(app.pid));
const generatorBefore = process.cpuUsage();
const results = await Promise.all(KINDS.map((k) => { const r = run(k, offset); offset += k.connections; return r; }));
const cpuUsed = cpu();
const generatorUsage = process.cpuUsage(generatorBefore);
const generatorCpu = (generatorUsage.user + generatorUsage.system) / 1e6;
await app.stop();

// Floor 1: the same layout from a bare Express route, no database.
const floorPort = await freePort();
const floorProc = spawn(process.execPath, ['--import', 'tsx', 'bench/floorServer.ts'], { env: { ...process.env, PORT: String(floorPort) }, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 1500));
const floorTimes: number[] = [];
await new Promise<void>((resolve, reject) => {
  const inst = autocannon({ url: `http://127.0.0.1:${floorPort}/`, connections: 50, duration: Math.min(SECONDS, 20) }, (err) => (err ? reject(err) : resolve()));
  inst.on('response', (_c, _s, _b, t) => floorTimes.push(t));
});
floorProc.kill();
floorTimes.sort((a, b) => a - b);

// Floor 2: the list page's SQL (count + first page), raw, 50 clients.
const sqlTimes: number[] = [];
const clients = await Promise.all(Array.from({ length: 50 }, async () => { const c = new pg.Client({ connectionString: databaseUrl(DB) }); await c.connect(); return c; }));
const until = Date.now() + Math.min(SECONDS, 20) * 1000;
await Promise.all(clients.map(async (c, i) => {
  const scuolaId = schools[i % schools.length]!;
  while (Date.now() < until) {
    const s = performance.now();
    await c.query('select count(*)::int from cig where scuola_id = $1', [scuolaId]);
    await c.query('select c.id, c.codice, c.oggetto, c.data_generazione, c.data_scadenza_offerte, c.importo_cents, c.stato from cig c where c.scuola_id = $1 order by c.codice, c.id limit 25', [scuolaId]);
    sqlTimes.push(performance.now() - s);
  }
}));
await Promise.all(clients.map((c) => c.end()));
sqlTimes.sort((a, b) => a - b);

// Integrity.
const gaps = (await knex.raw(`select count(*)::int as n from (select scuola_id, esercizio from impegni group by 1, 2 having count(*) <> max(numero)) g`)).rows[0].n;
const saved = Number((await knex('impegni').where('oggetto', 'like', 'Carico %').count('* as n'))[0]!.n) - savedBefore;
const crossSchool = (await knex.raw(`select count(*)::int as n from impegni i join voci_destinazione v on v.id = i.voce_id where v.scuola_id <> i.scuola_id`)).rows[0].n;
const savesOk = results.find((r) => r.name === 'salvataggio impegno')!.okCount;
await knex.destroy();
if (!process.env.BENCH_KEEP) await dropDatabase(DB);

console.log('\n| richiesta | connessioni | richieste | req/s | p50 | p95 | p99 | errori | obiettivo p95 |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const target = r.name.startsWith('salvataggio') ? 100 : 50;
  const conns = KINDS.find((k) => k.name === r.name)!.connections;
  console.log(`| ${r.name} | ${conns} | ${r.requests} | ${r.rps} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors} | < ${target} ms: ${r.p95 < target ? 'sì' : '**no**'} |`);
}
console.log(`| pavimento: Express senza database, stesso layout | 50 | ${floorTimes.length} | ${Math.round(floorTimes.length / Math.min(SECONDS, 20))} | ${ms(percentile(floorTimes, 50))} | ${ms(percentile(floorTimes, 95))} | ${ms(percentile(floorTimes, 99))} | – | – |`);
console.log(`| pavimento: SQL dell’elenco (conteggio + pagina) | 50 | ${sqlTimes.length} | ${Math.round(sqlTimes.length / Math.min(SECONDS, 20))} | ${ms(percentile(sqlTimes, 50))} | ${ms(percentile(sqlTimes, 95))} | ${ms(percentile(sqlTimes, 99))} | – | – |`);
const served = results.reduce((n, r) => n + r.requests, 0);
console.log(`\nCPU per richiesta: app ${ms((cpuUsed.app * 1000) / served)}, PostgreSQL ${ms((cpuUsed.postgres * 1000) / served)} (${served} richieste; CPU usata in ${SECONDS} s: app ${cpuUsed.app.toFixed(1)} s, PostgreSQL ${cpuUsed.postgres.toFixed(1)} s, generatore di carico ${generatorCpu.toFixed(1)} s, su ${os.availableParallelism() * SECONDS} s di ${os.availableParallelism()} core)`);
console.log(`\nintegrità: numerazioni con buchi ${gaps}, impegni salvati ${saved} per ${savesOk} risposte 302 ricevute (la differenza, al più ${KINDS.at(-1)!.connections}, sono i salvataggi in volo allo scadere del tempo, di cui autocannon non legge la risposta), riferimenti tra scuole diverse ${crossSchool}`);
const failures = results.reduce((n, r) => n + r.errors, 0) + gaps + crossSchool + (saved < savesOk ? 1 : 0);
if (failures) console.error(`\nCARICO NON SUPERATO: ${failures} difetti (errori, buchi di numerazione, salvataggi mancanti o riferimenti tra scuole)`);
process.exit(failures ? 1 : 0);
