/**
 * Issue 18: latency at a fixed offered load (open loop), the capacity at SLO, the CPU
 * per request, and the same-work floor, in one run on the PostgreSQL server.
 *
 * 60 schools of the load test's size (2,000 CIGs, 300 CUPs, 3,000 impegni, 5,000 mandati
 * each). For each app configuration (WORKERS=1 and WORKERS=2) the app runs as its own
 * process (NODE_ENV=production); then:
 *  1. cost: reads alone, then saves alone, at a low fixed rate: CPU per read and per save
 *     of the app's processes and of PostgreSQL's (from /proc);
 *  2. steps: the load test's mix (30 % CIG list, 20 % search, 30 % record, 20 % saves of an
 *     impegno) at rising arrival rates, each step after a warm-up, until the app is past
 *     saturation; per step the served rate, p50/p95/p99 per kind, errors, CPU per request.
 * The capacity at SLO is the highest step with p95 < 50 ms for reads, < 100 ms for saves
 * and no error. Then the floor comparison on the floor's mix (list page 1 and record,
 * half each): the app (WORKERS=1) and bench/floorSameWork.ts, same steps; the figure is
 * the app's capacity over the floor's. Then the load test's integrity check.
 *
 *   npm run bench:aperto
 * Options: BENCH_RATES (default 50,100,…,600), BENCH_STEP_SECONDS (30), BENCH_WARMUP_SECONDS
 * (10), BENCH_SPACING (uniform | poisson), BENCH_WORKERS_LIST (1,2), BENCH_FLOOR (1; 0 skips
 * it), BENCH_SCHOOLS (60), BENCH_KEEP / BENCH_REUSE / BENCH_DB as in bench/carico.ts.
 */
import os from 'node:os';
import { spawn } from 'node:child_process';
import { cpuMeter, databaseUrl, dropDatabase, existingDatabase, freePort, freshDatabase, ms, processTree, startApp } from './lib.js';
import { insertLoadSchools } from './generate.js';
import { errorSummary, percentile, runStep, type Planned, type Spacing, type StepResult } from './openLoop.js';
import { benchSessions, requestKinds, type BenchSession as Session } from './richieste.js';

const DB = process.env.BENCH_DB ?? (process.env.BENCH_KEEP || process.env.BENCH_REUSE ? 'bilancio_bench_aperto' : `bilancio_bench_aperto_${process.pid}`);
const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 60);
const RATES = (process.env.BENCH_RATES ?? '50,100,150,200,250,300,350,400,450,500,550,600').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const SPACING = (process.env.BENCH_SPACING ?? 'uniform') as Spacing;
const WORKERS_LIST = (process.env.BENCH_WORKERS_LIST ?? '1,2').split(',');
const FLOOR = process.env.BENCH_FLOOR !== '0';
const SECRET = 'b'.repeat(48);
const E = new Date().getFullYear();
const READ_SLO = 50;
const SAVE_SLO = 100;

