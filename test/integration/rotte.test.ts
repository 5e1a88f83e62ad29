import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCig, createCreditore, createCup, createImpegno, createMandato, createVoce } from '../helpers/factories.js';
import { createImportazioneService } from '../../src/services/importazioneService.js';
import { createFattura } from '../helpers/fatture.js';

/**
 * Every route the app registers, read from the app itself (a new route can't
 * be forgotten), checked for: login required, admin areas, another school's
 * ids, CSRF on unsafe methods.
 */
type Route = { method: 'get' | 'post'; path: string };

function routesOf(app: Express): Route[] {
  const out: Route[] = [];
  // Express 5 keeps the routers' layers on app.router.stack; routers nest their own stacks.
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push({ method: m as Route['method'], path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

const PUBLIC = new Set(['get /health', 'get /login']);
/** The admin areas: the whole policy, by prefix. */
const ADMIN_PREFIXES = ['/impostazioni/scuola', '/impostazioni/conti', '/impostazioni/importazione', '/impostazioni/dati-aperti'];
const isAdmin = (r: Route) => ADMIN_PREFIXES.some((p) => r.path === p || r.path.startsWith(`${p}/`));
const key = (r: Route) => `${r.method} ${r.path}`;

const ctx = useTwoSchools();
let app: Express;
/** One record of school 2 for every kind of :id, by the path that shows it. */
let school2Ids: Record<string, number>;
let routes: Route[];

beforeAll(async () => {
  const s2 = ctx.cast.scuola2.id;
  const impegno = await createImpegno(ctx.knex, s2, { cig_id: (await createCig(ctx.knex, s2)).id });
  const run = await createImportazioneService(ctx.knex).run(s2, null);
  if (!run.ok) throw new Error('import failed');
  school2Ids = {
    '/cig/:id': (await createCig(ctx.knex, s2)).id,
    '/cup/:id': (await createCup(ctx.knex, s2)).id,
    '/impegni/:id': impegno.id,
    '/mandati/:id': (await createMandato(ctx.knex, s2, impegno)).id,
    '/creditori/:id': (await createCreditore(ctx.knex, s2)).id,
    '/impostazioni/piano-destinazioni/:id': (await createVoce(ctx.knex, s2)).id,
    '/impostazioni/importazione/:id': run.id,
    '/fatture/:id': (await createFattura(ctx.knex, s2)).id,
    '/flussi/cassiere/distinte/:id': (await ctx.knex('opi_flussi').insert({
      scuola_id: s2, numero: 1, identificativo: 'OPI_UF0002_2026_000001', esercizio: TEST_ESERCIZIO, nome_file: 'OPI_UF0002_2026_000001.xml',
      sha256: 'a'.repeat(64), dimensione: 3, contenuto: Buffer.from('<x/>'), n_mandati: 1, totale_cents: 100,
    }).returning('id'))[0].id,
    '/impostazioni/conti/:id': (await ctx.knex('piano_conti').insert({ scuola_id: s2, tipo: 2, conto: 1, sottoconto: 1, descrizione: 'Cancelleria' }).returning('id'))[0].id,
  };
  app = buildTestApp(ctx.db).app;
  routes = routesOf(app);
});

/** A concrete URL for a route: ids of school 2, a year and a file for the flussi exports. */
function fill(path: string): string {
  let url = path.replace(':esercizio', String(TEST_ESERCIZIO)).replace(':file', 'cig.csv');
  if (url.includes(':id')) {
    const owner = Object.keys(school2Ids)
      .filter((prefix) => path.startsWith(prefix))
      .sort((a, b) => b.length - a.length)[0];
    if (!owner) throw new Error(`Nessun record della scuola 2 per ${path}: aggiungilo a school2Ids`);
    url = url.replace(':id', String(school2Ids[owner]));
  }
  if (/:[a-z]/.test(url)) throw new Error(`Parametro senza valore in ${path}`);
  return url;
}

describe('ogni rotta registrata', () => {
  it('finds the routes of every area', () => {
    const paths = new Set(routes.map((r) => r.path));
    for (const p of ['/cig', '/cup/:id', '/impegni/:id/modifica', '/mandati', '/creditori/:id', '/impostazioni/piano-destinazioni', '/impostazioni/importazione/:id', '/flussi/:esercizio/:file', '/fatture/carica', '/fatture/:id', '/fatture', '/impostazioni/scuola', '/impostazioni/conti', '/impostazioni/conti/:id/modifica', '/flussi/cassiere', '/flussi/cassiere/distinte/:id/file', '/mandati/:id/annulla']) {
      expect(paths.has(p), p).toBe(true);
    }
    expect(routes.length).toBeGreaterThan(50);
  });

  it('requires a login: pages redirect to /login, JSON answers 401, unsafe methods without a token 403', async () => {
    for (const r of routes) {
      if (PUBLIC.has(key(r))) continue;
      const url = fill(r.path);
      if (r.method === 'get') {
        const page = await request(app).get(url);
        expect(page.status, key(r)).toBe(302);
        expect(page.headers.location, key(r)).toMatch(/^\/login\?ritorno=/);
        const json = await request(app).get(url).set('Accept', 'application/json');
        expect(json.status, `${key(r)} (JSON)`).toBe(401);
      } else {
        expect((await request(app).post(url).type('form').send({})).status, key(r)).toBe(403);
      }
    }
  });

  it('refuses every unsafe method without a CSRF token, also when logged in', async () => {
    const agent = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    for (const r of routes.filter((x) => x.method !== 'get')) {
      const res = await agent.post(fill(r.path)).type('form').send({ _csrf: 'sbagliato' });
      expect(res.status, key(r)).toBe(403);
    }
  });

  it('keeps the admin areas from secretaries (403) and every other page open to them', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const token = await csrfToken(agent, '/');
    // Logging out ends the session the loop uses: it goes last.
    const ordered = [...routes.filter((r) => key(r) !== 'post /logout'), { method: 'post' as const, path: '/logout' }];
    for (const r of ordered) {
      if (PUBLIC.has(key(r))) continue;
      const url = fill(r.path);
      const res = r.method === 'get' ? await agent.get(url) : await agent.post(url).type('form').send({ _csrf: token });
      if (isAdmin(r)) expect(res.status, key(r)).toBe(403);
      else expect([403, 500, 502, 503], key(r)).not.toContain(res.status);
    }
  });

  it("answers 404 to every id of another school, and changes nothing of it", async () => {
    const before = await ctx.knex.raw(
      `select (select json_agg(version order by id) from cig where scuola_id = ?) as cig, (select json_agg(version order by id) from cup where scuola_id = ?) as cup,
              (select json_agg(version order by id) from impegni where scuola_id = ?) as impegni, (select json_agg(version order by id) from mandati where scuola_id = ?) as mandati,
              (select json_agg(version order by id) from creditori where scuola_id = ?) as creditori, (select json_agg(version order by id) from voci_destinazione where scuola_id = ?) as voci,
              (select json_agg(json_build_array(version, pagato_cents, stornato_cents, rettifica_di_id) order by id) from fatture where scuola_id = ?) as fatture,
              (select json_agg(json_build_array(version, codice_siope, natura_spesa) order by id) from piano_conti where scuola_id = ?) as conti`,
      Array(8).fill(ctx.cast.scuola2.id),
    );
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const token = await csrfToken(admin, '/');
    for (const r of routes.filter((x) => x.path.includes(':id'))) {
      const url = fill(r.path);
      const res = r.method === 'get' ? await admin.get(url) : await admin.post(url).type('form').send({ _csrf: token, version: '1' });
      expect(res.status, `${key(r)} → ${url}`).toBe(404);
      expect(res.text).not.toContain(ctx.cast.scuola2.denominazione);
    }
    const after = await ctx.knex.raw(
      `select (select json_agg(version order by id) from cig where scuola_id = ?) as cig, (select json_agg(version order by id) from cup where scuola_id = ?) as cup,
              (select json_agg(version order by id) from impegni where scuola_id = ?) as impegni, (select json_agg(version order by id) from mandati where scuola_id = ?) as mandati,
              (select json_agg(version order by id) from creditori where scuola_id = ?) as creditori, (select json_agg(version order by id) from voci_destinazione where scuola_id = ?) as voci,
              (select json_agg(json_build_array(version, pagato_cents, stornato_cents, rettifica_di_id) order by id) from fatture where scuola_id = ?) as fatture,
              (select json_agg(json_build_array(version, codice_siope, natura_spesa) order by id) from piano_conti where scuola_id = ?) as conti`,
      Array(8).fill(ctx.cast.scuola2.id),
    );
    expect(after.rows).toEqual(before.rows);
  });
});
