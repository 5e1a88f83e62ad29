import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { knexForServer, migrateLatest } from '../../src/db/database.js';
import { hashPassword } from '../../src/services/passwords.js';
import { cigCheckPcp, validateCig } from '../../src/domain/cig.js';
import { freePort } from '../../bench/lib.js';

/**
 * Guasto: il server PostgreSQL si ferma e riparte mentre l'app è in esecuzione.
 * Fault: the PostgreSQL server stops and restarts while the app runs.
 *
 *     npm run guasti:postgres
 *
 * Never in CI, never on a shared server: the script starts a PRIVATE PostgreSQL 15 cluster
 * (initdb in a temporary folder, its own port, loopback only), starts the real app as a
 * separate process on it (NODE_ENV=production), and stops/restarts only that cluster, once
 * with `pg_ctl stop -m fast` and once with `-m immediate`, then kills one of its server
 * processes (kill -9) a few times so that it restarts by itself. During the outage every page
 * must answer 503 (Italian page, Retry-After), JSON 503 with an Italian error, /health 503,
 * saves 503 with nothing stored, never a 500 nor a hang; after the restart the same session
 * works again without restarting the app, a save succeeds and every save a client saw confirmed
 * is still there. Other clients keep reading and saving throughout, so requests are in flight
 * when the server goes away. Cluster, app and folder are removed at the end, on failure and on
 * Ctrl-C too. Exit code 0 only if every check passed.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const REQUEST_TIMEOUT_MS = 15_000;
const OUTAGE_MS = 5_000;
const RECOVERY_LIMIT_MS = 60_000;
const CRASH_ROUNDS = 5;
const USERNAME = 'segreteria-guasti';
// A password of this run only: in production the demo passwords are refused at login.
const PASSWORD = `guasti-${randomBytes(9).toString('base64url')}`;

/* ------------------------------------------------------------------ report */

type Check = { ok: boolean; label: string; detail?: string };
const checks: Check[] = [];
function check(ok: boolean, label: string, detail?: string) {
  checks.push({ ok, label, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}${detail ? `\n      ${detail}` : ''}`);
  return ok;
}
const info = (text: string) => console.log(`      ${text}`);
const title = (text: string) => console.log(`\n== ${text}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/* ---------------------------------------------------------------- cleanup */

/** Stopped and removed at the end, on failure, on Ctrl-C: the private cluster and the app. */
const cleanups: (() => void | Promise<void>)[] = [];
/** Last resort, synchronous, on any exit (an uncaught error, a killed pipe): nothing stays behind. */
const lastResort: (() => void)[] = [];
let aborted = false;
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        console.error(`pulizia non riuscita / cleanup failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
process.on('exit', () => {
  for (const f of lastResort) {
    try {
      f();
    } catch {
      /* nothing more to do while exiting */
    }
  }
});
// Output piped into `head` that closes early: keep going, so the cleanup still runs.
process.stdout.on('error', () => {});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    aborted = true;
    console.error(`\n${signal}: arresto del cluster privato e dell’app / stopping the private cluster and the app`);
    void cleanUp().then(() => process.exit(130));
  });
}

/* ------------------------------------------------------- private cluster */

const isRoot = process.getuid?.() === 0;

function pgCommand(bin: string, args: string[], cwd: string) {
  const file = path.join(PG_BIN, bin);
  // initdb and postgres refuse to run as root: as root they run as the postgres user.
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const res = spawnSync(cmd, argv, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} → ${res.status ?? res.signal}: ${res.error?.message ?? ''}${res.stderr}${res.stdout}`);
  }
  return res.stdout;
}


class Cluster {
  readonly dataDir: string;
  readonly logFile: string;
  constructor(readonly dir: string, readonly port: number) {
    this.dataDir = path.join(dir, 'data');
    this.logFile = path.join(dir, 'postgres.log');
  }

