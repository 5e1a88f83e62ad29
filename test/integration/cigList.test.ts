import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { useSegreteria } from '../helpers/testDatabase.js';
import { csrfToken, loginAs, downloadBytes } from '../helpers/testApp.js';
import { createCig, createCreditore } from '../helpers/factories.js';

const ctx = useSegreteria();
let fornitore: { id: number; denominazione: string };

beforeAll(async () => {
  fornitore = await createCreditore(ctx.knex, ctx.cast.scuola1.id, { denominazione: 'Cartoleria Rossi S.r.l.' });
  const s = ctx.cast.scuola1.id;
  await createCig(ctx.knex, s, { codice: '9050626CD6', oggetto: 'Attività didattiche; laboratorio "STEM"', data_generazione: '2023-03-15', data_scadenza_offerte: '2023-04-01', importo_cents: 123456, fornitore_id: fornitore.id });
  await createCig(ctx.knex, s, { codice: 'ZC81A2B3C4', famiglia: 'smart', oggetto: 'Pulizia locali', data_generazione: '2022-06-01', importo_cents: 50000 });
  await createCig(ctx.knex, s, { codice: 'B123456659', famiglia: 'pcp', oggetto: 'Noleggio fotocopiatrici 100%', data_generazione: '2024-02-10', data_scadenza_offerte: '2024-02-20', importo_cents: 990000, stato: 'annullato' });
  await createCig(ctx.knex, ctx.cast.scuola2.id, { codice: '1234567CE7', oggetto: 'Attività della seconda scuola' });
});

const codes = (html: string) => [...html.matchAll(/<th scope="row" class="codice"><a href="\/cig\/\d+">([0-9A-Z]{10})<\/a>/g)].map((m) => m[1]);

describe('elenco CIG', () => {
  it('lists the school’s CIGs sorted by codice, with the total and sortable headers', async () => {
    const res = await ctx.agent.get('/cig');
    expect(res.status).toBe(200);
    expect(codes(res.text)).toEqual(['9050626CD6', 'B123456659', 'ZC81A2B3C4']);
    expect(res.text).toContain('1–3 di 3 risultati');
    expect(res.text).toMatch(/aria-sort="ascending">\s*<a href="\/cig\?ordina=codice&amp;verso=desc"/);
    expect(res.text).toContain('<caption');
    // The search panel is closed without a search.
    expect(res.text).toMatch(/<details class="registro-panel ricerca-panel flex-grow-1" >/);
    expect(res.text).not.toContain('seconda scuola');
  });

  it('sorts on every column, both ways', async () => {
    const desc = await ctx.agent.get('/cig?ordina=importo&verso=desc');
    expect(codes(desc.text)).toEqual(['B123456659', '9050626CD6', 'ZC81A2B3C4']);
    expect(desc.text).toMatch(/aria-sort="descending">\s*<a href="\/cig\?ordina=importo&amp;verso=asc"/);
    const byDate = await ctx.agent.get('/cig?ordina=data_generazione');
    expect(codes(byDate.text)).toEqual(['ZC81A2B3C4', '9050626CD6', 'B123456659']);
    for (const key of ['codice', 'famiglia', 'oggetto', 'data_generazione', 'data_scadenza_offerte', 'importo', 'fornitore', 'scelta_contraente', 'stato']) {
      for (const verso of ['asc', 'desc']) {
        const res = await ctx.agent.get(`/cig?ordina=${key}&verso=${verso}`);
        expect(res.status, key).toBe(200);
        expect(codes(res.text)).toHaveLength(3);
      }
    }
    // Unknown sort keys fall back to the default, never reach SQL.
    const bad = await ctx.agent.get('/cig?ordina=codice%3Bdrop%20table%20cig&verso=sideways');
    expect(bad.status).toBe(200);
    expect(codes(bad.text)).toEqual(['9050626CD6', 'B123456659', 'ZC81A2B3C4']);
  });

  it('paginates on the server, keeping search and sort in the links', async () => {
    for (let i = 0; i < 26; i++) await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto: `Materiale di facile consumo ${i}` });
    const first = await ctx.agent.get('/cig?oggetto=consumo');
    expect(first.text).toContain('1–25 di 26 risultati');
    expect(first.text).toContain('aria-label="Pagine dell’elenco dei CIG"');
    expect(first.text).toMatch(/href="\/cig\?oggetto=consumo[^"]*pagina=2"/);
    const second = await ctx.agent.get('/cig?oggetto=consumo&pagina=2');
    expect(second.text).toContain('26–26 di 26 risultati');
    expect(codes(second.text)).toHaveLength(1);
    const beyond = await ctx.agent.get('/cig?oggetto=consumo&pagina=99');
    expect(beyond.text).toContain('26–26 di 26 risultati');
    const fifty = await ctx.agent.get('/cig?oggetto=consumo&per=50');
    expect(codes(fifty.text)).toHaveLength(26);
    await ctx.knex('cig').where('oggetto', 'like', 'Materiale di facile consumo%').del();
  });
});

