import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { expectFieldRefused } from '../helpers/forms.js';
import { downloadBytes } from '../helpers/testApp.js';
import { useSegreteria } from '../helpers/testDatabase.js';
import { createCup, createImpegno, createMandato } from '../helpers/factories.js';

const ctx = useSegreteria('/cup/nuovo');

const countCup = async () => Number((await ctx.knex('cup').where({ scuola_id: ctx.cast.scuola1.id }).count({ n: '*' }).first())?.n);

const valid = (overrides: Record<string, string> = {}) => ({
  _csrf: ctx.token,
  codice: 'C44D22002780006',
  descrizione: 'PNRR Piano Scuola 4.0 – Next Generation Classroom',
  importo_finanziato: '75.000,00',
  fonte_finanziamento: 'PNRR',
  stato: 'attivo',
  note: '',
  ...overrides,
});
const post = (body: Record<string, string>, path = '/cup') => ctx.agent.post(path).type('form').send(body);

describe('Nuovo CUP', () => {
  it('shows the form with asterisks on codice and descrizione', async () => {
    const res = await ctx.agent.get('/cup/nuovo');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/for="codice" class="active">Codice CUP <span class="required-mark"/);
    expect(res.text).toMatch(/for="descrizione" class="active">[^<]+ <span class="required-mark"/);
    expect(res.text).toContain('value="PON/FSE"');
  });

  it('stores a CUP, deriving the year; the record links to OpenCUP', async () => {
    const res = await post(valid({ codice: ' cup: c44d22002780006 ' }));
    expect(res.status).toBe(302);
    const row = await ctx.knex('cup').where({ codice: 'C44D22002780006' }).first();
    expect(row).toMatchObject({ anno_decisione: 2022, importo_finanziato_cents: 7500000, fonte_finanziamento: 'PNRR', stato: 'attivo' });
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain('CUP C44D22002780006 inserito');
    expect(page.text).toContain('opencup.gov.it/portale/progetto/-/cup/C44D22002780006');
    expect(page.text).toContain('75.000,00');
  });

  it('accepts a CUP whose digits would be a future year, leaving the year empty with a warning, and every fonte of the database', async () => {
    const res = await post(valid({ codice: 'B31B95000000003', fonte_finanziamento: 'Enti locali' }));
    expect(res.status).toBe(302);
    expect(await ctx.knex('cup').where({ scuola_id: ctx.cast.scuola1.id, codice: 'B31B95000000003' }).first('anno_decisione')).toEqual({ anno_decisione: null });
    expect((await ctx.agent.get(res.headers.location!)).text).toContain('2095, un anno futuro: l’anno di decisione resta vuoto');
    let n = 10;
    for (const fonte of ['PON/FSE', 'FESR', 'Stato', 'Privati', 'Altro']) {
      const r = await post(valid({ codice: `J11H230000000${n++}`, fonte_finanziamento: fonte }));
      expect(r.status, fonte).toBe(302);
    }
  });

  const refusals: [string, Record<string, string>, string, RegExp][] = [
    ['wrong shape', { codice: 'C44D2200278000' }, 'codice', /Lunghezza errata/],
    ['letter where a digit goes', { codice: 'C44D22OO2780006' }, 'codice', /posizione 7/],
    ['missing descrizione', { descrizione: '' }, 'descrizione', /Inserisci la descrizione/],
    ['10,000-character descrizione', { descrizione: 'x'.repeat(10_000) }, 'descrizione', /troppo lunga/],
    ['bad amount', { importo_finanziato: 'mille' }, 'importo_finanziato', /1\.234,56/],
    ['unknown fonte', { fonte_finanziamento: 'PON_FSE' }, 'fonte_finanziamento', /dall’elenco/],
    ['unknown stato', { stato: "attivo'; --" }, 'stato', /attivo, chiuso o annullato/],
  ];
  for (const [name, overrides, field, message] of refusals) {
    it(`refuses ${name} with 422 and nothing stored`, async () => {
      const before = await countCup();
      const res = await post(valid({ codice: 'D12E24000000001', ...overrides }));
      expectFieldRefused(res, field, message);
      expect(await countCup()).toBe(before);
    });
  }

  it('escapes <script> in descrizione', async () => {
    const res = await post(valid({ codice: 'D12E24000000002', descrizione: '<script>alert(1)</script>' }));
    expect(res.status).toBe(302);
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('stores one of two concurrent creates; the other gets "CUP già presente"', async () => {
    const codice = 'E55F23000000001';
    const [a, b] = await Promise.all([post(valid({ codice })), post(valid({ codice }))]);
    expect([a.status, b.status].sort()).toEqual([302, 422]);
    expect((a.status === 422 ? a : b).text).toContain('CUP già presente');
    expect(Number((await ctx.knex('cup').where({ codice }).count({ n: '*' }).first())?.n)).toBe(1);
  });

  it('JSON create: 201 and 422', async () => {
    const ok = await ctx.agent.post('/cup').set('Accept', 'application/json').set('x-csrf-token', ctx.token).send({ codice: 'F66G24000000001', descrizione: 'Dal modale' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ codice: 'F66G24000000001', label: 'F66G24000000001 – Dal modale' });
    const ko = await ctx.agent.post('/cup').set('Accept', 'application/json').set('x-csrf-token', ctx.token).send({ codice: 'F66G24000000001', descrizione: 'Doppio' });
    expect(ko.status).toBe(422);
    expect(ko.body.errors.codice).toContain('CUP già presente');
    expect(ko.body.esistente.id).toBe(ok.body.id);
  });
});

describe('Modifica, stato, elimina', () => {
  it('edits with the version, refuses a stale one with 409, keeps the history', async () => {
    const cup = await createCup(ctx.knex, ctx.cast.scuola1.id, { descrizione: 'Prima' });
    expect((await ctx.agent.get(`/cup/${cup.id}/modifica`)).text).toContain('name="version" value="1"');
    expect((await post(valid({ codice: cup.codice, descrizione: 'Dopo', version: '1' }), `/cup/${cup.id}`)).status).toBe(302);
    const stale = await post(valid({ codice: cup.codice, descrizione: 'Vecchia', version: '1' }), `/cup/${cup.id}`);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Vecchia');
    expect((await ctx.knex('cup').where({ id: cup.id }).first())).toMatchObject({ descrizione: 'Dopo', version: 2 });
    const page = await ctx.agent.get(`/cup/${cup.id}`);
    expect(page.text).toMatch(/Descrizione del progetto<\/td><td>Prima<\/td><td>Dopo<\/td>/);
  });

  it('annulla / riattiva; a used CUP cannot be deleted; an unused one can', async () => {
    const cup = await createCup(ctx.knex, ctx.cast.scuola1.id, { importo_finanziato_cents: 10000 });
    // Without the confirmation nothing changes; with it the CUP is annullato.
    const refused = await post({ _csrf: ctx.token, version: '1' }, `/cup/${cup.id}/annulla`);
    expect(refused.status).toBe(303);
    expect(await ctx.knex('cup').where({ id: cup.id }).first()).toMatchObject({ stato: 'attivo', version: 1 });
    expect((await ctx.agent.get(`/cup/${cup.id}`)).text).toContain('Il CUP non è stato annullato: per annullarlo spunta «Confermo l’annullamento del CUP» e premi di nuovo «Annulla il CUP».');
    const record = await ctx.agent.get(`/cup/${cup.id}`);
    expect(record.text).toContain('>Annulla il CUP</button>');
    expect(record.text).toContain('for="annulla-conferma">Confermo l’annullamento del CUP</label>');
    expect((await post({ _csrf: ctx.token, version: '1', conferma: '1' }, `/cup/${cup.id}/annulla`)).status).toBe(302);
    expect((await ctx.knex('cup').where({ id: cup.id }).first()).stato).toBe('annullato');
    expect((await post({ _csrf: ctx.token, version: '2' }, `/cup/${cup.id}/riattiva`)).status).toBe(302);
    expect((await ctx.knex('cup').where({ id: cup.id }).first()).stato).toBe('attivo');

    const imp = await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cup_id: cup.id, importo_cents: 20000 });
    const man = await createMandato(ctx.knex, ctx.cast.scuola1.id, imp, { cup_id: cup.id, importo_cents: 5000 });
    await ctx.knex('voci_destinazione').where({ scuola_id: ctx.cast.scuola1.id }).limit(1).update({ cup_id: cup.id });
    const page = await ctx.agent.get(`/cup/${cup.id}`);
    expect(page.text).toContain(`href="/impegni/${imp.id}"`);
    expect(page.text).toContain(`href="/mandati/${man.id}"`);
    expect(page.text).toContain('/impostazioni/piano-destinazioni?esercizio=');
    expect(page.text).toContain('superano l’importo');
    await post({ _csrf: ctx.token }, `/cup/${cup.id}/elimina`);
    expect(await ctx.knex('cup').where({ id: cup.id }).first()).toBeDefined();

    const unused = await createCup(ctx.knex, ctx.cast.scuola1.id);
    expect((await post({ _csrf: ctx.token }, `/cup/${unused.id}/elimina`)).status).toBe(302);
    expect(await ctx.knex('cup').where({ id: unused.id }).first()).toBeUndefined();
  });

  it('answers 404 for another school’s CUP and for bad ids', async () => {
    const foreign = await createCup(ctx.knex, ctx.cast.scuola2.id, { descrizione: 'Altrui' });
    for (const path of [`/cup/${foreign.id}`, `/cup/${foreign.id}/modifica`, `/cup/${foreign.id}/elimina`, '/cup/xyz', '/cup/0/modifica']) {
      expect((await ctx.agent.get(path)).status, path).toBe(404);
    }
    for (const path of [`/cup/${foreign.id}`, `/cup/${foreign.id}/elimina`, `/cup/${foreign.id}/annulla`]) {
      expect((await post(valid({ codice: foreign.codice, version: '1' }), path)).status, path).toBe(404);
    }
    expect(await ctx.knex('cup').where({ id: foreign.id }).first()).toMatchObject({ descrizione: 'Altrui', stato: 'attivo' });
  });
});

