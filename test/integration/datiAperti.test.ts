import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { createCig, createCup } from '../helpers/factories.js';

/** Impostazioni → Dati aperti CIG/CUP: upload, proposals, apply, on the real app and database. */
const ctx = useTwoSchools();
let app: ReturnType<typeof buildTestApp>['app'];

const HEADER = 'cig;numero_gara;oggetto_gara;importo_complessivo_gara;oggetto_lotto;importo_lotto;stato;data_pubblicazione;data_scadenza_offerta;tipo_scelta_contraente;cf_amministrazione_appaltante;cod_cpv';
const row = (cig: string, o: { lotto?: string; importo?: string; pub?: string; scad?: string } = {}) =>
  `${cig};123;Gara di prova;10000.00;${o.lotto ?? 'Fornitura di carta'};${o.importo ?? '1234.56'};ATTIVO;${o.pub ?? '2024-03-12T00:00:00'};${o.scad ?? '2024-03-30'};AFFIDAMENTO DIRETTO;80000000000;30190000-7`;

async function imported(scuolaId: number, oggetto = 'CIG importato dai documenti precedenti') {
  const c = await createCig(ctx.knex, scuolaId, { oggetto, data_generazione: null, da_completare: true, importo_cents: null });
  await ctx.knex('audit_log').insert({ scuola_id: scuolaId, utente_id: null, entita: 'cig', entita_id: c.id, azione: 'crea', dopo: JSON.stringify({ codice: c.codice, origine: 'importazione' }) });
  return c;
}

const upload = async (agent: Awaited<ReturnType<typeof loginAs>>, csv: string, name = 'anac.csv', token?: string) => {
  const t = token ?? (await csrfToken(agent, '/impostazioni/dati-aperti'));
  return agent.post('/impostazioni/dati-aperti').field('_csrf', t).attach('file', Buffer.from(csv), name);
};

/** The checkbox values of the proposals page, as the browser posts them back. */
const choices = (html: string) => [...html.matchAll(/name="scelta" value="([^"]+)"/g)].map((m) => m[1]!.replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));

beforeAll(() => {
  app = buildTestApp(ctx.db).app;
});

