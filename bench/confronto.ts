/**
 * Issue 18: the CPU per request of two versions of the app, measured in turns in one run.
 * On this machine the steps of bench:aperto vary by ±50 requests/s and its CPU per request
 * at low load by ±1 ms from one run to the next; measured in turns (before, after, before,
 * after, …) on the same data, the two versions meet the same drift, and the medians compare.
 *
 *   git worktree add /tmp/prima <commit> && ln -s "$PWD/node_modules" /tmp/prima/node_modules
 *   BENCH_PRIMA=/tmp/prima npm run bench:confronto
 *
 * For each round and each version: the app as its own process (NODE_ENV=production, one
 * process), one session per school, then per kind of request (CIG list, search, record, save
 * of an impegno) a warm-up and BENCH_REQUESTS requests with BENCH_CONCURRENCY in flight (a
 * closed loop: the app busy, so the CPU of idle wake-ups does not weigh). CPU per request of
 * the app's process and of PostgreSQL's from /proc. Without BENCH_PRIMA only this checkout.
 * BENCH_PRIMA_DATABASE_URL gives the first version another way to the same server: with
 * BENCH_PRIMA=. it compares one checkout over TCP and over the Unix socket, e.g.
 *   BENCH_PRIMA=. BENCH_PRIMA_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres \
 *   BENCH_DATABASE_URL=postgres://root@%2Fvar%2Frun%2Fpostgresql/postgres npm run bench:confronto
 * Options: BENCH_ROUNDS (3), BENCH_REQUESTS (2000), BENCH_CONCURRENCY (4), BENCH_SCHOOLS (10),
 * BENCH_KEEP / BENCH_REUSE / BENCH_DB as in bench/carico.ts.
 */
import http from 'node:http';
import { cpuMeter, databaseUrl, dropDatabase, existingDatabase, freePort, freshDatabase, processTree, startApp } from './lib.js';
import { insertLoadSchools } from './generate.js';
import { benchSessions, requestKinds, type BenchSession } from './richieste.js';
import type { Planned } from './openLoop.js';

const DB = process.env.BENCH_DB ?? (process.env.BENCH_KEEP || process.env.BENCH_REUSE ? 'bilancio_bench_confronto' : `bilancio_bench_confronto_${process.pid}`);
const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const E = new Date().getFullYear();
const withName = (url: string) => Object.assign(new URL(url), { pathname: `/${DB}` }).toString();
const versions = [
  ...(process.env.BENCH_PRIMA ? [{ name: 'prima', dir: process.env.BENCH_PRIMA, url: withName(process.env.BENCH_PRIMA_DATABASE_URL ?? databaseUrl(DB)) }] : []),
  { name: 'dopo', dir: process.cwd(), url: databaseUrl(DB) },
];

const reused = process.env.BENCH_REUSE ? await existingDatabase(DB, SCHOOLS) : undefined;
const knex = reused?.knex ?? (await freshDatabase(DB));
const schools = reused?.schools ?? (await insertLoadSchools(knex, SCHOOLS, E));
const KIND = requestKinds(E);
const kinds: { name: string; pick: (s: BenchSession, i: number) => Planned }[] = [
  { name: 'elenco CIG', pick: KIND.elenco },
  { name: 'ricerca CIG', pick: KIND.ricerca },
  { name: 'scheda CIG', pick: KIND.scheda },
  { name: 'salvataggio impegno', pick: KIND.salvataggio },
];

/** `count` requests, `concurrency` at a time on keep-alive sockets; throws on an unexpected status. */
async function closedLoop(baseUrl: string, count: number, concurrency: number, pick: (i: number) => Planned) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const one = (planned: Planned) =>
    new Promise<void>((resolve, reject) => {
      const headers = planned.body ? { ...planned.headers, 'content-length': Buffer.byteLength(planned.body) } : planned.headers;
      const req = http.request({ agent, host: url.hostname, port: url.port, method: planned.method, path: planned.path, headers }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === planned.ok ? resolve() : reject(new Error(`${planned.method} ${planned.path}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(planned.body);
    });
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await one(pick(next++));
  }));
  agent.destroy();
}

const results = new Map<string, { app: number[]; pg: number[] }>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const version of versions) {
    const app = await startApp(version.url, await freePort(), { SESSION_SECRET: 'b'.repeat(48) }, version.dir);
    try {
      const sessions = await benchSessions(knex, schools, app.baseUrl, E);
      const line: string[] = [];
      for (const kind of kinds) {
        const pick = (i: number) => kind.pick(sessions[i % sessions.length]!, Math.floor(i / sessions.length));
        await closedLoop(app.baseUrl, Math.min(500, REQUESTS), CONCURRENCY, pick);
        const cpu = cpuMeter(() => processTree(app.pid));
        await closedLoop(app.baseUrl, REQUESTS, CONCURRENCY, pick);
        const used = cpu();
        const key = `${version.name}|${kind.name}`;
        const r = results.get(key) ?? results.set(key, { app: [], pg: [] }).get(key)!;
        r.app.push((used.app * 1000) / REQUESTS);
        r.pg.push((used.postgres * 1000) / REQUESTS);
        line.push(`${kind.name} ${r.app.at(-1)!.toFixed(2)} + ${r.pg.at(-1)!.toFixed(2)} ms`);
      }
      console.log(`giro ${round}, ${version.name}: ${line.join(', ')}`);
    } finally {
      await app.stop();
    }
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`\nCPU per richiesta, mediana di ${ROUNDS} giri (${REQUESTS} richieste per tipo, ${CONCURRENCY} in corso; app + PostgreSQL):\n`);
console.log(`| richiesta | ${versions.map((v) => v.name).join(' | ')} |${versions.length > 1 ? ' dopo / prima (app) |' : ''}`);
console.log(`|---|${versions.map(() => '---|').join('')}${versions.length > 1 ? '---|' : ''}`);
for (const kind of kinds) {
  const cells = versions.map((v) => results.get(`${v.name}|${kind.name}`)!);
  const ratio = versions.length > 1 ? ` ${(median(cells[1]!.app) / median(cells[0]!.app)).toFixed(2)} |` : '';
  console.log(`| ${kind.name} | ${cells.map((c) => `${median(c.app).toFixed(2)} + ${median(c.pg).toFixed(2)} ms`).join(' | ')} |${ratio}`);
}

await knex.destroy();
if (!process.env.BENCH_KEEP && !process.env.BENCH_REUSE) await dropDatabase(DB);
