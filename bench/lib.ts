import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import knexFactory, { type Knex } from 'knex';
import { knexForServer, migrateLatest } from '../src/db/database.js';
import { hashPassword } from '../src/services/passwords.js';

/**
 * Shared benchmark plumbing: a database of its own on the PostgreSQL server,
 * the real app started as a separate process, latency measured from outside it.
 * Loopback only, every run bounded in time.
 */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

export function databaseUrl(name: string) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function freshDatabase(name: string): Promise<Knex> {
  const admin = knexFactory({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`drop database if exists ${name} with (force)`);
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const knex = knexForServer(databaseUrl(name), 4);
  await migrateLatest(knex);
  return knex;
}

/** A database kept by an earlier run with exactly `schools` schools, or undefined. */
export async function existingDatabase(name: string, schools: number): Promise<{ knex: Knex; schools: number[] } | undefined> {
  const admin = knexFactory({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  const found = (await admin.raw('select 1 from pg_database where datname = ?', [name])).rows.length > 0;
  await admin.destroy();
  if (!found) return undefined;
  const knex = knexForServer(databaseUrl(name), 4);
  const ids = (await knex('scuole').orderBy('id').pluck('id')) as number[];
  if (ids.length === schools) return { knex, schools: ids };
  await knex.destroy();
  return undefined;
}

export async function dropDatabase(name: string) {
  const admin = knexFactory({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`drop database if exists ${name} with (force)`);
  await admin.destroy();
}

/** Schools with one secretary each (username bench<N>, password 'bench-password'). */
export async function createSchools(knex: Knex, count: number): Promise<number[]> {
  const hash = await hashPassword(BENCH_PASSWORD);
  const ids: number[] = [];
  for (let start = 1; start <= count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start + 1) }, (_, i) => {
      const n = start + i;
      return { codice_meccanografico: `BNIC${String(n).padStart(6, '0')}`, denominazione: `Istituto di prova ${n}` };
    });
    const inserted = await knex('scuole').insert(rows).returning('id');
    ids.push(...inserted.map((r: { id: number }) => r.id));
  }
  await knex.raw(
    `insert into utenti (scuola_id, username, nome, ruolo, password_hash)
     select id, 'bench' || id, 'Segreteria ' || id, 'segreteria', ? from scuole where id = any(?)`,
    [hash, ids],
  );
  return ids;
}
export const BENCH_PASSWORD = 'bench-password';

/**
 * The app as its own process on the given database (from the checkout in `cwd`: bench/confronto.ts
 * starts an earlier version too); resolves once /health answers. BENCH_NODE_ARGS adds Node options, e.g. "--cpu-prof --cpu-prof-dir=prof".
 */
export async function startApp(dbUrl: string, port: number, env: Record<string, string> = {}, cwd = process.cwd()): Promise<{ baseUrl: string; pid: number; stop(): Promise<void> }> {
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // As `npm start` runs it; a checkout from before src/start.mjs, as its `npm start` did.
  const entry = fs.existsSync(path.join(cwd, 'src', 'start.mjs')) ? ['src/start.mjs'] : ['--import', 'tsx', 'src/server.ts'];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd,
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(48), LOG_LEVEL: 'warn', TLS: 'false', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Up to two minutes: a reused database may first get a new migration.
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (i === 1200 || child.exitCode !== null) {
      child.kill();
      throw new Error(`l'app su ${baseUrl} non risponde a /health`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Logs in through the real form and returns the session cookie. */
export async function login(baseUrl: string, username: string, password = BENCH_PASSWORD): Promise<string> {
  const page = await fetch(`${baseUrl}/login`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: token }),
  });
  if (res.status !== 302) throw new Error(`login ${username}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export type Latency = { requests: number; errors: number; non2xx: number; rps: number; p50: number; p95: number; p99: number };

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** GETs the paths (round robin) for `seconds` at `connections`, with per-request latencies in ms. */
export async function measure(baseUrl: string, paths: string[], options: { cookie: string; seconds: number; connections: number }): Promise<Latency> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        duration: options.seconds,
        requests: paths.map((path) => ({ method: 'GET' as const, path, headers: { cookie: options.cookie } })),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: Math.round(times.length / options.seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;

/**
 * CPU seconds (user + system) used so far by a process itself. Not its exited
 * children's: the postmaster collects those of every backend that ends (an
 * autovacuum worker after the data generation, say), whenever they ran.
 */
function cpuOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

/** The pids of the PostgreSQL server's processes (every process named postgres). */
function postgresPids(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}

/**
 * CPU seconds used by the app's processes and by the database server's
 * processes still alive at stop(), since the call: where a request's
 * cost goes, whatever else the machine runs. Linux only (/proc).
 */
export function cpuMeter(appPids: () => number[]) {
  const snapshot = () => {
    const pg = new Map(postgresPids().map((pid) => [pid, cpuOf(pid)]));
    const app = new Map(appPids().map((pid) => [pid, cpuOf(pid)]));
    return { pg, app };
  };
  const before = snapshot();
  return () => {
    const after = snapshot();
    const delta = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((n, [pid, t]) => n + t - (a.get(pid) ?? 0), 0);
    return { app: delta(before.app, after.app), postgres: delta(before.pg, after.pg) };
  };
}

/** A process and its descendants (an app started as a cluster has one worker per core). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** A port free on loopback now: two runs at once never collide on a fixed port (benchmarks, fault tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