  static async create(): Promise<Cluster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-guasti-pg-'));
    const cluster = new Cluster(dir, await freePort());
    cleanups.push(() => cluster.remove());
    lastResort.push(() => cluster.remove());
    if (isRoot) spawnSync('chown', ['postgres:', dir]);
    pgCommand('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], dir);
    // Its own port, loopback only, its own socket folder: nothing in common with any other server.
    fs.appendFileSync(
      path.join(cluster.dataDir, 'postgresql.conf'),
      [
        '', '# bilancio guasti: cluster privato e temporaneo',
        `port = ${cluster.port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`,
        // fsync off only spares the disk: a stop, even -m immediate, kills processes, not the OS, so no
        // committed write is lost. synchronous_commit stays on, as on a real server.
        'fsync = off', 'max_connections = 40', 'shared_buffers = 32MB', '',
      ].join('\n'),
    );
    return cluster;
  }

  start() {
    if (aborted) throw new Error('interrotto / aborted');
    pgCommand('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', 'start'], this.dir);
  }

  stop(mode: 'fast' | 'immediate') {
    pgCommand('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop'], this.dir);
  }

  /** How many times the server has become ready: each start, and each restart after a crash. */
  readyCount() {
    const log = fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
    return log.split('database system is ready to accept connections').length - 1;
  }

  url(database: string) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  remove() {
    if (fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
      try {
        this.stop('immediate');
      } catch (err) {
        console.error(`pg_ctl stop non riuscito / failed: ${(err as Error).message}`);
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/* ---------------------------------------------------------------- the app */

type App = { base: string; child: ChildProcess; log: string[] };

async function startApp(databaseUrl: string): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production', SESSION_SECRET: randomBytes(24).toString('hex'),
      TLS: 'false', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: 'never',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const collect = (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  lastResort.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`l'app è uscita / app exited (${child.exitCode}):\n${log.join('\n')}`);
    const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return { base, child, log };
    await sleep(100);
  }
  throw new Error('l’app non risponde su /health dopo 30 s / app not up after 30 s');
}

/* ------------------------------------------------------------- HTTP helpers */

type Answer = { status: number; ms: number; headers: Headers; text: string; error?: string };

function describeFetchError(err: unknown) {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return [e.message, e.cause?.code ?? e.cause?.message].filter(Boolean).join(': ');
}

async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { redirect: 'manual', ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - t0, headers: res.headers, text };
  } catch (err) {
    // status 0: no answer (connection cut, or the timeout: a request hanging is a failure too).
    return { status: 0, ms: performance.now() - t0, headers: new Headers(), text: '', error: describeFetchError(err) };
  }
}

const cookieOf = (res: Answer) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

type Session = { cookie: string; token: string };

/** The real login form: GET /login (cookie + CSRF), POST /login → 302, then a page for the token. */
async function login(base: string): Promise<Session> {
  const page = await request(`${base}/login`);
  const res = await request(`${base}/login`, {
    method: 'POST',
    headers: { cookie: cookieOf(page), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: USERNAME, password: PASSWORD, _csrf: csrfOf(page.text) }),
  });
  if (res.status !== 302) throw new Error(`login: ${res.status} ${res.error ?? ''}`);
  const cookie = cookieOf(res);
  const home = await request(`${base}/cig`, { headers: { cookie, accept: 'text/html' } });
  return { cookie, token: csrfOf(home.text) };
}

const html = (s: Session) => ({ cookie: s.cookie, accept: 'text/html' });
const json = (s: Session) => ({ cookie: s.cookie, accept: 'application/json' });

function cigForm(s: Session, codice: string, mode: 'form' | 'json'): RequestInit {
  const fields = { codice, oggetto: `Prova di guasto del database (${codice})`, data_generazione: new Date().toISOString().slice(0, 10), stato: 'attivo' };
  return mode === 'form'
    ? { method: 'POST', headers: { ...html(s), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields, _csrf: s.token }) }
    : { method: 'POST', headers: { ...json(s), 'content-type': 'application/json', 'x-csrf-token': s.token }, body: JSON.stringify(fields) };
}

/** A valid PCP CIG (ANAC's formula) that no earlier step used. */
function newCig(): string {
  for (;;) {
    const n = randomBytes(3).readUIntBE(0, 3);
    const codice = `C${n.toString(16).toUpperCase().padStart(6, '0')}${cigCheckPcp('C', n)}`;
    if (validateCig(codice).ok) return codice;
  }
}

