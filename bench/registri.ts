/**
 * Issue 3 benchmark: Gestione CIG / CUP with 100,000 CIGs and 100,000 CUPs in one
 * school (and other schools around it), against a school with 1,000 of each.
 * On the PostgreSQL server; the app runs as its own process, latency is measured
 * from outside it. Target: p95 < 50 ms for list, search on oggetto and record page,
 * and no growth with the size of the register beyond the index lookups.
 *
 *   node --import tsx bench/registri.ts            (BENCH_SECONDS=10 by default)
 */
import { createSchools, dropDatabase, freshDatabase, databaseUrl, login, measure, ms, startApp, type Latency } from './lib.js';
import { insertCig, insertCup } from './generate.js';

const DB = 'bilancio_bench_registri';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2);
const BIG = Number(process.env.BENCH_BIG ?? 100_000);
const SMALL = 1_000;
const NEIGHBOURS = 20;

const knex = await freshDatabase(DB);
const t0 = Date.now();
const [small, big, ...others] = await createSchools(knex, 2 + NEIGHBOURS);
await insertCig(knex, small!, SMALL);
await insertCup(knex, small!, SMALL);
await insertCig(knex, big!, BIG);
await insertCup(knex, big!, BIG);
for (const id of others) {
  await insertCig(knex, id, 5_000);
  await insertCup(knex, id, 1_000);
}
// A register in steady state: autovacuum has run (visibility map set, statistics fresh).
await knex.raw('vacuum analyze');
const totals = await knex.raw(`select (select count(*) from cig)::int as cig, (select count(*) from cup)::int as cup`);
console.log(`dati generati in ${Date.now() - t0} ms:`, totals.rows[0]);

async function idsOf(table: 'cig' | 'cup', scuolaId: number) {
  const rows = await knex(table).where({ scuola_id: scuolaId }).orderByRaw('random()').limit(50).pluck('id');
  return rows as number[];
}

const app = await startApp(databaseUrl(DB), 3900);
const results: { school: string; kind: string; r: Latency }[] = [];
try {
  for (const [label, scuolaId] of [[`${SMALL.toLocaleString('it-IT')}`, small!], [`${BIG.toLocaleString('it-IT')}`, big!]] as const) {
    const cookie = await login(app.baseUrl, `bench${scuolaId}`);
    const cigIds = await idsOf('cig', scuolaId);
    const cupIds = await idsOf('cup', scuolaId);
    const kinds: [string, string[]][] = [
      ['CIG elenco (pagina 1, ordine predefinito)', ['/cig']],
      ['CIG elenco ordinato per oggetto, pagina 5', ['/cig?ordina=oggetto&verso=asc&pagina=5']],
      ['CIG ricerca su oggetto', ['/cig?oggetto=monitor', '/cig?oggetto=attivita%20didattiche', '/cig?oggetto=lotto%20123']],
      ['CIG scheda', cigIds.map((id) => `/cig/${id}`)],
      ['CUP elenco', ['/cup']],
      ['CUP ricerca su descrizione', ['/cup?descrizione=laboratorio', '/cup?descrizione=n.%20777']],
      ['CUP scheda', cupIds.map((id) => `/cup/${id}`)],
    ];
    for (const [kind, paths] of kinds) {
      // Every path must answer 200 before it is timed.
      for (const p of paths.slice(0, 3)) {
        const res = await fetch(`${app.baseUrl}${p}`, { headers: { cookie }, redirect: 'manual' });
        if (res.status !== 200) throw new Error(`${p} → ${res.status}`);
      }
      const r = await measure(app.baseUrl, paths, { cookie, seconds: SECONDS, connections: CONNECTIONS });
      results.push({ school: label, kind, r });
      console.log(`${label.padStart(7)} | ${kind.padEnd(45)} | ${r.rps} req/s | p50 ${ms(r.p50)} | p95 ${ms(r.p95)} | p99 ${ms(r.p99)} | errori ${r.errors + r.non2xx}`);
    }
  }
} finally {
  await app.stop();
  await knex.destroy();
  if (!process.env.BENCH_KEEP) await dropDatabase(DB);
}

console.log(`\n| registro della scuola | richiesta | req/s | p50 | p95 | p99 | errori | p95 < 50 ms |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const { school, kind, r } of results) {
  console.log(`| ${school} | ${kind} | ${r.rps} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.errors + r.non2xx} | ${r.p95 < 50 ? 'sì' : '**no**'} |`);
}
