/**
 * Issue 5 benchmark: the one-time import on 1,000,000 legacy documents of one
 * school, against the bare SQL floor for the same work (harvest + insert +
 * link, hand-written, run in the same process on the same data, rolled back).
 * Targets: import ≤ 1.5 × floor; anteprima < 5 s.
 *
 *   node --import tsx bench/importazione.ts                    (PostgreSQL server)
 *   BENCH_TARGET=pglite node --import tsx bench/importazione.ts  (embedded database)
 *   BENCH_DOCS=100000 …                                         (a smaller run)
 */
import { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import { migrateLatest } from '../src/db/database.js';
import { knexForPglite, PGLITE_EXTENSIONS } from '../src/db/pglite.js';
import { createImportazioneService } from '../src/services/importazioneService.js';
import { createSchools, dropDatabase, freshDatabase } from './lib.js';
import { insertLegacyDocuments } from './generate.js';

const TARGET = process.env.BENCH_TARGET === 'pglite' ? 'pglite' : 'postgresql';
const DOCS = Number(process.env.BENCH_DOCS ?? 1_000_000);
const ESERCIZI = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026];
const PER_ESERCIZIO = Math.round(DOCS / 2.5 / ESERCIZI.length); // impegni; mandati are 1.5× as many
const DB = 'bilancio_bench_importazione';

let knex: Knex;
let closePglite: (() => Promise<void>) | undefined;
if (TARGET === 'pglite') {
  const pglite = await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS });
  knex = knexForPglite(pglite);
  await migrateLatest(knex);
  closePglite = () => pglite.close();
} else {
  knex = await freshDatabase(DB);
}

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
};

const [scuolaId] = await createSchools(knex, 1);
const [, genMs] = await timed(() =>
  insertLegacyDocuments(knex, scuolaId!, { esercizi: ESERCIZI, perEsercizio: PER_ESERCIZIO, distinctCig: Math.round(DOCS / 100) }),
);
await knex.raw('analyze');
const counts = (await knex.raw(`select (select count(*) from impegni)::int as impegni, (select count(*) from mandati)::int as mandati, (select count(*) from voci_destinazione)::int as voci`)).rows[0];
console.log(`${TARGET}: generati ${counts.impegni + counts.mandati} documenti (${counts.impegni} impegni, ${counts.mandati} mandati, ${counts.voci} voci) in ${(genMs / 1000).toFixed(1)} s`);

const NORMALIZE = (col: string, prefix: 'CIG' | 'CUP') =>
  `regexp_replace(regexp_replace(upper(btrim(${col})), '^${prefix}\\s*[:.]?\\s*', ''), '\\s+', '', 'g')`;

/** The floor: the minimal statements that harvest, insert and link, in one transaction, rolled back. */
async function floor() {
  await knex.transaction(async (trx) => {
    for (const [kind, shape, tables] of [
      ['cig', '^[0-9A-Z]{10}$', ['impegni', 'mandati']],
      ['cup', '^[A-Z][0-9]{2}[A-Z][0-9]{11}$', ['impegni', 'mandati', 'voci_destinazione']],
    ] as const) {
      const prefix = kind === 'cig' ? 'CIG' : 'CUP';
      const sources = tables.map((t) => `select ${kind}_testo as t from ${t} where scuola_id = ${scuolaId} and ${kind}_testo ~ '\\S'`).join(' union all ');
      const extra = kind === 'cig' ? `famiglia, oggetto, da_completare` : `descrizione`;
      const extraValues = kind === 'cig' ? `'ordinario', 'Importato', true` : `'Importato'`;
      // Each distinct spelling once, with its normalised code; then equality joins.
      await trx.raw(`create temp table floor_${kind} on commit drop as select distinct t as raw, ${NORMALIZE('t', prefix)} as codice from (${sources}) s`);
      await trx.raw(`analyze floor_${kind}`);
      await trx.raw(
        `insert into ${kind} (scuola_id, codice, ${extra})
         select distinct ${scuolaId}, codice, ${extraValues} from floor_${kind} where codice ~ '${shape}' on conflict do nothing`,
      );
      for (const table of tables) {
        await trx.raw(
          `update ${table} d set ${kind}_id = c.id from floor_${kind} m join ${kind} c on c.scuola_id = ${scuolaId} and c.codice = m.codice
           where d.scuola_id = ${scuolaId} and d.${kind}_id is null and d.${kind}_testo = m.raw`,
        );
      }
    }
    await trx.rollback();
  }).catch((err: Error) => {
    if (!/Transaction rejected with non-error: undefined/.test(err.message)) throw err;
  });
}

const service = createImportazioneService(knex);
const [piano, anteprimaMs] = await timed(() => service.preview(scuolaId!));
await floor(); // warm-up: both sides then run on a warm cache
const [, floorMs] = await timed(floor);
const [esito, importMs] = await timed(() => service.run(scuolaId!, null, 'cli'));
if (!esito.ok) throw new Error('importazione non eseguita');
const [, secondMs] = await timed(() => service.run(scuolaId!, null, 'cli'));

const c = esito.conteggi;
console.log(
  `anteprima: ${piano.cig.daRegistrare.length} CIG e ${piano.cup.daRegistrare.length} CUP da registrare, ${piano.nonValidi.length} valori non validi`,
);
console.log(
  `importazione: ${c.cigRegistrati} CIG, ${c.cupRegistrati} CUP, ${c.impegniCollegatiCig + c.mandatiCollegatiCig} documenti collegati al CIG, ` +
    `${c.impegniCollegatiCup + c.mandatiCollegatiCup} al CUP, ${c.vociCollegateCup} voci`,
);
console.log(`\n| database | documenti | anteprima | pavimento SQL | importazione | rapporto | seconda esecuzione (no-op) |`);
console.log(`|---|---|---|---|---|---|---|`);
console.log(
  `| ${TARGET} | ${(counts.impegni + counts.mandati).toLocaleString('it-IT')} | ${(anteprimaMs / 1000).toFixed(2)} s | ${(floorMs / 1000).toFixed(2)} s | ${(importMs / 1000).toFixed(2)} s | ${(importMs / floorMs).toFixed(2)} × | ${(secondMs / 1000).toFixed(2)} s |`,
);

await knex.destroy();
if (closePglite) await closePglite();
else if (!process.env.BENCH_KEEP) await dropDatabase(DB);