/* --------------------------------------------------------- outage probes */

const TITLE_503 = 'Servizio momentaneamente non disponibile';
const MESSAGE_503 = 'Il database non risponde';

type Probe = { name: string; send: () => Promise<Answer>; expect: (a: Answer) => string | null };

function outageProbes(base: string, s: Session, codice: string): Probe[] {
  const htmlPage = (a: Answer) => {
    if (a.status !== 503) return `stato ${a.status}${a.error ? ` (${a.error})` : ''}, atteso 503`;
    if (!(a.headers.get('content-type') ?? '').startsWith('text/html')) return `content-type ${a.headers.get('content-type')}`;
    if (!a.text.includes('lang="it"') || !a.text.includes(TITLE_503) || !a.text.includes(MESSAGE_503)) return 'pagina 503 senza il testo italiano atteso';
    if (!/^\d+$/.test(a.headers.get('retry-after') ?? '')) return 'manca Retry-After';
    return null;
  };
  const jsonError = (a: Answer) => {
    if (a.status !== 503) return `stato ${a.status}${a.error ? ` (${a.error})` : ''}, atteso 503`;
    try {
      const body = JSON.parse(a.text) as { error?: string };
      if (!body.error?.includes(MESSAGE_503)) return `JSON senza l’errore italiano: ${a.text.slice(0, 120)}`;
    } catch {
      return `non è JSON: ${a.text.slice(0, 120)}`;
    }
    if (!/^\d+$/.test(a.headers.get('retry-after') ?? '')) return 'manca Retry-After';
    return null;
  };
  return [
    { name: 'GET /cig (HTML)', send: () => request(`${base}/cig`, { headers: html(s) }), expect: htmlPage },
    { name: 'GET / (HTML)', send: () => request(`${base}/`, { headers: html(s) }), expect: htmlPage },
    { name: 'GET /impegni (HTML)', send: () => request(`${base}/impegni`, { headers: html(s) }), expect: htmlPage },
    { name: 'GET /cig (JSON)', send: () => request(`${base}/cig`, { headers: json(s) }), expect: jsonError },
    {
      name: 'GET /health',
      send: () => request(`${base}/health`),
      expect: (a) => (a.status === 503 && a.text.includes('"unavailable"') ? null : `stato ${a.status} ${a.text.slice(0, 80)}, atteso 503 unavailable`),
    },
    { name: 'POST /cig (modulo / form)', send: () => request(`${base}/cig`, cigForm(s, codice, 'form')), expect: htmlPage },
    { name: 'POST /cig (JSON)', send: () => request(`${base}/cig`, cigForm(s, codice, 'json')), expect: jsonError },
  ];
}

/**
 * Clients that keep going from before the stop until after the recovery, so some requests are in
 * flight when the server goes away or comes back: pages, JSON, /health and saves (each save a new
 * code). Allowed answers: 200 (302 for a save) or 503; anything else, or no answer, is a defect.
 */
function backgroundTraffic(base: string, s: Session) {
  let running = true;
  const statuses = new Map<number, number>();
  const defects: string[] = [];
  const saved: string[] = [];
  const refused: string[] = [];
  let slowest = 0;
  const note = (what: string, a: Answer, allowed: number[]) => {
    statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    slowest = Math.max(slowest, a.ms);
    if (!allowed.includes(a.status)) defects.push(`${what} → ${a.status}${a.error ? ` (${a.error})` : ''}`);
  };
  const reader = (what: string, url: string, headers: Record<string, string>) => async () => {
    while (running) {
      note(what, await request(url, { headers }), [200, 503]);
      await sleep(20);
    }
  };
  const saver = async () => {
    while (running) {
      const codice = newCig();
      const a = await request(`${base}/cig`, cigForm(s, codice, 'form'));
      note('POST /cig', a, [302, 503]);
      (a.status === 302 ? saved : refused).push(codice);
      await sleep(50);
    }
  };
  const kinds = [
    reader('GET /cig', `${base}/cig`, html(s)), reader('GET /cig (JSON)', `${base}/cig`, json(s)),
    reader('GET /', `${base}/`, html(s)), reader('GET /health', `${base}/health`, {}), saver,
  ];
  // Two clients of each kind, on keep-alive connections like a browser's.
  const workers = [...kinds, ...kinds].map((w) => w());
  return {
    /** Resolves once `n` more saves have been acknowledged (302): the traffic really flows. */
    async saves(n: number, timeoutMs = 60_000) {
      const target = saved.length + n;
      const deadline = performance.now() + timeoutMs;
      while (saved.length < target) {
        if (performance.now() > deadline) throw new Error(`meno di ${n} salvataggi confermati in ${timeoutMs / 1000} s / fewer than ${n} acknowledged saves`);
        await sleep(20);
      }
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      return { statuses, defects, saved, refused, slowest };
    },
  };
}

