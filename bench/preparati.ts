/**
 * Prepared statements against unnamed ones, raw SQL on the PostgreSQL server:
 * 50 clients run the CIG list page's two statements (count, first page) in a
 * loop for BENCH_SECONDS, unnamed then prepared, twice, back to back.
 *
 *   npm run bench:preparati             (BENCH_SCHOOLS=50, 2,000 CIGs each; BENCH_SECONDS=10)
 *
 * BENCH_DB=bilancio_bench_carico with BENCH_REUSE=1 runs it on the load test's kept database.
 */
import pg from 'pg';
import { createSchools, databaseUrl, dropDatabase, existingDatabase, freshDatabase } from './lib.js';
import { insertCig } from './generate.js';

const DB = process.env.BENCH_DB ?? `bilancio_bench_preparati_${process.pid}`;
const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

const reused = process.env.BENCH_REUSE ? await existingDatabase(DB, SCHOOLS) : undefined;
const knex = reused?.knex ?? (await freshDatabase(DB));
const schools = reused?.schools ?? (await generate());
async function generate() {
  const ids = await createSchools(knex, SCHOOLS);
  for (const id of ids) await insertCig(knex, id, 2000);
  await knex.raw('vacuum analyze');
  return ids;
}
await knex.destroy();

const COUNT = 'select count(*)::int as n from cig c where c.scuola_id = $1';
const PAGE = `select c.id, c.codice, c.oggetto, c.data_generazione, c.importo_cents, c.stato, f.denominazione as fornitore
  from cig c left join creditori f on f.scuola_id = c.scuola_id and f.id = c.fornitore_id
  where c.scuola_id = $1 order by c.codice, c.id limit $2 offset $3`;

async function round(prepared: boolean) {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    const c = new pg.Client({ connectionString: databaseUrl(DB) });
    await c.connect();
    return c;
  }));
  let iterations = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(clients.map(async (c, i) => {
    const scuolaId = schools[i % schools.length]!;
    while (Date.now() < until) {
      await c.query({ text: COUNT, values: [scuolaId], ...(prepared ? { name: 'conteggio' } : {}) });
      await c.query({ text: PAGE, values: [scuolaId, 25, 0], ...(prepared ? { name: 'pagina' } : {}) });
      iterations++;
    }
  }));
  await Promise.all(clients.map((c) => c.end()));
  return Math.round(iterations / SECONDS);
}

console.log(`${CONNECTIONS} connessioni, ${SECONDS} s per giro, conteggio + prima pagina dell'elenco CIG:`);
for (const prepared of [false, true, false, true]) {
  console.log(`  ${prepared ? 'preparate' : 'senza nome'}: ${await round(prepared)} iterazioni/s`);
}
if (!process.env.BENCH_REUSE && !process.env.BENCH_DB) await dropDatabase(DB);