describe('dati aperti ANAC', () => {
  it('proposes the school’s own CIGs only, says the date came from data_pubblicazione, and applies with the source in the history', async () => {
    const mine = await imported(ctx.cast.scuola1.id);
    const other = await imported(ctx.cast.scuola2.id);
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const csv = `\uFEFF${HEADER}\n${row(mine.codice)}\n${row(other.codice, { lotto: 'Segreto altra scuola' })}\n${row('9999999999')}\n`;
    const page = await upload(admin, csv);
    expect(page.status).toBe(200);
    expect(page.text).toContain(mine.codice);
    expect(page.text).not.toContain(other.codice);
    expect(page.text).not.toContain('Segreto altra scuola');
    expect(page.text).toContain('12/03/2024');
    expect(page.text).toContain('1.234,56');
    expect(page.text).toContain('data_pubblicazione (data di pubblicazione');
    expect(page.text).toContain('oggetto_lotto');

    const token = await csrfToken(admin, '/impostazioni/dati-aperti');
    const applied = await admin.post('/impostazioni/dati-aperti/applica').type('form').send({ _csrf: token, file: 'anac.csv', scelta: choices(page.text) });
    expect(applied.status).toBe(302);
    const flash = (await admin.get('/impostazioni/dati-aperti')).text;
    expect(flash).toMatch(/5 valori aggiornati su 1 CIG/);

    const stored = await ctx.knex('cig').where({ id: mine.id }).first();
    expect(stored).toMatchObject({ oggetto: 'Fornitura di carta', data_generazione: '2024-03-12', data_scadenza_offerte: '2024-03-30', importo_cents: 123456, da_completare: false, scelta_contraente: 'AFFIDAMENTO_DIRETTO' });
    const audit = await ctx.knex('audit_log').where({ entita: 'cig', entita_id: mine.id, azione: 'modifica' }).first();
    expect(audit.utente_id).toBe(ctx.cast.admin.id);
    expect(audit.dopo.fonte).toContain('dati aperti ANAC: anac.csv');
    expect(audit.dopo.fonte_colonne.data_generazione).toBe('data_pubblicazione');
    const untouched = await ctx.knex('cig').where({ id: other.id }).first();
    expect(untouched).toMatchObject({ data_generazione: null, da_completare: true });
  });

  it('reads upper-case and prefixed headers with a comma, and prefers the creation date', async () => {
    const mine = await imported(ctx.cast.scuola1.id);
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const csv = `bando_CIG,bando_OGGETTO_LOTTO,pubblicazioni_DATA_CREAZIONE,DATA_PUBBLICAZIONE,IMPORTO_LOTTO\n${mine.codice},"Servizio, pulizie",05/02/2024,2024-03-12,"1.500,00"\n`;
    const page = await upload(admin, csv);
    expect(page.status).toBe(200);
    expect(page.text).toContain('05/02/2024');
    expect(page.text).toContain('pubblicazioni_DATA_CREAZIONE');
    expect(page.text).not.toContain('data di pubblicazione: il file');
    expect(page.text).toContain('Servizio, pulizie');
    expect(page.text).toContain('1.500,00');
  });

  it('refuses a file with a wrong separator (422, Italian message) and stores nothing', async () => {
    await imported(ctx.cast.scuola1.id);
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const before = await ctx.knex('audit_log').count({ n: '*' }).first();
    for (const csv of [HEADER.replaceAll(';', '\t'), HEADER.replaceAll(';', '|'), 'nome;cognome\nMario;Rossi']) {
      const res = await upload(admin, `${csv}\n`);
      expect(res.status).toBe(422);
      expect(res.text).toContain('Il file non è un CSV di dati aperti riconosciuto');
      expect(res.text).toContain('punto e virgola');
    }
    const binary = await upload(admin, 'PK\u0003\u0004 non un csv', 'anac.csv');
    expect(binary.status).toBe(422);
    const xlsx = await upload(admin, HEADER, 'anac.xlsx');
    expect(xlsx.status).toBe(422);
    expect(xlsx.text).toContain('Il file deve essere un CSV');
    expect(await ctx.knex('audit_log').count({ n: '*' }).first()).toEqual(before);
  });

  it('keeps the page from secretaries (403) and refuses an upload without the CSRF token (403)', async () => {
    const secretary = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    expect((await secretary.get('/impostazioni/dati-aperti')).status).toBe(403);
    const token = await csrfToken(secretary, '/');
    expect((await secretary.post('/impostazioni/dati-aperti').field('_csrf', token).attach('file', Buffer.from(`${HEADER}\n`), 'a.csv')).status).toBe(403);
    expect((await secretary.post('/impostazioni/dati-aperti/applica').type('form').send({ _csrf: token })).status).toBe(403);

    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const noToken = await admin.post('/impostazioni/dati-aperti').attach('file', Buffer.from(`${HEADER}\n`), 'a.csv');
    expect(noToken.status).toBe(403);
    const wrong = await admin.post('/impostazioni/dati-aperti').field('_csrf', 'sbagliato').attach('file', Buffer.from(`${HEADER}\n`), 'a.csv');
    expect(wrong.status).toBe(403);
    expect((await admin.post('/impostazioni/dati-aperti/applica').type('form').send({ scelta: 'x' })).status).toBe(403);
  });

  it('never proposes replacing an oggetto a person wrote, and refuses it on apply too', async () => {
    const mine = await imported(ctx.cast.scuola1.id, 'Testo della segreteria');
    await ctx.knex('audit_log').insert({
      scuola_id: ctx.cast.scuola1.id, utente_id: ctx.cast.segreteria.id, entita: 'cig', entita_id: mine.id, azione: 'modifica',
      prima: JSON.stringify({ oggetto: 'CIG importato dai documenti precedenti' }), dopo: JSON.stringify({ oggetto: 'Testo della segreteria' }),
    });
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const page = await upload(admin, `${HEADER}\n${row(mine.codice, { lotto: 'Oggetto ANAC' })}\n`);
    expect(page.text).toContain('non proposto: modificato da una persona');
    const values = choices(page.text);
    expect(values.some((v) => v.includes('"c":"oggetto"'))).toBe(false);
    // A crafted post with the oggetto is refused as well.
    const forged = JSON.stringify({ e: 'cig', id: mine.id, v: mine.version, c: 'oggetto', x: 'Oggetto ANAC', col: 'oggetto_lotto' });
    const token = await csrfToken(admin, '/impostazioni/dati-aperti');
    await admin.post('/impostazioni/dati-aperti/applica').type('form').send({ _csrf: token, file: 'a.csv', scelta: [...values, forged] });
    const stored = await ctx.knex('cig').where({ id: mine.id }).first();
    expect(stored.oggetto).toBe('Testo della segreteria');
    expect(stored.data_generazione).toBe('2024-03-12');
  });

  it('skips a record changed between the proposals and the apply, with the message', async () => {
    const a = await imported(ctx.cast.scuola1.id);
    const b = await imported(ctx.cast.scuola1.id);
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const page = await upload(admin, `${HEADER}\n${row(a.codice)}\n${row(b.codice)}\n`);
    await ctx.knex('cig').where({ id: b.id }).update({ note: 'cambiata', version: b.version + 1 });
    const token = await csrfToken(admin, '/impostazioni/dati-aperti');
    await admin.post('/impostazioni/dati-aperti/applica').type('form').send({ _csrf: token, file: 'a.csv', scelta: choices(page.text) });
    const text = (await admin.get('/impostazioni/dati-aperti')).text;
    expect(text).toContain('5 valori aggiornati su 1 CIG; 1 CIG saltato perché modificato da un altro utente');
    expect(text).toContain(b.codice);
    expect((await ctx.knex('cig').where({ id: b.id }).first()).data_generazione).toBeNull();
    expect((await ctx.knex('cig').where({ id: a.id }).first()).data_generazione).toBe('2024-03-12');
  });

  it('completes CUPs from an OpenCUP file', async () => {
    const cup = await createCup(ctx.knex, ctx.cast.scuola1.id, { descrizione: 'CUP importato dai documenti precedenti', importo_finanziato_cents: null });
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const csv = `CUP;DESCRIZIONE_SINTETICA_CUP;ANNO_DECISIONE;STATO_PROGETTO;COSTO_PROGETTO;FINANZIAMENTO_PROGETTO;SOGGETTO_TITOLARE;PIVA_CODFISCALE_SOG_TITOLARE;REGIONE\n${cup.codice};LABORATORI 4.0;2022;ATTIVO;100000;75000.5;IC DEMO;80000000000;LAZIO\n`;
    const page = await upload(admin, csv, 'opencup.csv');
    expect(page.status).toBe(200);
    expect(page.text).toContain('LABORATORI 4.0');
    expect(page.text).toContain('75.000,50');
    const token = await csrfToken(admin, '/impostazioni/dati-aperti');
    await admin.post('/impostazioni/dati-aperti/applica').type('form').send({ _csrf: token, file: 'opencup.csv', scelta: choices(page.text) });
    expect(await ctx.knex('cup').where({ id: cup.id }).first()).toMatchObject({ descrizione: 'LABORATORI 4.0', importo_finanziato_cents: 7500050 });
  });

  it('streams a ~100 MB upload without holding it in memory', { timeout: 300_000 }, async () => {
    const mine = await imported(ctx.cast.scuola1.id);
    const server = http.createServer(app).listen(0);
    try {
      const port = (server.address() as AddressInfo).port;
      const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
      const token = await csrfToken(admin, '/impostazioni/dati-aperti');
      const cookie = (await admin.get('/impostazioni/dati-aperti')).request.cookies;
      const boundary = '----datiaperti';
      const target = 100 * 1024 * 1024;
      const filler = row('1234567890', { lotto: 'x'.repeat(200) });
      const lines = Math.ceil(target / (filler.length + 1));
      async function* body() {
        yield `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="grande.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\n`;
        const block = `${filler}\n`.repeat(1000);
        for (let i = 0; i < lines; i += 1000) {
          if (i === 500_00) yield `${row(mine.codice)}\n`;
          yield block;
        }
        yield `\r\n--${boundary}--\r\n`;
      }
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const sampler = setInterval(() => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); }, 100);
      const res = await fetch(`http://127.0.0.1:${port}/impostazioni/dati-aperti`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie },
        body: Readable.toWeb(Readable.from(body())) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      clearInterval(sampler);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain(mine.codice);
      expect(text).toMatch(/File <strong>grande\.csv<\/strong> \(dati aperti ANAC \(CIG\), 10\d(,\d)? MB/);
      const growth = heapPeak - heapBefore;
      console.log(`upload di ${lines} righe: crescita massima dello heap ${(growth / 1024 / 1024).toFixed(1)} MB`);
      expect(growth).toBeLessThan(target / 3);
    } finally {
      server.close();
    }
  });
});