/* ------------------------------------------------------------------ main */

/** Which of the codes are in the database, read with a connection of its own (not the app's). */
async function storedCodes(url: string, codici: string[]): Promise<Set<string>> {
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    return new Set(await knex('cig').whereIn('codice', codici).pluck('codice'));
  } finally {
    await knex.destroy();
  }
}

/** Every CIG a client saw saved (302): after a crash they must all still be there. */
const acknowledged: string[] = [];

async function outageRound(cluster: Cluster, app: App, s: Session, dbUrl: string, mode: 'fast' | 'immediate', step: number) {
  const pid = app.child.pid;
  const codice = newCig();
  const pre = await request(`${app.base}/cig`, { headers: html(s) });
  check(pre.status === 200, `${step}a. [${mode}] prima del guasto /cig → 200 (before the fault)`, `stato ${pre.status}`);

  title(`${step}. pg_ctl stop -m ${mode}: PostgreSQL fermo, l’app resta in esecuzione / PostgreSQL stopped, app keeps running`);
  const traffic = backgroundTraffic(app.base, s);
  await traffic.saves(2);
  const stopStarted = performance.now();
  cluster.stop(mode);
  const stopped = performance.now();
  info(`pg_ctl stop -m ${mode}: ${seconds(stopped - stopStarted)}`);

  const probes = outageProbes(app.base, s, codice);
  const seen = new Map<string, Map<number, number>>();
  const failures = new Map<string, string>();
  let rounds = 0;
  let slowest = 0;
  while (performance.now() - stopped < OUTAGE_MS) {
    rounds++;
    for (const p of probes) {
      const a = await p.send();
      slowest = Math.max(slowest, a.ms);
      const counts = seen.get(p.name) ?? new Map<number, number>();
      counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
      seen.set(p.name, counts);
      const problem = p.expect(a);
      if (problem && !failures.has(p.name)) failures.set(p.name, problem);
    }
    await sleep(200);
  }
  for (const p of probes) {
    const counts = [...(seen.get(p.name) ?? new Map<number, number>())].map(([st, n]) => `${st}×${n}`).join(' ');
    check(!failures.has(p.name), `${step}b. [${mode}] a database fermo ${p.name} → 503`, `${failures.get(p.name) ?? ''}${failures.has(p.name) ? ' · ' : ''}stati/statuses: ${counts}`);
  }
  const all = [...seen.values()].flatMap((m) => [...m]);
  const n500 = all.filter(([st]) => st >= 500 && st !== 503).reduce((t, [, n]) => t + n, 0);
  const n0 = all.filter(([st]) => st === 0).reduce((t, [, n]) => t + n, 0);
  check(n500 === 0 && n0 === 0, `${step}c. [${mode}] nessun 500 e nessuna richiesta senza risposta (no 500, no hang)`,
    `${rounds} giri, ${all.reduce((t, [, n]) => t + n, 0)} richieste, 5xx≠503: ${n500}, senza risposta: ${n0}, la più lenta ${seconds(slowest)}`);
  check(app.child.exitCode === null && app.child.pid === pid, `${step}d. [${mode}] l’app è ancora lo stesso processo (pid ${pid}) (same app process)`);

  title(`${step}. pg_ctl start: PostgreSQL riparte sulla stessa cartella e porta / restarts on the same data dir and port`);
  const startBegun = performance.now();
  cluster.start();
  const ready = performance.now();
  const outage = ready - stopStarted;
  info(`PostgreSQL fermo per / down for ${seconds(outage)} (pg_ctl start -w: ${seconds(ready - startBegun)})`);
  const during: Map<number, number> = new Map();
  let recovered: Answer | null = null;
  while (performance.now() - ready < RECOVERY_LIMIT_MS) {
    const a = await request(`${app.base}/cig`, { headers: html(s) });
    during.set(a.status, (during.get(a.status) ?? 0) + 1);
    if (a.status !== 503 && a.status !== 0) {
      recovered = a;
      break;
    }
    await sleep(100);
  }
  const recoveryMs = performance.now() - ready;
  const statuses = [...during].map(([st, n]) => `${st}×${n}`).join(' ');
  check(recovered?.status === 200 && recovered.text.includes('Segreteria guasti') && csrfOf(recovered.text) === s.token,
    `${step}e. [${mode}] stessa sessione, /cig → 200 senza riavviare l’app (same session cookie, no app restart)`,
    `ripresa in / recovered in ${seconds(recoveryMs)} dopo che PostgreSQL è pronto (after PostgreSQL was ready); stati/statuses: ${statuses}`);
  await traffic.saves(2);
  const background = await traffic.stop();
  const counted = [...background.statuses].map(([st, n]) => `${st}×${n}`).join(' ');
  check(background.defects.length === 0,
    `${step}f. [${mode}] traffico continuo durante arresto e riavvio: solo 200/302 o 503 (concurrent traffic across stop and restart)`,
    `stati/statuses: ${counted}; la più lenta ${seconds(background.slowest)}${background.defects.length ? `; difetti: ${background.defects.slice(0, 5).join(', ')}` : ''}`);
  const health = await request(`${app.base}/health`);
  const jsonPage = await request(`${app.base}/cig`, { headers: json(s) });
  check(health.status === 200, `${step}g. [${mode}] /health → 200 dopo la ripresa (after recovery)`, `stato ${health.status}`);
  check(jsonPage.status !== 503 && jsonPage.status < 500, `${step}h. [${mode}] GET /cig (JSON) non più 503 (JSON no longer 503)`, `stato ${jsonPage.status}`);

  title(`${step}. Salvataggi / saves`);
  const storedDuringOutage = (await storedCodes(dbUrl, [codice])).size;
  check(storedDuringOutage === 0, `${step}i. [${mode}] nulla salvato durante il guasto (nothing stored during the outage)`, `CIG ${codice} nel database: ${storedDuringOutage}`);
  acknowledged.push(...background.saved);
  const present = await storedCodes(dbUrl, [...acknowledged, ...background.refused]);
  const lost = acknowledged.filter((c) => !present.has(c));
  const refusedButStored = background.refused.filter((c) => present.has(c)).length;
  check(lost.length === 0, `${step}j. [${mode}] ogni salvataggio confermato (302) è ancora nel database (every acknowledged save survived)`,
    `confermati finora ${acknowledged.length}, persi ${lost.length}${lost.length ? ` (${lost.slice(0, 5).join(', ')})` : ''}; ` +
      `rifiutati con 503 in questo giro ${background.refused.length}, di cui comunque salvati ${refusedButStored}`);
  const save = await request(`${app.base}/cig`, cigForm(s, codice, 'form'));
  const location = save.headers.get('location') ?? '';
  const stored = (await storedCodes(dbUrl, [codice])).size;
  if (save.status === 302) acknowledged.push(codice);
  const shown = /^\/cig\/\d+$/.test(location) ? await request(`${app.base}${location}`, { headers: html(s) }) : null;
  check(save.status === 302 && stored === 1 && shown?.status === 200 && shown.text.includes(codice),
    `${step}k. [${mode}] il salvataggio dopo la ripresa riesce ed è nel database (save after recovery is stored)`,
    `POST /cig → ${save.status} ${location}, righe con ${codice}: ${stored}, scheda → ${shown?.status ?? '-'}`);
  check(app.child.exitCode === null && app.child.pid === pid, `${step}l. [${mode}] l’app non è mai stata riavviata (pid ${pid}) (app never restarted)`);
  return { mode, outage, recoveryMs, statuses };
}

