import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { downloadBytes, loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCig, createCreditore, createCup, createVoce } from '../helpers/factories.js';
import { mainText } from '../helpers/italiano.js';

/**
 * Gestisci → Impegni and Mandati (issue 17): the registers' search panel, sort, page size,
 * exports of the rows found, totals of every row found; the Piano delle destinazioni's figures.
 */
const ctx = useSegreteria('/impegni');
const anno = TEST_ESERCIZIO;
let numero = 5000;

let voceA: { id: number };
let voceB: { id: number };
let rossi: { id: number };
let bianchi: { id: number };
let cig: { id: number; codice: string };
let cup: { id: number; codice: string };
let grande: { id: number; numero: number };
let altraScuolaVoce: { id: number };

async function impegno(scuolaId: number, values: { voce_id: number; creditore_id?: number | null; importo_cents: number; data: string; oggetto: string; cig_id?: number; cup_id?: number; esercizio?: number }) {
  const [row] = await ctx.knex('impegni')
    .insert({ scuola_id: scuolaId, esercizio: values.esercizio ?? anno, numero: numero++, cig_id: null, cup_id: null, creditore_id: null, ...values })
    .returning(['id', 'numero']);
  return row as { id: number; numero: number };
}

async function mandato(impegnoId: number, values: { importo_cents: number; beneficiario_id: number; annullato?: boolean }) {
  await ctx.knex('mandati').insert({
    scuola_id: ctx.cast.scuola1.id, esercizio: anno, numero: numero++, data: `${anno}-06-01`, impegno_id: impegnoId, causale: `Pagamento ${numero}`,
    importo_cents: values.importo_cents, beneficiario_id: values.beneficiario_id, modalita_pagamento: 'SEPA CREDIT TRANSFER', tipo_debito: 'COMMERCIALE',
    cig_id: null, cup_id: null, ...(values.annullato ? { annullato_at: new Date(), annullato_motivo: 'IBAN errato' } : {}),
  });
}

