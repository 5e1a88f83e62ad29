import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { useSegreteria } from '../helpers/testDatabase.js';
import { csrfToken, downloadBytes, loginAs } from '../helpers/testApp.js';
import { createCig, createCreditore, createCup, createImpegno, createMandato, createScuola, createUtente } from '../helpers/factories.js';
import { createFattura } from '../helpers/fatture.js';
import { createFlussiService } from '../../src/services/flussiService.js';

/**
 * Gestisci → Fatture: the register (search, sort, pages, exports, columns),
 * the readable invoice page, the invoices of a CIG/CUP, the Flussi warning on
 * an invoice's CIG, and one school never seeing another's invoices.
 */
const ctx = useSegreteria();
const SCHOOL_CF = '97812345011';
const fixture = (name: string) => readFileSync(`test/fixtures/fatturapa/${name}`);
type Agent = typeof ctx.agent;

/** Ids of the invoices listed, in the list's order. */
const ids = (html: string) => [...html.matchAll(/<th scope="row" class=""><a href="\/fatture\/(\d+)">/g)].map((m) => Number(m[1]));

let f: Record<string, { id: number }> = {};
let altra: { id: number };

async function upload(agent: Agent, name: string, bytes: Buffer) {
  const token = await csrfToken(agent, '/fatture/carica');
  const res = await agent.post('/fatture/carica').field('_csrf', token).attach('file', bytes, name);
  expect(res.status).toBe(200);
}

const fatturaOf = async (numero: string) => (await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero }).first())!;

beforeAll(async () => {
  const s = ctx.cast.scuola1.id;
  await ctx.knex('scuole').where({ id: s }).update({ codice_fiscale: SCHOOL_CF });
  const creditore = await createCreditore(ctx.knex, s, { denominazione: 'Bianchi' });
  f = {
    rossi: await createFattura(ctx.knex, s, { numero: 'R-1/2026', data: '2026-03-10', fornitore_denominazione: 'Cartoleria Rossì S.r.l.', fornitore_chiave: 'A1', totale_cents: 122_000, scadenza: '2026-04-10', cig: '9050626CD6', senza_cig: false }),
    bianchi: await createFattura(ctx.knex, s, { numero: 'B-7', data: '2026-05-02', fornitore_denominazione: 'Ditta Bianchi', fornitore_chiave: 'A2', totale_cents: 5_000, scadenza: null, cup: 'C44D22002780006', creditore_id: creditore.id, codici_da_verificare: true, senza_cig: false, cig: 'ZB93A1B2C4' }),
    verdi: await createFattura(ctx.knex, s, { numero: 'V 100', data: '2026-01-20', fornitore_denominazione: 'Informatica Verdi', fornitore_chiave: 'A3', totale_cents: 40_000, tipo_documento: 'TD04', scadenza: '2026-02-20' }),
    gialli: await createFattura(ctx.knex, s, { numero: 'G-9', data: '2026-02-14', fornitore_denominazione: 'Pulizie Gialli', fornitore_chiave: 'A4', totale_cents: 9_999, tipo_documento: 'TD99', split_payment: true, scadenza: '2026-03-01' }),
  };
  await ctx.knex('fatture_codici').insert({ scuola_id: s, fattura_id: f.verdi!.id, tipo: 'cig', campo: 'cig', scritto: 'cig 731245L974', codice: '731245L974', esito: 'correzione', righe: '[]' });
  await ctx.knex('fatture_file').where({ id: (await ctx.knex('fatture').where({ id: f.gialli!.id }).first()).file_id }).update({ avvisi: JSON.stringify(['Elemento mancante']) });
  altra = await createFattura(ctx.knex, ctx.cast.scuola2.id, { numero: 'ALTRA-1', fornitore_denominazione: 'Cartoleria Rossi della seconda scuola', cig: '9050626CD6', senza_cig: false });
});

