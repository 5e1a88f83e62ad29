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

/** The app as its own process on the given database; resolves once /health answers. */
export async function startApp(dbUrl: string, port: number): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(48), LOG_LEVEL: 'warn', TLS: 'false' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
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