describe('ricerca CIG', () => {
  const search = async (qs: string) => codes((await ctx.agent.get(`/cig?${qs}`)).text);

  it('by codice (in part, any case, with prefix)', async () => {
    expect(await search('codice=9050626')).toEqual(['9050626CD6']);
    expect(await search('codice=cig%3A%20zc81')).toEqual(['ZC81A2B3C4']);
  });

  it('by oggetto ignoring case and accents, and matching % and _ literally', async () => {
    expect(await search('oggetto=attivita')).toEqual(['9050626CD6']);
    expect(await search('oggetto=ATTIVITÀ%20DIDATTICHE')).toEqual(['9050626CD6']);
    expect(await search('oggetto=100%25')).toEqual(['B123456659']);
    expect(await search('oggetto=%25')).toEqual(['B123456659']);
    expect(await search('oggetto=_')).toEqual([]);
    expect(await search("oggetto=' or 1=1 --")).toEqual([]);
  });

  it('by date range on either date, Italian or ISO dates', async () => {
    expect(await search('dal=2023-01-01&al=2023-12-31')).toEqual(['9050626CD6']);
    expect(await search('dal=01/01/2023')).toEqual(['9050626CD6', 'B123456659']);
    expect(await search('campo_data=data_scadenza_offerte&al=31/12/2023')).toEqual(['9050626CD6']);
  });

  it('by stato, famiglia and fornitore', async () => {
    expect(await search('stato=annullato')).toEqual(['B123456659']);
    expect(await search('famiglia=smart')).toEqual(['ZC81A2B3C4']);
    expect(await search(`fornitore_id=${fornitore.id}`)).toEqual(['9050626CD6']);
  });

  it('applies every filled criterion (no «usa» boxes; an old URL with usa= still works, usa ignored), and opens the panel', async () => {
    const res = await ctx.agent.get('/cig?oggetto=pulizia&stato=attivo');
    expect(codes(res.text)).toEqual(['ZC81A2B3C4']);
    expect((await ctx.agent.get('/cig?ricerca=1&usa=stato&oggetto=pulizia&stato=attivo')).text).toBe(res.text);
    expect(res.text).toMatch(/<details class="registro-panel ricerca-panel flex-grow-1" open>/);
    expect(res.text).not.toMatch(/name="usa"/);
  });

  it('says so when nothing matches, and when the register is empty invites Nuovo', async () => {
    const none = await ctx.agent.get('/cig?oggetto=inesistente');
    expect(none.text).toContain('Nessun CIG corrisponde alla ricerca');
    const other = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    await ctx.knex('cig').where({ scuola_id: ctx.cast.scuola2.id }).del();
    const empty = await other.get('/cig');
    expect(empty.text).toContain('Non c’è ancora nessun CIG registrato');
    expect(empty.text).toContain('href="/cig/nuovo"');
  });

  it('reports a malformed date in the search without failing', async () => {
    const res = await ctx.agent.get('/cig?dal=31/02/2023');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Data “dal” non valida');
  });
});

describe('export CIG', () => {
  it('CSV: BOM, semicolons, Italian dates and amounts, quoting, the current search and order', async () => {
    const res = await ctx.agent.get('/cig/export.csv?ordina=importo&verso=desc&stato=attivo');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?cig-\d{4}-\d{2}-\d{2}\.csv"?/);
    const text = res.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Codice CIG;Famiglia;Oggetto della gara;Data generazione;Scadenza offerte;Importo;Fornitore;Scelta del contraente;Stato');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('9050626CD6;CIG ordinario;"Attività didattiche; laboratorio ""STEM""";15/03/2023;01/04/2023;1234,56;Cartoleria Rossi S.r.l.;;Attivo');
    expect(lines[2]).toMatch(/^ZC81A2B3C4;SmartCIG;Pulizia locali;01\/06\/2022;;500,00;/);
  });

  it('XLSX: a real workbook with numbers and dates', async () => {
    const res = await downloadBytes(ctx.agent.get('/cig/export.xlsx?ordina=codice'));
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/cig-\d{4}-\d{2}-\d{2}\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const sheet = wb.getWorksheet('CIG')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Codice CIG');
    expect(sheet.rowCount).toBe(4);
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe('9050626CD6');
    expect(row.getCell(6).value).toBe(1234.56);
    expect(row.getCell(6).numFmt).toContain('€');
    expect(row.getCell(4).value).toEqual(new Date(Date.UTC(2023, 2, 15)));
  });
});

describe('colonne', () => {
  // The admin chooses: the segreteria, whose pages the other tests read, keeps the defaults.
  it('remembers the columns chosen by each user', async () => {
    const admin = await loginAs(ctx.app, ctx.cast.admin.username, ctx.cast.admin.password);
    const token = await csrfToken(admin, '/cig');
    const res = await admin.post('/cig/colonne').type('form').send({ _csrf: token, colonne: ['fornitore', 'famiglia', 'inventata'], ritorno: '/cig?ordina=importo' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/cig?ordina=importo');
    const utente = await ctx.knex('utenti').where({ id: ctx.cast.admin.id }).first();
    expect(utente.preferenze.colonne.cig).toEqual(['fornitore', 'famiglia']);
    const page = await admin.get('/cig');
    expect(page.text).toContain('>Fornitore');
    expect(page.text).toContain('Cartoleria Rossi S.r.l.');
    expect(page.text).not.toMatch(/<a href="[^"]*ordina=oggetto/);
    // An open redirect is refused.
    const away = await admin.post('/cig/colonne').type('form').send({ _csrf: token, colonne: 'oggetto', ritorno: '//evil.example' });
    expect(away.headers.location).toBe('/cig');
    // Another user keeps the defaults.
    expect((await ctx.agent.get('/cig')).text).toMatch(/<a href="[^"]*ordina=oggetto/);
  });
});