describe('elenco delle fatture', () => {
  it('lists the school’s invoices, newest first, with Italian dates, amounts, labels and problem badges', async () => {
    const res = await ctx.agent.get('/fatture');
    expect(res.status).toBe(200);
    expect(ids(res.text)).toEqual([f.bianchi!.id, f.rossi!.id, f.gialli!.id, f.verdi!.id]);
    expect(res.text).toContain('1–4 di 4 risultati');
    expect(res.text).toContain('href="/fatture/carica">Carica fatture</a>');
    expect(res.text).toContain('10/03/2026');
    expect(res.text).toContain('1.220,00\u00a0€');
    expect(res.text).toContain('Da collegare');
    expect(res.text).toContain('Nota di credito');
    expect(res.text).toContain('<span class="badge badge-avviso">senza CIG</span>');
    expect(res.text).toContain('<span class="badge badge-avviso">codici da verificare</span>');
    expect(res.text).toContain('<span class="badge badge-avviso">senza creditore</span>');
    expect(res.text).toContain('<span class="badge badge-avviso">avvisi di schema</span>');
    expect(res.text).toMatch(/aria-sort="descending">\s*<a href="\/fatture\?ordina=data&amp;verso=asc"/);
    expect(res.text).not.toContain('ALTRA-1');
  });

  it('shows the tipo documento with its label, an unknown code as it is, and split payment as Sì/No', async () => {
    const agent = await loginAs(ctx.app, ctx.cast.admin.username, ctx.cast.admin.password);
    const token = await csrfToken(agent, '/fatture');
    const saved = await agent.post('/fatture/colonne').type('form').send({ _csrf: token, colonne: ['numero', 'tipo_documento', 'split_payment', 'imponibile', 'iva', 'cup'], ritorno: '/fatture?ordina=totale' });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe('/fatture?ordina=totale');
    const res = await agent.get('/fatture');
    expect(res.text).toContain('TD04 Nota di credito');
    expect(res.text).toContain('TD01 Fattura');
    expect(res.text).toMatch(/<td class="" data-label="[^"]*">TD99<\/td>/);
    expect(res.text).toMatch(/<td class="" data-label="[^"]*">Sì<\/td>/);
    expect(res.text).toContain('C44D22002780006');
    expect(res.text).not.toMatch(/class="sort-link[^"]*">Scadenza/);
    // Unsortable columns have a plain header.
    expect(res.text).toMatch(/<th scope="col">\s*Tipo documento\s*<\/th>/);
    // The other user keeps the default columns.
    expect((await ctx.agent.get('/fatture')).text).toMatch(/class="sort-link[^"]*">Scadenza/);
  });

  it('refuses to save the columns without the CSRF token', async () => {
    const res = await ctx.agent.post('/fatture/colonne').type('form').send({ colonne: ['numero'] });
    expect(res.status).toBe(403);
  });

  it('sorts on each sortable column, both ways; an unknown key falls back to the default', async () => {
    const expected: Record<string, number[]> = {
      fornitore: [f.rossi!.id, f.bianchi!.id, f.verdi!.id, f.gialli!.id],
      numero: [f.bianchi!.id, f.gialli!.id, f.rossi!.id, f.verdi!.id],
      totale: [f.bianchi!.id, f.gialli!.id, f.verdi!.id, f.rossi!.id],
      scadenza: [f.verdi!.id, f.gialli!.id, f.rossi!.id, f.bianchi!.id],
      data: [f.verdi!.id, f.gialli!.id, f.rossi!.id, f.bianchi!.id],
    };
    for (const [key, order] of Object.entries(expected)) {
      expect(ids((await ctx.agent.get(`/fatture?ordina=${key}&verso=asc`)).text), key).toEqual(order);
      const desc = ids((await ctx.agent.get(`/fatture?ordina=${key}&verso=desc`)).text);
      // Empty values stay last either way (the scadenza of Bianchi).
      if (key === 'scadenza') expect(desc).toEqual([f.rossi!.id, f.gialli!.id, f.verdi!.id, f.bianchi!.id]);
      else expect(desc, key).toEqual([...order].reverse());
    }
    const stato = await ctx.agent.get('/fatture?ordina=stato&verso=asc');
    expect(ids(stato.text)).toHaveLength(4);
    const bad = await ctx.agent.get('/fatture?ordina=totale%3Bdrop%20table%20fatture&verso=storto');
    expect(bad.status).toBe(200);
    expect(ids(bad.text)).toEqual([f.bianchi!.id, f.rossi!.id, f.gialli!.id, f.verdi!.id]);
  });

  it('filters by each criterion of the search panel', async () => {
    const found = async (qs: string) => ids((await ctx.agent.get(`/fatture?${qs}`)).text).sort((a, b) => a - b);
    const sorted = (...xs: { id: number }[]) => xs.map((x) => x.id).sort((a, b) => a - b);
    expect(await found('fornitore=rossi')).toEqual(sorted(f.rossi!)); // accent ignored (Rossì)
    expect(await found('fornitore=INFORMATICA%20verdi')).toEqual(sorted(f.verdi!));
    expect(await found('numero=b-7')).toEqual(sorted(f.bianchi!));
    expect(await found('codice=626cd')).toEqual(sorted(f.rossi!));
    expect(await found('codice=C44D2200')).toEqual(sorted(f.bianchi!));
    expect(await found('codice=731245')).toEqual(sorted(f.verdi!)); // a code written on the invoice, not the one it is filed under
    expect(await found('stato=nota_credito')).toEqual(sorted(f.verdi!));
    expect(await found('stato=da_collegare')).toEqual(sorted(f.rossi!, f.bianchi!, f.gialli!));
    expect(await found('tipo_documento=TD04')).toEqual(sorted(f.verdi!));
    expect(await found('dal=01/02/2026&al=31/03/2026')).toEqual(sorted(f.rossi!, f.gialli!));
    expect(await found('dal=01/05/2026')).toEqual(sorted(f.bianchi!));
    expect(await found('problemi=senza_cig')).toEqual(sorted(f.verdi!, f.gialli!));
    expect(await found('problemi=codici_da_verificare')).toEqual(sorted(f.bianchi!));
    expect(await found('problemi=senza_creditore')).toEqual(sorted(f.rossi!, f.verdi!, f.gialli!));
    expect(await found('problemi=senza_cig&problemi=senza_creditore&fornitore=gialli')).toEqual(sorted(f.gialli!));
    // Every filled criterion applies; an old URL's usa= is ignored.
    expect(await found('ricerca=1&usa=numero&numero=G-9&fornitore=gialli')).toEqual(sorted(f.gialli!));
    expect(await found('ricerca=1&usa=numero&numero=G-9&fornitore=rossi')).toEqual([]);
    const none = await ctx.agent.get('/fatture?fornitore=nessuno');
    expect(none.text).toContain('Nessuna fattura corrisponde alla ricerca');
    expect(none.text).toMatch(/<details class="registro-panel ricerca-panel flex-grow-1" open>/);
  });

  it('answers a bad search value with an Italian message in the panel, never a 500', async () => {
    const cases: [string, string][] = [
      ['dal=31/02/2026', 'Data “dal” non valida'],
      ['al=ieri', 'Data “al” non valida'],
      ['dal=01/04/2026&al=01/03/2026', 'viene prima della data “dal”'],
      ['stato=smarrita', 'Stato non valido'],
      ['tipo_documento=XX01', 'Tipo documento non valido'],
      ['codice=%25%27%3B--', 'Codice non valido'],
      ['problemi=rotta', 'Problema non valido'],
    ];
    for (const [qs, message] of cases) {
      const res = await ctx.agent.get(`/fatture?${qs}`);
      expect(res.status, qs).toBe(422);
      expect(res.text, qs).toContain(message);
      expect(res.text, qs).toContain('Controlla i dati inseriti');
      expect(ids(res.text), qs).toHaveLength(4); // the bad value is left out
    }
    for (const qs of ['pagina=-1', 'pagina=abc', 'fornitore[]=x', 'fornitore[a]=b', 'numero=%25_%5C', 'per=1000000']) {
      const res = await ctx.agent.get(`/fatture?${qs}`);
      expect(res.status, qs).toBe(200);
    }
  });

  it('paginates on the server, keeping the search and the sort in the links', async () => {
    for (let i = 0; i < 26; i++) {
      await createFattura(ctx.knex, ctx.cast.scuola1.id, { numero: `P-${i}`, fornitore_denominazione: 'Tipografia Paginata', fornitore_chiave: `P${i}`, data: '2025-06-01' });
    }
    const first = await ctx.agent.get('/fatture?fornitore=paginata&ordina=numero');
    expect(first.text).toContain('1–25 di 26 risultati');
    expect(first.text).toContain('aria-label="Pagine dell’elenco delle fatture"');
    expect(first.text).toMatch(/href="\/fatture\?fornitore=paginata&amp;ordina=numero&amp;verso=asc&amp;pagina=2"/);
    const second = await ctx.agent.get('/fatture?fornitore=paginata&ordina=numero&verso=asc&pagina=2');
    expect(second.text).toContain('26–26 di 26 risultati');
    expect(ids(second.text)).toHaveLength(1);
    const beyond = await ctx.agent.get('/fatture?fornitore=paginata&pagina=99');
    expect(beyond.text).toContain('26–26 di 26 risultati');
    await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, fornitore_denominazione: 'Tipografia Paginata' }).del();
  });

  it('exports the filtered list as CSV and XLSX, with the list’s columns and only this school’s rows', async () => {
    const csv = await ctx.agent.get('/fatture/export.csv?stato=da_collegare&ordina=totale&verso=desc');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="?fatture-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toContain('Fornitore;Numero;Data;Tipo documento;Totale;Imponibile;IVA;Split payment;Scadenza;CIG;CUP;Stato;Problemi');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('Cartoleria Rossì S.r.l.;R-1/2026;10/03/2026;TD01 Fattura;1220,00;');
    expect(lines[1]).toContain(';No;10/04/2026;9050626CD6;;Da collegare;senza creditore');
    expect(lines[2]).toContain('TD99');
    expect(lines[2]).toContain(';Sì;');
    expect(lines[3]).toContain('Ditta Bianchi;B-7;');
    expect(lines[3]).toContain('codici da verificare');
    expect(csv.text).not.toContain('ALTRA-1');
    expect(csv.text).not.toContain('Informatica Verdi');

    const xlsx = await downloadBytes(ctx.agent.get('/fatture/export.xlsx?fornitore=rossi'));
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('Fatture');
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(1).getCell(1).value).toBe('Fornitore');
    expect(sheet.getRow(2).getCell(2).value).toBe('R-1/2026');
    expect(sheet.getRow(2).getCell(5).value).toBe(1220);
    expect(sheet.getRow(2).getCell(3).value).toEqual(new Date(Date.UTC(2026, 2, 10)));
  });
});

