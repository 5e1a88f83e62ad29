import type { Knex } from 'knex';
import { login } from './lib.js';
import type { Planned } from './openLoop.js';

/** A logged-in secretary of one of the load test's schools, with what her requests need. */
export type BenchSession = { cookie: string; token: string; cigIds: number[]; voceId: number };

/** One session per school on the app at `baseUrl`: the real login form, the CSRF token of a page, 20 of the school's CIGs and a voce of `esercizio`. */
export async function benchSessions(knex: Knex, schools: number[], baseUrl: string, esercizio: number): Promise<BenchSession[]> {
  const out: BenchSession[] = [];
  for (const scuolaId of schools) {
    const cookie = await login(baseUrl, `bench${scuolaId}`);
    const home = await (await fetch(`${baseUrl}/`, { headers: { cookie } })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(home)![1]!;
    const cigIds = (await knex('cig').where({ scuola_id: scuolaId }).orderByRaw('random()').limit(20).pluck('id')) as number[];
    const voceId = (await knex('voci_destinazione').where({ scuola_id: scuolaId, esercizio }).first('id')).id as number;
    out.push({ cookie, token, cigIds, voceId });
  }
  return out;
}

/** The load test's request kinds (bench/carico.ts): list, first page, search, record, save of an impegno. */
export function requestKinds(esercizio: number) {
  return {
    elenco: (s: BenchSession, i: number): Planned => ({ kind: 'elenco CIG', ok: 200, method: 'GET', path: i % 2 ? '/cig?pagina=3&ordina=oggetto' : '/cig', headers: { cookie: s.cookie } }),
    elencoPrimaPagina: (s: BenchSession): Planned => ({ kind: 'elenco CIG', ok: 200, method: 'GET', path: '/cig', headers: { cookie: s.cookie } }),
    ricerca: (s: BenchSession, i: number): Planned => ({ kind: 'ricerca CIG', ok: 200, method: 'GET', path: i % 2 ? '/cig?oggetto=lotto%2012' : '/cig?oggetto=monitor', headers: { cookie: s.cookie } }),
    scheda: (s: BenchSession, i: number): Planned => ({ kind: 'scheda CIG', ok: 200, method: 'GET', path: `/cig/${s.cigIds[i % s.cigIds.length]}`, headers: { cookie: s.cookie } }),
    salvataggio: (s: BenchSession): Planned => ({
      kind: 'salvataggio impegno', ok: 302, method: 'POST', path: '/impegni',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: s.token, data: `${esercizio}-03-01`, voce_id: String(s.voceId), oggetto: 'Carico di prova', importo: '10,00', motivo_esclusione_cig: 'SPESE_ECONOMALI' }).toString(),
    }),
  };
}