/**
 * A server process of the app's connections dies (kill -9, as the OOM killer would): PostgreSQL
 * ends every other connection, recovers and accepts connections again by itself, without pg_ctl.
 */
async function crashRound(cluster: Cluster, app: App, s: Session, dbUrl: string, step: string) {
  const pid = app.child.pid;
  title(`${step}. kill -9 di un processo server: PostgreSQL si riavvia da solo / a backend is killed, PostgreSQL restarts itself`);
  const traffic = backgroundTraffic(app.base, s);
  await traffic.saves(2);
  const admin = knexFactory({ client: 'pg', connection: cluster.url('postgres'), pool: { min: 0, max: 1 } });
  const backends: number[] = await admin('pg_stat_activity').where({ datname: 'bilancio_guasti' }).pluck('pid');
  await admin.destroy().catch(() => {});
  const victim = backends[0];
  const readyBefore = cluster.readyCount();
  const killedAt = performance.now();
  if (victim) process.kill(victim, 'SIGKILL');
  info(`processi server dell’app: ${backends.length}; ucciso / killed: ${victim ?? 'nessuno'}`);
  // PostgreSQL ends every connection, recovers and says so in its log; then /health must answer 200.
  let recoveryMs = NaN;
  let restarted = false;
  while (performance.now() - killedAt < RECOVERY_LIMIT_MS) {
    restarted ||= cluster.readyCount() > readyBefore;
    if (restarted && (await request(`${app.base}/health`)).status === 200) {
      recoveryMs = performance.now() - killedAt;
      break;
    }
    await sleep(20);
  }
  await traffic.saves(2);
  const background = await traffic.stop();
  const counted = [...background.statuses].map(([st, n]) => `${st}×${n}`).join(' ');
  check(victim !== undefined && background.defects.length === 0,
    `${step}a. [crash] traffico continuo durante il riavvio automatico: solo 200/302 o 503 (concurrent traffic across the crash restart)`,
    `stati/statuses: ${counted}; la più lenta ${seconds(background.slowest)}${background.defects.length ? `; difetti: ${background.defects.slice(0, 5).join(', ')}` : ''}`);
  acknowledged.push(...background.saved);
  const present = await storedCodes(dbUrl, acknowledged);
  const lost = acknowledged.filter((c) => !present.has(c));
  check(lost.length === 0, `${step}b. [crash] ogni salvataggio confermato (302) è ancora nel database (every acknowledged save survived)`,
    `confermati finora ${acknowledged.length}, persi ${lost.length}`);
  const page = await request(`${app.base}/cig`, { headers: html(s) });
  check(page.status === 200 && csrfOf(page.text) === s.token && app.child.exitCode === null && app.child.pid === pid && restarted,
    `${step}c. [crash] stessa sessione, /cig → 200, app mai riavviata (same session, app never restarted)`,
    `PostgreSQL riavviato / restarted: ${restarted ? 'sì' : 'no'}; /health di nuovo a 200 dopo il kill / back to 200 after the kill: ${seconds(recoveryMs)}; /cig → ${page.status}`);
  return recoveryMs;
}