describe('una scuola con molte fatture', () => {
  it('counts no further than 1,000 matches: says "oltre" and keeps the pages within them', async () => {
    const scuola = await createScuola(ctx.knex);
    const user = await createUtente(ctx.knex, scuola.id);
    await ctx.knex.raw(
      `insert into fatture_file (scuola_id, tipo, nome, busta, sha256, dimensione, contenuto)
       select ?, 'fattura', 'IT0_' || n || '.xml', 'xml', md5('molte-' || n) || md5('file-' || n), 3, '<x/>'::bytea from generate_series(1, 2) as n`,
      [scuola.id],
    );
    await ctx.knex.raw(
      `insert into fatture (scuola_id, file_id, corpo, formato, tipo_documento, numero, data, fornitore_chiave, fornitore_denominazione,
          totale_cents, imponibile_cents, imposta_cents, importo_dovuto_cents, senza_cig)
       select ?, f.id, (g.n - 1) % 1000 + 1, 'FPA12', 'TD01', 'M' || g.n, date '2026-01-01' + (g.n % 300), 'K', 'Fornitore Molte', 100, 82, 18, 100, true
       from generate_series(1, 1001) as g(n)
       join (select id, row_number() over (order by id) as k from fatture_file where scuola_id = ?) f on f.k = (g.n - 1) / 1000 + 1`,
      [scuola.id, scuola.id],
    );
    const agent = await loginAs(ctx.app, user.username, user.password);
    const first = await agent.get('/fatture');
    expect(first.text).toContain('1–25 di oltre 1.000 risultati: restringi la ricerca, o esporta l’elenco per averli tutti');
    const last = await agent.get('/fatture?pagina=999');
    expect(last.text).toContain('976–1000 di oltre 1.000 risultati');
    const fewer = await agent.get('/fatture?numero=M100');
    expect(fewer.text).toContain('1–3 di 3 risultati'); // M100, M1000, M1001: exact below the cap
    const csv = await agent.get('/fatture/export.csv');
    expect(csv.text.trim().split(/\r?\n/)).toHaveLength(1002);
  });
});

