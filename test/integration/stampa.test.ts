import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { createCig, createCreditore, createCup, createImpegno, createMandato } from '../helpers/factories.js';

/** Printing: the print stylesheet and header on every page, the Stampa button (hidden until its script) on records only. */
const ctx = useSegreteria();

describe('stampa', () => {
  it('links the print stylesheet for print only, and puts the school and today in a header hidden on screen', async () => {
    const html = (await ctx.agent.get('/cig')).text;
    expect(html).toContain('<link rel="stylesheet" href="/css/print.css" media="print">');
    const header = html.slice(html.indexOf('data-stampa-intestazione') - 40, html.indexOf('</div>', html.indexOf('data-stampa-intestazione')));
    expect(header).toContain('class="stampa-intestazione d-none"');
    expect(header).toContain(ctx.cast.scuola1.denominazione);
    // The tests' clock: 27/11/2026.
    expect(header).toContain('stampato il 27/11/2026');
    const css = await request(ctx.app).get('/css/print.css');
    expect(css.status).toBe(200);
    expect(css.text).toContain('@page { size: A4; margin: 15mm; }');
    expect((await request(ctx.app).get('/js/stampa.js')).status).toBe(200);
  });

  it('offers Stampa, hidden until JavaScript shows it, on every kind of record and not on lists', async () => {
    const s1 = ctx.cast.scuola1.id;
    const cig = await createCig(ctx.knex, s1);
    const impegno = await createImpegno(ctx.knex, s1, { cig_id: cig.id });
    const records = [
      `/cig/${cig.id}`, `/cup/${(await createCup(ctx.knex, s1)).id}`, `/impegni/${impegno.id}`,
      `/mandati/${(await createMandato(ctx.knex, s1, impegno)).id}`, `/creditori/${(await createCreditore(ctx.knex, s1)).id}`,
    ];
    for (const url of records) {
      const res = await ctx.agent.get(url);
      expect(res.status, url).toBe(200);
      expect(res.text, url).toMatch(/<button type="button" class="btn btn-outline-primary" data-stampa hidden>/);
      expect(res.text, url).toContain('<script type="module" src="/js/stampa.js"></script>');
    }
    for (const url of ['/cig', '/impegni', '/mandati']) expect((await ctx.agent.get(url)).text, url).not.toContain('data-stampa hidden');
  });
});
