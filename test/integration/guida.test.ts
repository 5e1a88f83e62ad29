import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, loginAs } from '../helpers/testApp.js';

/** The Guida: one page for every logged-in user, its sections with anchors, links to the pages it talks about. */
const ctx = useTwoSchools();

const SECTIONS = ['cig', 'cup', 'motivo-esclusione', 'piano', 'importazione', 'fatture', 'cassiere'];
/** Internal links of the page, anchors and assets aside. */
const pageLinks = (html: string) =>
  [...html.matchAll(/href="(\/[^"#]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')).filter((h) => !h.startsWith('/vendor/') && !h.startsWith('/css/'));

describe('Guida', () => {
  it('is not shown without a login: the page goes to the login and comes back', async () => {
    const { app } = buildTestApp(ctx.db);
    const res = await request(app).get('/guida');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?ritorno=%2Fguida');
  });

  it('explains each term under an h2 with an id, with a table of contents and links to the pages', async () => {
    const { app } = buildTestApp(ctx.db);
    const segreteria = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const res = await segreteria.get('/guida');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1 class="h2">Guida</h1>');
    const headings = [...res.text.matchAll(/<h2 id="([^"]+)"[^>]*>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(SECTIONS);
    const toc = res.text.slice(res.text.indexOf('guida-indice'), res.text.indexOf('</nav>', res.text.indexOf('guida-indice')));
    for (const id of SECTIONS) expect(toc, id).toContain(`href="#${id}"`);
    const links = pageLinks(res.text.slice(res.text.indexOf('<main')));
    for (const href of ['/cig', '/cig/nuovo', '/cup', '/da-completare', '/impegni', '/mandati', '/impostazioni/piano-destinazioni', '/fatture', '/fatture/carica', '/flussi/cassiere']) {
      expect(links, href).toContain(href);
    }
    for (const term of ['carattere di controllo', 'Smart CIG', '«Da completare»', 'Motivo di esclusione del CIG', 'sostituirlo?', 'Metadati SdI', 'Collega', 'Paga', 'Crea distinta', 'non firmato', 'Esito', 'Variazione e annullo']) {
      expect(res.text, term).toContain(term);
    }
    // A secretary is not sent to the admin's pages (403 for her): they are named, not linked.
    expect(links).not.toContain('/impostazioni/importazione');
    expect(res.text).toContain('solo per l’amministratore');
    // Every page it links answers her.
    for (const href of new Set(links)) expect((await segreteria.get(href)).status, href).toBe(200);
  });

  it('links the admin to the import, the open data and the cassiere settings, all answering', async () => {
    const { app } = buildTestApp(ctx.db);
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const res = await admin.get('/guida');
    expect(res.status).toBe(200);
    const links = pageLinks(res.text.slice(res.text.indexOf('<main')));
    for (const href of ['/impostazioni/importazione', '/impostazioni/dati-aperti', '/impostazioni/scuola', '/impostazioni/conti']) expect(links, href).toContain(href);
    for (const href of new Set(links)) expect((await admin.get(href)).status, href).toBe(200);
  });

  it('is linked from the header of every page, marked as the current page on itself', async () => {
    const { app } = buildTestApp(ctx.db);
    const segreteria = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    for (const url of ['/', '/cig', '/flussi/cassiere']) {
      const html = (await segreteria.get(url)).text;
      expect(html, url).toMatch(/<a class="guida-link" href="\/guida"\s*>/);
    }
    expect((await segreteria.get('/guida')).text).toMatch(/<a class="guida-link" href="\/guida" aria-current="page">/);
    // Not on the login page: the Guida is for logged-in users.
    expect((await request(app).get('/login')).text).not.toContain('guida-link');
  });
});