describe('pagina della fattura', () => {
  beforeAll(async () => {
    await upload(ctx.agent, 'IT01234567897_A0001.xml', fixture('semplice.xml'));
    await upload(ctx.agent, 'IT04512345671_S0001.xml', fixture('split-payment.xml'));
    await upload(ctx.agent, 'IT02888110406_L0001.xml', fixture('lotto.xml'));
  });

  it('shows supplier, cessionario, document, lines, totals, payment terms, codes, the file with its SHA-256, stato and history', async () => {
    const row = await fatturaOf('FPA 12/25');
    const res = await ctx.agent.get(`/fatture/${row.id}`);
    expect(res.status).toBe(200);
    const t = res.text;
    const file = await ctx.knex('fatture_file').where({ id: row.file_id }).first();
    const shown = [
      'Fattura n. FPA 12/25 del 14/03/2025', 'Cartoleria Rossi &amp; Figli S.r.l.', 'IT01234567897', 'Via Tiburtina', // supplier
      'Istituto Comprensivo Demo', 'TD01 Fattura', // cessionario, document
      'Risme carta A4 80 g/m², confezione da 500 fogli', '50,00', '4,20\u00a0€', '210,00\u00a0€', '22,00 %', // a line
      'MP05 bonifico', '13/04/2025', 'IT98Q0306903200100000012345', // payment terms
      'Codici letti dalla fattura', '9050626CD6', 'tutta la fattura', // codes and their lines
      file.sha256, `href="/fatture/${row.id}/file"`, 'Identificativo SdI', 'Stato: Da collegare', 'Storia delle modifiche', 'Inserimento',
    ];
    for (const text of shown) expect(t).toContain(text);
    expect(t).toMatch(/Imponibile<\/dt><dd[^>]*>300,00\u00a0€/);
    expect(t).toMatch(/IVA<\/dt><dd[^>]*>66,00\u00a0€/);
    expect(t).toMatch(/Totale documento<\/dt><dd[^>]*>366,00\u00a0€/);
    expect(t).not.toContain('split-payment');
    // The collegamento panel stays on the page.
    expect(t).toContain('id="codici-title"');
  });

  it('explains split payment: the IVA goes from the school to the Erario', async () => {
    const row = await fatturaOf('2025/PA/0457');
    const t = (await ctx.agent.get(`/fatture/${row.id}`)).text;
    expect(t).toContain('id="split-payment"');
    expect(t).toContain('la scuola paga al fornitore 2.500,00\u00a0€ e versa l’IVA di 550,00\u00a0€ direttamente all’Erario');
  });

  it('shows only its own body of a lotto', async () => {
    const first = await fatturaOf('101');
    const second = await fatturaOf('102');
    const a = (await ctx.agent.get(`/fatture/${first.id}`)).text;
    const b = (await ctx.agent.get(`/fatture/${second.id}`)).text;
    expect(a).toContain('Assistenza sistemistica laboratorio');
    expect(a).not.toContain('Switch di rete 24 porte');
    expect(a).toContain('Fattura 1 di 2 dello stesso file (lotto)');
    expect(b).toContain('Switch di rete 24 porte');
    expect(b).toContain('2,4375\u00a0€');
    expect(b).not.toContain('Assistenza sistemistica laboratorio');
  });

  it('renders an invoice of 5,000 lines: the first 200, and says how many are in the file', async () => {
    const line = (n: number) =>
      `<DettaglioLinee><NumeroLinea>${n}</NumeroLinea><Descrizione>Articolo n. ${n}</Descrizione><Quantita>1.00</Quantita>` +
      '<PrezzoUnitario>1.00</PrezzoUnitario><PrezzoTotale>1.00</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee>';
    const xml = fixture('semplice.xml').toString('utf8')
      .replace(/<Numero>[^<]+<\/Numero>/, '<Numero>LUNGA-5000</Numero>')
      .replace(/<DettaglioLinee>[\s\S]*<\/DettaglioLinee>/, Array.from({ length: 5000 }, (_, i) => line(i + 1)).join('\n'));
    await upload(ctx.agent, 'IT01234567897_LUNGA.xml', Buffer.from(xml));
    const row = await fatturaOf('LUNGA-5000');
    const res = await ctx.agent.get(`/fatture/${row.id}`);
    expect(res.status).toBe(200);
    expect(res.text.match(/<tr class="linea">/g)).toHaveLength(200);
    expect(res.text).toContain('Articolo n. 200<');
    expect(res.text).not.toContain('Articolo n. 201<');
    expect(res.text).toContain('Sono mostrate le prime 200 righe di 5.000: le altre 4.800 sono nel file originale');
  });

  it('still shows what was stored when the file cannot be read again', async () => {
    const res = await ctx.agent.get(`/fatture/${f.rossi!.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Il file originale non si riesce a rileggere');
    expect(res.text).toContain('1.220,00\u00a0€');
    // The payment terms stored at upload.
    expect(res.text).toContain('MP05 bonifico');
    expect(res.text).toContain('IT60X0542811101000000123456');
  });
});

describe('fatture di un CIG o di un CUP', () => {
  it('lists on the CIG and CUP pages the invoices that carry the code, with fatturato and pagato', async () => {
    const s = ctx.cast.scuola1.id;
    const cig = await createCig(ctx.knex, s, { codice: '9050626CD6' });
    const cup = await createCup(ctx.knex, s, { codice: 'C44D22002780006' });
    await ctx.knex('fatture').where({ id: f.rossi!.id }).update({ pagato_cents: 20_000, impegno_id: (await createImpegno(ctx.knex, s)).id });
    const page = await ctx.agent.get(`/cig/${cig.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fatture con questo CIG');
    expect(page.text).toContain(`href="/fatture/${f.rossi!.id}"`);
    expect(page.text).toContain(`href="/fatture/${(await fatturaOf('FPA 12/25')).id}"`);
    expect(page.text).not.toContain('ALTRA-1');
    expect(page.text).not.toContain(`href="/fatture/${f.bianchi!.id}"`);
    // R-1/2026 (1.220,00) + FPA 12/25 (366,00) + LUNGA-5000 (366,00).
    expect(page.text).toMatch(/Fatturato \(note di credito sottratte\)<\/dt><dd[^>]*>1\.952,00\u00a0€/);
    expect(page.text).toMatch(/Pagato<\/dt><dd[^>]*>200,00\u00a0€/);

    const cupPage = await ctx.agent.get(`/cup/${cup.id}`);
    expect(cupPage.text).toContain('Fatture con questo CUP');
    expect(cupPage.text).toContain(`href="/fatture/${f.bianchi!.id}"`);
    expect(cupPage.text).toContain(`href="/fatture/${(await fatturaOf('FPA 12/25')).id}"`);
    await ctx.knex('fatture').where({ id: f.rossi!.id }).update({ pagato_cents: 0, impegno_id: null });
  });

  it('says so when no invoice carries the code', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const page = await ctx.agent.get(`/cig/${cig.id}`);
    expect(page.text).toContain('Nessuna fattura elettronica ricevuta riporta questo CIG.');
  });
});

describe('Flussi', () => {
  it('warns when a mandato pays an invoice whose CIG is not the impegno’s', async () => {
    const s = ctx.cast.scuola1.id;
    const cigA = await createCig(ctx.knex, s);
    const cigB = await createCig(ctx.knex, s);
    const stesso = await createImpegno(ctx.knex, s, { cig_id: cigA.id });
    const diverso = await createImpegno(ctx.knex, s, { cig_id: cigB.id });
    const senza = await createImpegno(ctx.knex, s);
    const conCig = async (impegno: { id: number; esercizio: number }, cig: string) => {
      const fattura = await createFattura(ctx.knex, s, { cig, senza_cig: false, fornitore_chiave: `F${impegno.id}` });
      const mandato = await createMandato(ctx.knex, s, impegno, { cig_id: null });
      await ctx.knex('mandati_fatture').insert({ scuola_id: s, mandato_id: mandato.id, fattura_id: fattura.id, importo_cents: 100 });
    };
    await conCig(stesso, cigA.codice);
    await conCig(diverso, cigA.codice);
    await conCig(senza, cigA.codice);
    const verifica = await createFlussiService(ctx.knex).verifica({ scuolaId: s, esercizio: stesso.esercizio, mese: null });
    const warned = verifica.problemi.filter((p) => p.regola === 'fattura_cig_diverso_da_impegno');
    expect(warned.map((p) => p.id).sort()).toEqual([diverso.id, senza.id].sort());
    expect(warned.every((p) => p.severita === 'avviso' && p.tipo === 'impegno')).toBe(true);
    expect(warned.find((p) => p.id === diverso.id)?.dettaglio).toContain(`con CIG ${cigA.codice}, impegno con CIG ${cigB.codice}`);
    expect(warned.find((p) => p.id === senza.id)?.dettaglio).toContain('impegno senza CIG');
    const page = await ctx.agent.get(`/flussi?esercizio=${stesso.esercizio}`);
    expect(page.text).toContain('Impegno pagato per una fattura con CIG diverso dal suo');
  });
});

describe('isolamento tra scuole', () => {
  it('another school’s invoice is 404 and absent from list and exports', async () => {
    expect((await ctx.agent.get(`/fatture/${altra.id}`)).status).toBe(404);
    expect((await ctx.agent.get(`/fatture/${altra.id}/file`)).status).toBe(404);
    expect((await ctx.agent.get('/fatture?fornitore=seconda')).text).toContain('Nessuna fattura corrisponde alla ricerca');
    expect((await ctx.agent.get('/fatture/export.csv')).text).not.toContain('ALTRA-1');
    const other = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const list = await other.get('/fatture');
    expect(ids(list.text)).toEqual([altra.id]);
    expect((await other.get(`/fatture/${f.rossi!.id}`)).status).toBe(404);
  });

  it('an empty register says what to do', async () => {
    await ctx.knex('fatture').where({ id: altra.id }).del();
    const other = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const res = await other.get('/fatture');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Non c’è ancora nessuna fattura elettronica');
    expect(res.text).toContain('carica le fatture</a>');
  });
});