const reused = process.env.BENCH_REUSE ? await existingDatabase(DB, SCHOOLS) : undefined;
const knex = reused?.knex ?? (await freshDatabase(DB));
const schools = reused?.schools ?? (await generate());
async function generate() {
  const t0 = Date.now();
  const ids = await insertLoadSchools(knex, SCHOOLS, E);
  console.log(`generati ${ids.length} istituti in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return ids;
}
const savedBefore = Number((await knex('impegni').where('oggetto', 'like', 'Carico %').count('* as n'))[0]!.n);

const KIND = requestKinds(E);
const sessionsOn = (baseUrl: string) => benchSessions(knex, schools, baseUrl, E);
/** Out of every 10 requests: 3 lists, 2 searches, 3 records, 2 saves, interleaved. */
const MIX = ['elenco', 'scheda', 'ricerca', 'salvataggio', 'elenco', 'scheda', 'ricerca', 'elenco', 'scheda', 'salvataggio'] as const;
const mixed = (sessions: Session[]) => (i: number) => KIND[MIX[i % MIX.length]!](sessions[i % sessions.length]!, Math.floor(i / MIX.length));
const floorMix = (sessions: Session[]) => (i: number) => (i % 2 ? KIND.scheda(sessions[i % sessions.length]!, i >> 1) : KIND.elencoPrimaPagina(sessions[i % sessions.length]!));
const readsOnly = (sessions: Session[]) => (i: number) => { const k = (['elenco', 'ricerca', 'scheda'] as const)[i % 3]!; return KIND[k](sessions[i % sessions.length]!, i); };
const savesOnly = (sessions: Session[]) => (i: number) => KIND.salvataggio(sessions[i % sessions.length]!);

type Measured = StepResult & { cpuApp: number; cpuPg: number };
async function measuredStep(baseUrl: string, pid: number, rate: number, seconds: number, pick: (i: number) => Planned): Promise<Measured> {
  const cpu = cpuMeter(() => processTree(pid));
  const step = await runStep(baseUrl, { rate, seconds, spacing: SPACING, pick });
  const used = cpu();
  const answered = Math.max(1, step.served * seconds);
  return { ...step, cpuApp: (used.app * 1000) / answered, cpuPg: (used.postgres * 1000) / answered };
}

const withinSlo = (s: StepResult) =>
  s.errors === 0 && [...s.byKind].every(([kind, k]) => percentile(k.latencies, 95) < (kind.startsWith('salvataggio') ? SAVE_SLO : READ_SLO));
/** Past saturation: the next steps would only queue more. */
const saturated = (s: StepResult) => s.errors > s.sent * 0.01 || s.served < s.rate * 0.9 || [...s.byKind.values()].some((k) => percentile(k.latencies, 95) > 1000);

async function steps(label: string, baseUrl: string, pid: number, pick: (i: number) => Planned) {
  await runStep(baseUrl, { rate: RATES[0]!, seconds: WARMUP_SECONDS, spacing: SPACING, pick });
  const out: Measured[] = [];
  for (const rate of RATES) {
    const s = await measuredStep(baseUrl, pid, rate, STEP_SECONDS, pick);
    out.push(s);
    const kinds = [...s.byKind].map(([k, v]) => `${k} p95 ${ms(percentile(v.latencies, 95))}`).join(', ');
    console.log(`  ${label} ${rate}/s: servite ${s.served.toFixed(0)}/s, ${kinds}, errori ${errorSummary(s)}, CPU/richiesta app ${ms(s.cpuApp)} PostgreSQL ${ms(s.cpuPg)}`);
    if (saturated(s)) break;
  }
  const capacity = Math.max(0, ...out.filter(withinSlo).map((s) => s.rate));
  return { label, out, capacity };
}

function table(run: Awaited<ReturnType<typeof steps>>) {
  const kinds = [...new Set(run.out.flatMap((s) => [...s.byKind.keys()]))];
  const lines = [
    `| offerte/s | servite/s | ${kinds.map((k) => `${k} p50 / p95 / p99`).join(' | ')} | errori | CPU/richiesta app + PostgreSQL | entro SLO |`,
    `|---|---|${kinds.map(() => '---|').join('')}---|---|---|`,
  ];
  for (const s of run.out) {
    const cells = kinds.map((k) => {
      const l = s.byKind.get(k)?.latencies ?? [];
      return `${percentile(l, 50).toFixed(1)} / ${percentile(l, 95).toFixed(1)} / ${percentile(l, 99).toFixed(1)} ms`;
    });
    lines.push(`| ${s.rate} | ${s.served.toFixed(0)} | ${cells.join(' | ')} | ${errorSummary(s)} | ${s.cpuApp.toFixed(2)} + ${s.cpuPg.toFixed(2)} ms | ${withinSlo(s) ? 'sì' : 'no'} |`);
  }
  return `**${run.label}**: capacità entro SLO ${run.capacity} richieste/s\n\n${lines.join('\n')}`;
}

const report: string[] = [`Arrivi ${SPACING === 'uniform' ? 'a intervalli uguali' : 'di Poisson'}, gradini di ${STEP_SECONDS} s dopo ${WARMUP_SECONDS} s di riscaldamento; ${schools.length} istituti; ${os.availableParallelism()} core.`];
const costs: string[] = ['| app | CPU per lettura (app + PostgreSQL) | CPU per salvataggio (app + PostgreSQL) |', '|---|---|---|'];
let floorApp: Awaited<ReturnType<typeof steps>> | undefined;

for (const workers of WORKERS_LIST) {
  const app = await startApp(databaseUrl(DB), await freePort(), { WORKERS: workers, SESSION_SECRET: SECRET });
  const sessions = await sessionsOn(app.baseUrl);
  console.log(`app WORKERS=${workers}`);
  await runStep(app.baseUrl, { rate: 50, seconds: WARMUP_SECONDS, spacing: SPACING, pick: mixed(sessions) });
  const reads = await measuredStep(app.baseUrl, app.pid, 100, 20, readsOnly(sessions));
  const saves = await measuredStep(app.baseUrl, app.pid, 30, 20, savesOnly(sessions));
  costs.push(`| WORKERS=${workers} | ${reads.cpuApp.toFixed(2)} + ${reads.cpuPg.toFixed(2)} ms | ${saves.cpuApp.toFixed(2)} + ${saves.cpuPg.toFixed(2)} ms |`);
  console.log(`  costo: lettura ${ms(reads.cpuApp)} + ${ms(reads.cpuPg)}, salvataggio ${ms(saves.cpuApp)} + ${ms(saves.cpuPg)} (errori ${reads.errors + saves.errors})`);
  const run = await steps(`app, WORKERS=${workers}, miscela del carico`, app.baseUrl, app.pid, mixed(sessions));
  report.push(table(run));
  if (FLOOR && workers === '1') floorApp = await steps('app, WORKERS=1, miscela del pavimento (elenco pagina 1 e scheda)', app.baseUrl, app.pid, floorMix(sessions));
  await app.stop();
}

let ratio = '';
if (floorApp) {
  report.push(table(floorApp));
  const port = await freePort();
  const floor = spawn(process.execPath, ['--import', 'tsx', 'bench/floorSameWork.ts'], { env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl(DB), SESSION_SECRET: SECRET, NODE_ENV: 'production' }, stdio: 'inherit' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && !(await fetch(`${base}/cig`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  // The floor reads the sessions the app wrote: log in again through an app process, then only the floor answers.
  const app = await startApp(databaseUrl(DB), await freePort(), { SESSION_SECRET: SECRET });
  const sessions = await sessionsOn(app.baseUrl);
  await app.stop();
  const floorRun = await steps('pavimento a parità di lavoro (bench/floorSameWork.ts)', base, floor.pid!, floorMix(sessions));
  floor.kill();
  report.push(table(floorRun));
  ratio = `App / pavimento (capacità entro SLO, stessa miscela): ${floorApp.capacity} / ${floorRun.capacity} = ${floorRun.capacity ? (floorApp.capacity / floorRun.capacity).toFixed(2) : '–'}`;
}

// Integrity, as the load test's.
const gaps = (await knex.raw(`select count(*)::int as n from (select scuola_id, esercizio from impegni group by 1, 2 having count(*) <> max(numero)) g`)).rows[0].n;
const saved = Number((await knex('impegni').where('oggetto', 'like', 'Carico %').count('* as n'))[0]!.n) - savedBefore;
const crossSchool = (await knex.raw(`select count(*)::int as n from impegni i join voci_destinazione v on v.id = i.voce_id where v.scuola_id <> i.scuola_id`)).rows[0].n;
await knex.destroy();
if (!process.env.BENCH_KEEP) await dropDatabase(DB);

console.log(`\n${report.join('\n\n')}\n\nCosto per richiesta a carico basso (letture a 100/s, salvataggi a 30/s, 20 s ciascuno):\n\n${costs.join('\n')}`);
if (ratio) console.log(`\n${ratio}`);
console.log(`\nintegrità: numerazioni con buchi ${gaps}, impegni salvati ${saved}, riferimenti tra scuole diverse ${crossSchool}`);
process.exit(gaps || crossSchool ? 1 : 0);
