/**
 * Issue 6 benchmark: Flussi for a school with 20,000 impegni and 40,000 mandati
 * in the esercizio (2,000 CIGs, 300 CUPs), among other schools. On the
 * PostgreSQL server: the verifica and both lists (service calls, in process),
 * and the whole /flussi page and an export measured from outside the app process.
 * Target: verifica and both lists under 1 s.
 *
 *   node --import tsx bench/flussi.ts
 */
import { knexForServer } from '../src/db/database.js';
import { createFlussiService } from '../src/services/flussiService.js';
import { createSchools, databaseUrl, dropDatabase, freshDatabase, login, measure, ms, startApp } from './lib.js';
import { insertCig, insertCup, insertLinkedDocuments } from './generate.js';

const DB = 'bilancio_bench_flussi';
const E = 2026;
const knex = await freshDatabase(DB);
const [scuola, ...others] = await createSchools(knex, 6);
for (const id of [scuola!, ...others]) {
  const big = id === scuola;
  await insertCig(knex, id, big ? 2000 : 500);
  await insertCup(knex, id, big ? 300 : 100);
  await insertLinkedDocuments(knex, id, { esercizio: E, impegni: big ? 20_000 : 3_000, mandati: big ? 40_000 : 5_000 });
}
await knex.raw('analyze');
const n = (await knex.raw('select (select count(*) from impegni where scuola_id = ?)::int as i, (select count(*) from mandati where scuola_id = ?)::int as m', [scuola!, scuola!])).rows[0];
console.log(`scuola ${scuola}: ${n.i} impegni, ${n.m} mandati nell'esercizio ${E}`);

const service = createFlussiService(knexForServer(databaseUrl(DB), 4));
const p = { scuolaId: scuola!, esercizio: E, mese: null };
const time = async (label: string, fn: () => Promise<unknown>, runs = 7) => {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { label, median: t[Math.floor(t.length / 2)]!, max: t[t.length - 1]! };
};
const results = [
  await time('verifica (tutte le regole)', () => service.verifica(p)),
  await time('Elenco CIG + Elenco CUP', () => service.elenchi(p)),
  await time('verifica + elenchi (come la pagina)', async () => service.verifica(p, await service.elenchi(p))),
  await time('verifica + elenchi, periodo gennaio–giugno', async () => {
    const q = { ...p, mese: 6 };
    return service.verifica(q, await service.elenchi(q));
  }),
];

const app = await startApp(databaseUrl(DB), 3901);
const cookie = await login(app.baseUrl, `bench${scuola}`);
const page = await measure(app.baseUrl, [`/flussi?esercizio=${E}`], { cookie, seconds: 10, connections: 2 });
await app.stop();
await knex.destroy();
if (!process.env.BENCH_KEEP) await dropDatabase(DB);

console.log('\n| misura | mediana | massimo (7 esecuzioni) | < 1 s |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.label} | ${ms(r.median)} | ${ms(r.max)} | ${r.max < 1000 ? 'sì' : '**no**'} |`);
console.log(`\nPagina /flussi dall’esterno (HTTP, 2 connessioni, 10 s): ${page.requests} richieste, p50 ${ms(page.p50)}, p95 ${ms(page.p95)}, p99 ${ms(page.p99)}, errori ${page.errors + page.non2xx}`);
process.exit(0);
