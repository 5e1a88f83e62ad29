import { describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import { createCreditore, createCup, createImpegno, createMandato, createTwoSchools } from '../helpers/factories.js';
import { TEST_ESERCIZIO } from '../helpers/testApp.js';
import {
  chromiumPath, clickTo, closeWithoutErrors, describeFocus, downloadText, enterTo, fillFields, isFocused, openLoggedIn, screenshot, tabOnce, tabTo, useBrowserApp,
} from '../helpers/browser.js';
import { cigCheckOrdinario, cigCheckPcp, validateCig } from '../../src/domain/cig.js';
import { createImportazioneService } from '../../src/services/importazioneService.js';

/**
 * Issue 7, journey 8: a secretary opens Flussi after the one-time import, sees
 * the errors that block the export, follows each error's link, corrects it with
 * the page it opens, comes back, reaches 0 errors and downloads the lists.
 *
 * The data is built with factories, not the demo seed: after the import the demo
 * school has 38 errors (21 CIGs without date, 13 unlinked texts, 4 mandati
 * without CIG), ~100 page loads to clear in a browser. Their kinds are few, and
 * each kind is corrected on its own page: here every rule the demo trips is
 * planted once (the whole demo journey runs over HTTP in
 * test/integration/flussiPercorso.test.ts). School 1 is cleared with the mouse
 * (3 errors: CIG without date, impegno with unreadable CIG and CUP texts,
 * mandato without CIG nor motivo), school 2 with the keyboard only (2 errors).
 */

const esercizio = TEST_ESERCIZIO;
// Codes computed with ANAC's algorithm (src/domain/cig.ts).
const CIG_1 = `2345678${cigCheckOrdinario(2345678)}`;
const CIG_1_SBAGLIATO = CIG_1.slice(0, -1) + (CIG_1.endsWith('0') ? '1' : '0');
const CIG_2 = `B61D0F3${cigCheckPcp('B', 0x61d0f3)}`;
const CUP_REGISTRATO = 'C44D24000950006';

async function legacyTexts(knex: Knex, table: 'impegni' | 'mandati', id: number, texts: { cig_testo?: string; cup_testo?: string }) {
  await knex(table).where({ id }).update(texts);
}

describe.skipIf(!chromiumPath)('Flussi: dalla verifica all’esportazione nel browser', () => {
  const ctx = useBrowserApp(async (db) => {
    const cast = await createTwoSchools(db.knex);
    const [s1, s2] = [cast.scuola1.id, cast.scuola2.id];
    // School 1: a CIG written in an impegno (imported without its date), an impegno whose
    // CIG and CUP texts cannot be read, a commercial mandato with neither CIG nor motivo.
    await createCreditore(db.knex, s1);
    const cup = await createCup(db.knex, s1, { codice: CUP_REGISTRATO, anno_decisione: 2024, descrizione: 'PNRR Riduzione dei divari territoriali' });
    const conCig = await createImpegno(db.knex, s1, { oggetto: 'Assistenza sistemistica laboratori', importo_cents: 240_000 });
    await legacyTexts(db.knex, 'impegni', conCig.id, { cig_testo: `CIG ${CIG_1}` });
    const illeggibile = await createImpegno(db.knex, s1, { oggetto: 'Mentoring e orientamento – PNRR DM 19/2024', importo_cents: 380_000 });
    await legacyTexts(db.knex, 'impegni', illeggibile.id, { cig_testo: CIG_1_SBAGLIATO, cup_testo: 'C44D2400095006' });
    const economale = await createImpegno(db.knex, s1, { oggetto: 'Piccole spese di cancelleria', importo_cents: 20_000 });
    const senzaCig = await createMandato(db.knex, s1, economale, { importo_cents: 4_500 });
    // School 2: the same two simplest kinds, for the keyboard.
    const conCig2 = await createImpegno(db.knex, s2, { oggetto: 'Kit di robotica educativa', importo_cents: 150_000 });
    await legacyTexts(db.knex, 'impegni', conCig2.id, { cig_testo: CIG_2.toLowerCase() });
    const senzaCig2 = await createMandato(db.knex, s2, conCig2, { importo_cents: 150_000 });

    const importazione = createImportazioneService(db.knex);
    await importazione.run(s1, null);
    await importazione.run(s2, null);
    const cigId = async (scuolaId: number, codice: string) => (await db.knex('cig').where({ scuola_id: scuolaId, codice }).first('id')).id as number;
    return {
      ...cast, cup, conCig, illeggibile, senzaCig, conCig2, senzaCig2,
      cig1: await cigId(s1, CIG_1), cig2: await cigId(s2, CIG_2),
    };
  });

  /** The number of blocking errors the page states. */
  const errori = async (page: Page) => {
    const text = (await page.textContent('main'))!;
    if (text.includes('Nessun problema: gli elenchi corrispondono')) return 0;
    const m = /(\d+)\s+error[ei] \(bloccano l’esportazione\)/.exec(text.replace(/\s+/g, ' '));
    if (!m) throw new Error('Numero di errori non trovato nella pagina dei Flussi');
    return Number(m[1]);
  };
  const errorRows = (page: Page) => page.locator('tr:has(.badge.bg-danger)');
  const exportLink = (page: Page, file: string) => page.locator(`main a[href="/flussi/${esercizio}/${file}"]`);

  it('uses codes computed with the domain validator', () => {
    expect(validateCig(CIG_1)).toMatchObject({ ok: true });
    expect(validateCig(CIG_1_SBAGLIATO)).toMatchObject({ ok: false });
    expect(validateCig(CIG_2)).toMatchObject({ ok: true, famiglia: 'pcp' });
  });

  it('with the mouse: follows each error’s link, corrects it, reaches 0 errors and downloads the CSV and the XML', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria);
    const flussi = () => clickTo(page, 'nav a.nav-link:has-text("Flussi")', '/flussi');
    await flussi();
    expect(await errori(page)).toBe(3);
    expect(await errorRows(page).count()).toBe(3);
    expect(await page.textContent('main')).toContain('L’esportazione è bloccata finché ci sono errori');
    for (const file of ['cig.csv', 'cup.csv', 'elenchi.xml']) expect(await exportLink(page, file).getAttribute('aria-disabled')).toBe('true');
    await screenshot(page, 'flussi-errori');

    // 1. The imported CIG has no date of generation: the link opens its form.
    const cigRow = errorRows(page).filter({ hasText: 'senza data di generazione' });
    expect(await cigRow.textContent()).toContain(`CIG ${CIG_1}`);
    await cigRow.locator('a').click();
    await page.waitForURL(`${ctx.baseUrl}/cig/${ctx.data.cig1}/modifica?ritorno=${encodeURIComponent(`/flussi`)}`);
    expect(await page.textContent('main')).toContain('Questo CIG è stato importato dai documenti e va completato');
    await page.fill('#data_generazione', '2023-05-10');
    await screenshot(page, 'flussi-correzione-cig');
    // Saved, and back on the Flussi page, which says what changed.
    await clickTo(page, 'form.registro-form button:has-text("Salva e torna ai flussi")', `/flussi`);
    expect(await page.textContent('.alert-success')).toContain(`CIG ${CIG_1} salvato.`);
    expect(await page.textContent('[data-flussi="cambiamento"]')).toBe('1 errore in meno.');
    expect(await errori(page)).toBe(2);

    // 2. The impegno whose CIG and CUP texts are unreadable: choose them from the registers.
    const impegnoRow = errorRows(page).filter({ hasText: 'non collegato al registro' });
    expect(await impegnoRow.textContent()).toContain(`CIG «${CIG_1_SBAGLIATO}» · CUP «C44D2400095006»`);
    // The link opens the impegno's form, which comes back here.
    const back = `/flussi`;
    await impegnoRow.locator('a').click();
    await page.waitForURL(`${ctx.baseUrl}/impegni/${ctx.data.illeggibile.id}/modifica?ritorno=${encodeURIComponent(back)}`);
    expect(await page.textContent('#documento-form')).toContain(`Testo originale: ${CIG_1_SBAGLIATO}`);
    await page.selectOption('#cig_id', String(ctx.data.cig1));
    await page.selectOption('#cup_id', String(ctx.data.cup.id));
    await screenshot(page, 'flussi-correzione-impegno');
    await clickTo(page, '#documento-salva', back);
    expect(await page.textContent('main')).toContain('salvato.');
    expect(await page.textContent('[data-flussi="cambiamento"]')).toBe('1 errore in meno.');
    expect(await errori(page)).toBe(1);

    // 3. The commercial mandato without CIG: a petty expense, the motivo di esclusione.
    const mandatoRow = errorRows(page).filter({ hasText: 'senza CIG né motivo' });
    await mandatoRow.locator('a').click();
    await page.waitForURL(`${ctx.baseUrl}/mandati/${ctx.data.senzaCig.id}/modifica?ritorno=${encodeURIComponent(back)}`);
    await page.selectOption('#motivo_esclusione_cig', 'SPESE_ECONOMALI');
    // A commercial debt pays at least one invoice: the paper receipt of the petty expense.
    await page.selectOption('#fa_0_tipo', 'DOC_EQUIVALENTE');
    await fillFields(page, { '#fa_0_numero': 'R-12', '#fa_0_data': `05/03/${esercizio}`, '#fa_0_importo': '45,00', '#fa_0_cf': '01234567897' });
    await screenshot(page, 'flussi-correzione-mandato');
    await clickTo(page, '#documento-salva', back);
    expect(await page.textContent('[data-flussi="cambiamento"]')).toBe('1 errore in meno: nessun errore, i flussi si possono esportare.');

    expect(await errori(page)).toBe(0);
    expect(await errorRows(page).count()).toBe(0);
    expect(await page.textContent('main')).not.toContain('L’esportazione è bloccata');
    expect(await exportLink(page, 'cig.csv').getAttribute('aria-disabled')).toBeNull();
    await screenshot(page, 'flussi-zero-errori');

    const csv = await downloadText(page, () => exportLink(page, 'cig.csv').click());
    expect(csv.name).toBe(`elenco-cig-${ctx.data.scuola1.codice_meccanografico}-${esercizio}.csv`);
    expect(csv.text.startsWith('\uFEFFcodice_cig;famiglia;oggetto;data_generazione;data_scadenza_offerte;importo;stato;impegni;importo_impegnato\r\n')).toBe(true);
    const righe = csv.text.trim().split('\r\n');
    expect(righe).toHaveLength(2);
    expect(righe[1]).toMatch(new RegExp(`^${CIG_1};CIG ordinario;.*;10/05/2023;`));
    const xml = await downloadText(page, () => exportLink(page, 'elenchi.xml').click());
    expect(xml.name).toBe(`elenchi-cig-cup-${ctx.data.scuola1.codice_meccanografico}-${esercizio}.xml`);
    expect(xml.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ElenchiCigCup ')).toBe(true);
    expect(xml.text).toContain('<ElencoCIG numero="1">');
    expect(xml.text).toContain(`<CIG codice="${CIG_1}"`);
    expect(xml.text).toContain(`<CUP codice="${CUP_REGISTRATO}"`);

    // Both exports are recorded, and listed once the page is refreshed.
    const esportazioni = await ctx.db.knex('flussi_esportazioni').where({ scuola_id: ctx.data.scuola1.id }).orderBy('id').select('formato', 'esercizio');
    expect(esportazioni).toEqual([{ formato: 'cig.csv', esercizio }, { formato: 'xml', esercizio }]);
    await page.click('main button:has-text("Aggiorna")');
    await page.waitForURL(/\/flussi\?/);
    const storico = page.locator('table:has(caption:has-text("Esportazioni registrate")) tbody tr');
    expect(await storico.count()).toBe(2);
    expect(await storico.allTextContents()).toEqual([expect.stringContaining('Elenchi CIG e CUP (XML)'), expect.stringContaining('Elenco CIG (CSV)')]);
    await screenshot(page, 'flussi-esportazioni');
    await closeWithoutErrors(page);
  });

  it('with the keyboard only: the same journey for the second school, then the XML', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria2, { landing: '/flussi', keyboard: true });
    expect(await errori(page)).toBe(2);
    // The menu tells assistive technology which page this is (it used to say so for every item but Flussi).
    expect(await page.getAttribute('nav a.nav-link[href="/flussi"]', 'aria-current')).toBe('page');
    // While blocked, the export links are out of the Tab order.
    for (const file of ['cig.csv', 'cup.csv', 'elenchi.xml']) expect(await exportLink(page, file).getAttribute('tabindex')).toBe('-1');

    // 1. The CIG without date: its link, Enter, the date, Enter.
    const ritorno = `?ritorno=${encodeURIComponent(`/flussi`)}`;
    await enterTo(page, `main a[href="/cig/${ctx.data.cig2}/modifica${ritorno}"]`, `/cig/${ctx.data.cig2}/modifica${ritorno}`);
    expect(await page.getAttribute('nav a.nav-link[href="/flussi"]', 'aria-current')).toBeNull();
    expect(await page.getAttribute('nav a.dropdown-item[href="/cig"]', 'aria-current')).toBe('page');
    await tabTo(page, '#data_generazione');
    // Headless Chromium orders the date's parts as en-US whatever the locale: day = month avoids the question.
    await page.keyboard.type('04042024');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/flussi`);
    expect(await page.textContent('main')).toContain(`CIG ${CIG_2} salvato.`);
    expect(await page.textContent('main')).toContain('1 errore in meno.');
    expect(await errori(page)).toBe(1);

    // 2. The mandato without CIG: its form from the error's link, the CIG picker's search, Salva.
    const mandato = ctx.data.senzaCig2.id;
    await enterTo(page, `main a[href="/mandati/${mandato}/modifica${ritorno}"]`, `/mandati/${mandato}/modifica${ritorno}`);
    await tabTo(page, '#cig_id-cerca');
    await page.keyboard.type(CIG_2.slice(0, 7));
    await page.keyboard.press('Enter');
    expect(await isFocused(page, '#cig_id'), await describeFocus(page)).toBe(true);
    expect(await page.inputValue('#cig_id')).toBe(String(ctx.data.cig2));
    // The invoice it pays, a paper one, described in its row after the CUP.
    await tabTo(page, '#fa_0_numero', { max: 10 });
    await page.keyboard.type('31/2024');
    await tabOnce(page, '#fa_0_data');
    await page.keyboard.type(`20/02/${esercizio}`);
    await tabOnce(page, '#fa_0_importo');
    await page.keyboard.type('1.500,00');
    await tabOnce(page, '#fa_0_cf');
    await page.keyboard.type('01234567897');
    await enterTo(page, '#documento-salva', `/flussi`, { max: 12 });
    expect(await page.textContent('main')).toContain('salvato.');

    expect(await errori(page)).toBe(0);
    await screenshot(page, 'flussi-zero-errori-tastiera');
    // The export links are now reachable with Tab; Enter downloads.
    await tabTo(page, `main a[href="/flussi/${esercizio}/elenchi.xml"]`);
    const xml = await downloadText(page, () => page.keyboard.press('Enter'));
    expect(xml.name).toBe(`elenchi-cig-cup-${ctx.data.scuola2.codice_meccanografico}-${esercizio}.xml`);
    expect(xml.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ElenchiCigCup ')).toBe(true);
    expect(xml.text).toContain('<ElencoCIG numero="1">');
    expect(xml.text).toContain(`<CIG codice="${CIG_2}" famiglia="pcp"`);
    expect(xml.text).toContain('<DataGenerazione>2024-04-04</DataGenerazione>');
    expect(xml.text).toContain('<ElencoCUP numero="0"');

    expect(await ctx.db.knex('mandati').where({ id: mandato }).first('cig_id', 'motivo_esclusione_cig')).toEqual({ cig_id: ctx.data.cig2, motivo_esclusione_cig: null });
    expect(await ctx.db.knex('flussi_esportazioni').where({ scuola_id: ctx.data.scuola2.id }).pluck('formato')).toEqual(['xml']);
    await closeWithoutErrors(page);
  });
});