async function main() {
  console.log('Guasto PostgreSQL: arresto e riavvio del server con l’app in esecuzione');
  console.log('Fault: PostgreSQL stopped and restarted while the app runs (private cluster, never the shared server)\n');
  if (!fs.existsSync(path.join(PG_BIN, 'pg_ctl'))) {
    throw new Error(`pg_ctl non trovato in ${PG_BIN}: installa PostgreSQL 15 o indica la cartella con PG_BIN`);
  }

  title('1. Cluster privato e app / private cluster and app');
  const cluster = await Cluster.create();
  cluster.start();
  info(`cluster privato: ${cluster.dataDir}, porta ${cluster.port} (127.0.0.1), socket in ${cluster.dir}`);
  const admin = knexFactory({ client: 'pg', connection: cluster.url('postgres'), pool: { min: 0, max: 1 } });
  await admin.raw('create database bilancio_guasti');
  await admin.destroy();
  const dbUrl = cluster.url('bilancio_guasti');
  // The schema and one school with a secretary whose password is not a demo one (production refuses those).
  const knex: Knex = knexForServer(dbUrl, 1);
  await migrateLatest(knex);
  const [scuola] = await knex('scuole').insert({ codice_meccanografico: 'RMIC0GU45T', denominazione: 'Istituto di prova guasti' }).returning('id');
  await knex('utenti').insert({ scuola_id: scuola.id, username: USERNAME, nome: 'Segreteria guasti', ruolo: 'segreteria', password_hash: await hashPassword(PASSWORD) });
  await knex.destroy();
  const app = await startApp(dbUrl);
  check(true, `1. app avviata (NODE_ENV=production, pid ${app.child.pid}) su ${app.base}, database ${dbUrl}`);

  title('2. Accesso dal modulo vero / login through the real form');
  const s = await login(app.base);
  const page = await request(`${app.base}/cig`, { headers: html(s) });
  check(page.status === 200 && s.token !== '', `2. accesso come segreteria, GET /cig → 200 (login as secretary)`, `stato ${page.status}`);

  const results = [];
  results.push(await outageRound(cluster, app, s, dbUrl, 'fast', 3));
  results.push(await outageRound(cluster, app, s, dbUrl, 'immediate', 4));
  // The crash window is short: a few rounds give the requests in flight more chances to meet it.
  const crashes: number[] = [];
  for (let i = 1; i <= CRASH_ROUNDS; i++) crashes.push(await crashRound(cluster, app, s, dbUrl, `5.${i}`));

  const unhandled = app.log.filter((line) => line.includes('errore non gestito'));
  const down = new Map<string, number>();
  for (const line of app.log.filter((l) => l.includes('database non raggiungibile'))) {
    let err: { code?: string; message?: string } | undefined;
    try {
      err = (JSON.parse(line) as { err?: typeof err }).err;
    } catch {
      err = { message: line };
    }
    const key = `${err?.code ?? '-'} ${err?.message?.slice(0, 70) ?? ''}`;
    down.set(key, (down.get(key) ?? 0) + 1);
  }
  check(unhandled.length === 0, '6. nel log dell’app nessun «errore non gestito» (no unhandled error in the app log)',
    `${unhandled.length ? `${unhandled.slice(0, 3).join('\n      ')}\n      ` : ''}` +
      `errori «database non raggiungibile» (503) per codice / by code:\n      ${[...down].map(([k, n]) => `${n}× ${k}`).join('\n      ')}`);

  title('Riepilogo / summary');
  for (const r of results) {
    info(`stop -m ${r.mode}: PostgreSQL fermo ${seconds(r.outage)}, app di nuovo a 200 ${seconds(r.recoveryMs)} dopo il riavvio; stati durante la ripresa: ${r.statuses}`);
  }
  info(`kill -9 di un processo server (${CRASH_ROUNDS} volte): /health di nuovo a 200 dopo ${crashes.map(seconds).join(', ')}`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    console.log('\nUltimi avvisi ed errori nel log dell’app / last app warnings and errors:');
    for (const line of app.log.filter((l) => !l.startsWith('{"level":30')).slice(-25)) console.log(`  ${line.slice(0, 400)}`);
  }
  return failed.length;
}

let exitCode: number;
try {
  const failed = await main();
  const total = checks.length;
  console.log(failed === 0 ? `\nESITO: PASS (${total} controlli / checks)` : `\nESITO: FAIL (${failed} di ${total} controlli falliti / checks failed)`);
  exitCode = failed === 0 ? 0 : 1;
} catch (err) {
  console.error(`\nFAIL  interrotto / aborted: ${(err as Error).stack ?? String(err)}`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