describe('elenco, ricerca, export CUP', () => {
  const codes = (html: string) => [...html.matchAll(/<th scope="row" class="codice"><a href="\/cup\/\d+">([0-9A-Z]{15})<\/a>/g)].map((m) => m[1]);

  beforeAll(async () => {
    const s = ctx.cast.scuola1.id;
    await createCup(ctx.knex, s, { codice: 'H11J21000000001', descrizione: 'Città educante', anno_decisione: 2021, fonte_finanziamento: 'FESR', importo_finanziato_cents: 300 });
    await createCup(ctx.knex, s, { codice: 'H11J22000000002', descrizione: 'Laboratori STEM', anno_decisione: 2022, fonte_finanziamento: 'PNRR', stato: 'chiuso', importo_finanziato_cents: 100 });
  });

  it('searches by codice, descrizione (accents), anno, fonte, stato and sorts', async () => {
    const list = async (qs: string) => codes((await ctx.agent.get(`/cup?${qs}`)).text);
    expect((await list('codice=h11j')).length).toBeGreaterThanOrEqual(2);
    expect(await list('descrizione=CITTA')).toEqual(['H11J21000000001']);
    expect(await list('anno=2022&codice=H11J')).toEqual(['H11J22000000002']);
    expect(await list('fonte=FESR&codice=H11J')).toEqual(['H11J21000000001']);
    expect(await list('stato=chiuso')).toContain('H11J22000000002');
    expect(await list('codice=H11J&ordina=importo_finanziato&verso=asc')).toEqual(['H11J22000000002', 'H11J21000000001']);
    const bad = await ctx.agent.get('/cup?anno=22');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Anno di decisione non valido');
  });

  it('exports CSV and XLSX of the current search', async () => {
    const csv = await ctx.agent.get('/cup/export.csv?codice=H11J&ordina=codice');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Codice CUP;Descrizione del progetto;Anno di decisione;Importo finanziato;Fonte di finanziamento;Stato');
    expect(lines[1]).toBe('H11J21000000001;Città educante;2021;3,00;FESR;Attivo');
    const xlsx = await downloadBytes(ctx.agent.get('/cup/export.xlsx?codice=H11J'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = wb.getWorksheet('CUP')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('H11J21000000001');
    expect(sheet.getRow(2).getCell(3).value).toBe(2021);
    expect(sheet.getRow(2).getCell(4).value).toBe(3);
  });

  it('remembers the CUP columns separately from the CIG ones', async () => {
    const res = await post({ _csrf: ctx.token, colonne: 'stato', ritorno: '/cup' } as Record<string, string>, '/cup/colonne');
    expect(res.status).toBe(302);
    const utente = await ctx.knex('utenti').where({ id: ctx.cast.segreteria.id }).first();
    expect(utente.preferenze.colonne).toEqual({ cup: ['stato'] });
    expect((await ctx.agent.get('/cup')).text).not.toContain('ordina=descrizione');
  });
});