/** The record links of the list's rows, in order. */
const rowNumbers = (html: string) => [...html.matchAll(/<th scope="row" class="[^"]*"><a href="\/(?:impegni|mandati)\/\d+">(\d+)\/\d+<\/a>/g)].map((m) => Number(m[1]));

beforeAll(async () => {
  const s1 = ctx.cast.scuola1.id;
  voceA = await createVoce(ctx.knex, s1, { aggregato: 'A', voce: 2, sottovoce: 41, descrizione: 'Laboratori di elenco' });
  voceB = await createVoce(ctx.knex, s1, { aggregato: 'P', voce: 1, sottovoce: 42, descrizione: 'Progetto di elenco' });
  rossi = await createCreditore(ctx.knex, s1, { denominazione: 'Cartoleria Rossi elenco' });
  bianchi = await createCreditore(ctx.knex, s1, { denominazione: 'Ferramenta Bianchi elenco' });
  cig = await createCig(ctx.knex, s1);
  cup = await createCup(ctx.knex, s1);
  // 30 impegni of 100,00 € on voce A (Rossi), one month apart in pairs; one of 1.234,56 € on voce B (Bianchi, CIG, CUP).
  const piccoli = [];
  for (let i = 0; i < 30; i++) {
    const mese = String(1 + (i % 12)).padStart(2, '0');
    piccoli.push(await impegno(s1, { voce_id: voceA.id, creditore_id: rossi.id, importo_cents: 10000, data: `${anno}-${mese}-10`, oggetto: `Materiale di consumo ${i}` }));
  }
  grande = await impegno(s1, { voce_id: voceB.id, creditore_id: bianchi.id, importo_cents: 123456, data: `${anno}-05-20`, oggetto: 'Arredi per il laboratorio', cig_id: cig.id, cup_id: cup.id });
  // Paid: 40,00 on a small one; 200,00 on the big one, plus an annulled 300,00 that pays nothing.
  await mandato(piccoli[0]!.id, { importo_cents: 4000, beneficiario_id: rossi.id });
  await mandato(grande.id, { importo_cents: 20000, beneficiario_id: bianchi.id });
  await mandato(grande.id, { importo_cents: 30000, beneficiario_id: bianchi.id, annullato: true });
  // Another esercizio and another school: never in these lists.
  const vecchia = await createVoce(ctx.knex, s1, { esercizio: anno - 1, aggregato: 'A', voce: 2, sottovoce: 41 });
  await impegno(s1, { voce_id: vecchia.id, importo_cents: 999900, data: `${anno - 1}-05-20`, oggetto: 'Materiale di consumo vecchio', esercizio: anno - 1 });
  altraScuolaVoce = await createVoce(ctx.knex, ctx.cast.scuola2.id, { aggregato: 'A', voce: 2, sottovoce: 41 });
  await impegno(ctx.cast.scuola2.id, { voce_id: altraScuolaVoce.id, importo_cents: 777700, data: `${anno}-05-20`, oggetto: 'Materiale di consumo altra scuola' });
});

const get = (url: string) => ctx.agent.get(url);

describe('Impegni: ricerca, ordine, pagine, totali', () => {
  it('filters by voce, creditore, CIG and CUP in part, importo (Italian) and date range, within the header’s esercizio', async () => {
    const count = async (qs: string) => {
      const res = await get(`/impegni?${qs}&per=100`);
      expect(res.status, qs).toBe(200);
      return rowNumbers(res.text);
    };
    expect(await count(`voce_id=${voceB.id}`)).toEqual([grande.numero]);
    expect(await count(`creditore_id=${rossi.id}`)).toHaveLength(30);
    expect(await count(`cig=${cig.codice.slice(2, 7).toLowerCase()}`)).toEqual([grande.numero]);
    expect(await count(`cup=${cup.codice.slice(0, 6)}`)).toEqual([grande.numero]);
    expect(await count('importo_min=1.000,00')).toEqual([grande.numero]);
    expect(await count('importo_max=100')).toHaveLength(30);
    expect(await count(`importo_min=100,00&importo_max=100,00&creditore_id=${bianchi.id}`)).toEqual([]);
    // 10/01 … 10/12: January and February of each of the 30 → 6 rows (i = 0, 1, 12, 13, 24, 25).
    expect(await count(`dal=01/01/${anno}&al=28/02/${anno}`)).toHaveLength(6);
    expect(await count(`dal=${anno}-05-01&al=${anno}-05-31&voce_id=${voceB.id}`)).toEqual([grande.numero]);
    expect(await count('q=Arredi')).toEqual([grande.numero]);
    // The esercizio is the header's: last year's and the other school's impegni never show.
    expect(await count('q=vecchio')).toEqual([]);
    expect(await count('q=altra scuola')).toEqual([]);
    expect(await count(`voce_id=${altraScuolaVoce.id}`)).toEqual([]);
  });

  it('totals every row found, not only the page shown; the panel stays open with the values', async () => {
    const res = await get(`/impegni?voce_id=${voceA.id}`);
    expect(rowNumbers(res.text)).toHaveLength(25);
    const text = mainText(res.text);
    expect(text).toContain('1–25 di 30 risultati');
    expect(text).toContain('Impegni trovati 30 impegni');
    expect(text).toContain('Totale impegnato 3.000,00\u00a0€');
    expect(text).toContain('Pagato 40,00\u00a0€');
    expect(text).toContain('Da pagare 2.960,00\u00a0€');
    expect(res.text).toMatch(/<details class="registro-panel ricerca-panel flex-grow-1" open>/);
    expect(res.text).toMatch(new RegExp(`<option value="${voceA.id}" [^>]*selected`));
    // The second page keeps the search; the big impegno (voce B) is on no page of it.
    expect(res.text).toContain(`href="/impegni?voce_id=${voceA.id}&amp;ordina=numero&amp;verso=desc&amp;pagina=2"`);
    const second = await get(`/impegni?voce_id=${voceA.id}&pagina=2`);
    expect(rowNumbers(second.text)).toHaveLength(5);
    expect(rowNumbers(second.text)).not.toContain(grande.numero);
    // All of them: the annulled mandato pays nothing (200,00 + 40,00).
    const all = mainText((await get('/impegni')).text);
    expect(all).toContain('Totale impegnato 4.234,56\u00a0€');
    expect(all).toContain('Pagato 240,00\u00a0€');
  });

  it('sorts by a column (links with aria-sort, keeping the search) and changes the page size', async () => {
    const res = await get('/impegni?ordina=importo&verso=desc');
    expect(rowNumbers(res.text)[0]).toBe(grande.numero);
    expect(res.text).toMatch(/aria-sort="descending">\s*<a href="\/impegni\?ordina=importo&amp;verso=asc"/);
    const filtered = await get(`/impegni?creditore_id=${rossi.id}&ordina=data&verso=asc`);
    expect(filtered.text).toContain(`href="/impegni?creditore_id=${rossi.id}&amp;ordina=data&amp;verso=desc"`);
    // The page size is chosen by links that keep the search and the order (no JavaScript needed).
    const filteredA = await get(`/impegni?voce_id=${voceA.id}`);
    expect(filteredA.text).toContain(`<a class="mx-1" href="/impegni?voce_id=${voceA.id}&amp;ordina=numero&amp;verso=desc&amp;per=50">50<span`);
    expect(filteredA.text).toContain('<strong aria-current="true" class="mx-1">25</strong>');
    const big = await get('/impegni?per=50');
    expect(rowNumbers(big.text)).toHaveLength(31);
    expect(mainText(big.text)).toContain('1–31 di 31 risultati');
  });

  it('exports the rows found, all pages: CSV the Italian Excel way, XLSX with numbers', async () => {
    const csv = await get(`/impegni/export.csv?voce_id=${voceB.id}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/impegni-\d{4}-\d{2}-\d{2}\.csv/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Numero;Data;Voce;Oggetto;Creditore;Importo;Pagato;CIG;CUP');
    expect(lines).toEqual([lines[0], `${grande.numero}/${anno};20/05/${anno};P01/42;Arredi per il laboratorio;Ferramenta Bianchi elenco;1234,56;200,00;${cig.codice};${cup.codice}`]);
    // The export link of the page repeats its search and order.
    expect((await get(`/impegni?voce_id=${voceA.id}`)).text).toContain(`href="/impegni/export.csv?voce_id=${voceA.id}&amp;ordina=numero&amp;verso=desc"`);

    const xlsx = await downloadBytes(ctx.agent.get(`/impegni/export.xlsx?voce_id=${voceA.id}&ordina=numero&verso=asc`));
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Impegni')!;
    expect(sheet.rowCount).toBe(31); // header + the 30 of voce A, beyond the first page
    expect(sheet.getRow(1).getCell(6).value).toBe('Importo');
    expect(sheet.getRow(2).getCell(6).value).toBe(100);
    expect(sheet.getRow(2).getCell(7).value).toBe(40);
    expect(sheet.getRow(2).getCell(2).value).toEqual(new Date(Date.UTC(anno, 0, 10)));
  });

  it('answers a bad criterion with 422 and its Italian message next to the field, the rest still applied', async () => {
    const cases: [string, string, string][] = [
      ['importo_min=dieci', 'importo_min', 'Importo minimo: scrivi l’importo in euro, per esempio 1.234,56'],
      ['importo_min=200&importo_max=100', 'importo_max', 'L’importo massimo è minore del minimo'],
      ['dal=31/02/2026', 'dal', 'Data “dal” non valida'],
      [`dal=01/03/${anno}&al=01/02/${anno}`, 'al', 'viene prima della data “dal”'],
      ['cig=%25%27%3B--', 'cig', 'Codice CIG non valido'],
      ['cup=AB-12', 'cup', 'Codice CUP non valido'],
      ['voce_id=abc', 'voce_id', 'Voce non valida'],
      ['creditore_id=-1', 'creditore_id', 'Creditore non valido'],
    ];
    for (const [qs, field, message] of cases) {
      const res = await get(`/impegni?${qs}`);
      expect(res.status, qs).toBe(422);
      expect(res.text, qs).toMatch(new RegExp(`id="${field}-error" class="invalid-feedback d-block">[^<]*${message.replace(/[()]/g, '\\$&')}`));
    }
    const mixed = await get(`/impegni?importo_min=boh&voce_id=${voceB.id}`);
    expect(mixed.status).toBe(422);
    expect(rowNumbers(mixed.text)).toEqual([grande.numero]);
    expect((await get('/impegni/export.csv?importo_min=boh')).status).toBe(200);
  });

  it('another school sees none of these, and its totals are its own', async () => {
    const other = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const res = await other.get(`/impegni?voce_id=${voceA.id}`);
    expect(rowNumbers(res.text)).toEqual([]);
    const own = mainText((await other.get('/impegni')).text);
    expect(own).toContain('Totale impegnato 7.777,00\u00a0€');
    const csv = await other.get('/impegni/export.csv');
    expect(csv.text).not.toContain('Arredi per il laboratorio');
    expect(csv.text).toContain('Materiale di consumo altra scuola');
  });
});

describe('Mandati: ricerca e totali', () => {
  it('counts the mandati found (annulled ones apart) and totals what they pay, across pages', async () => {
    const res = await get(`/mandati?creditore_id=${bianchi.id}`);
    expect(res.status).toBe(200);
    expect(rowNumbers(res.text)).toHaveLength(2);
    const text = mainText(res.text);
    expect(text).toContain('Mandati trovati 2 mandati (1 annullato, escluso dal totale)');
    expect(text).toContain('Totale pagato 200,00\u00a0€');
    expect(mainText((await get(`/mandati?voce_id=${voceA.id}`)).text)).toContain('Totale pagato 40,00\u00a0€');
    expect(rowNumbers((await get('/mandati?importo_min=250')).text)).toHaveLength(1);
    expect(rowNumbers((await get(`/mandati?cig=${cig.codice.slice(0, 5)}`)).text)).toEqual([]);
    const bad = await get('/mandati?importo_max=molto');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Importo massimo: scrivi l’importo in euro');
  });

  it('exports the mandati found', async () => {
    const csv = await get(`/mandati/export.csv?creditore_id=${bianchi.id}&ordina=importo&verso=asc`);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Numero;Data;Impegno;Beneficiario;Causale;Importo;CIG;CUP');
    expect(lines.slice(1).map((l) => l.split(';')[5])).toEqual(['200,00', '300,00']);
    const xlsx = await downloadBytes(ctx.agent.get(`/mandati/export.xlsx?creditore_id=${bianchi.id}`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Mandati')!.rowCount).toBe(3);
  });
});

describe('Piano delle destinazioni: impegnato, pagato, residuo', () => {
  it('shows per voce the impegni (a link to the list searched by that voce), impegnato, pagato without the annulled mandato, residuo, and the totals', async () => {
    const res = await get('/impostazioni/piano-destinazioni');
    expect(res.status).toBe(200);
    const row = (codice: string) => mainText(res.text.match(new RegExp(`<tr data-voce="${codice}">[\\s\\S]*?</tr>`))![0]);
    expect(row('P01/42')).toContain('1 impegni sulla voce P01/42 1.234,56\u00a0€ 200,00\u00a0€ 1.034,56\u00a0€');
    expect(row('A02/41')).toContain('30 impegni sulla voce A02/41 3.000,00\u00a0€ 40,00\u00a0€ 2.960,00\u00a0€');
    expect(res.text).toContain(`<a href="/impegni?voce_id=${voceB.id}">1<span class="visually-hidden"> impegni sulla voce P01/42</span></a>`);
    const text = mainText(res.text);
    expect(text).toContain('Totale impegnato 4.234,56\u00a0€');
    expect(text).toContain('Pagato 240,00\u00a0€');
    expect(text).toContain('Residuo 3.994,56\u00a0€');
    // One year control on screen: the header's.
    expect(res.text.match(/name="esercizio"/g)).toHaveLength(1);
    // The link lands on the filtered list with the same figures.
    const list = mainText((await get(`/impegni?voce_id=${voceB.id}`)).text);
    expect(list).toContain('Totale impegnato 1.234,56\u00a0€');
    expect(list).toContain('Da pagare 1.034,56\u00a0€');
  });
});
