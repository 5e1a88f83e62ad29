import { describe, expect, it } from 'vitest';
import { createCig, createCreditore, createTwoSchools } from '../helpers/factories.js';
import {
  chromiumPath, clickTo, closeWithoutErrors, describeFocus, enterTo, expectValues, fillFields, isFocused, openLoggedIn, screenshot, searchRegister,
  tabOnce, tabTo, useBrowserApp,
} from '../helpers/browser.js';
import { cigCheckOrdinario, cigCheckPcp, validateCig } from '../../src/domain/cig.js';

/**
 * Gestione CIG (issue 7, journeys 2 and 3): search the register with the mouse;
 * register a CIG typed with a wrong check character, read the Italian error
 * tied to the field, correct it from the error summary and save. With the mouse
 * and with the keyboard only.
 */

// Codes computed with ANAC's algorithm (src/domain/cig.ts), never typed by hand.
const ORDINARIO = `7654321${cigCheckOrdinario(7654321)}`;
const PCP = `B3C0FFE${cigCheckPcp('B', 0x3c0ffe)}`;
/** The same code with its last check character changed: a typical copying mistake. */
const wrongCheck = (codice: string) => codice.slice(0, -1) + (codice.endsWith('0') ? '1' : '0');

describe.skipIf(!chromiumPath)('Gestione CIG nel browser: ricerca e nuovo CIG', () => {
  const ctx = useBrowserApp(async (db) => {
    const cast = await createTwoSchools(db.knex);
    const fornitore = await createCreditore(db.knex, cast.scuola1.id, { denominazione: 'Splendor Forniture Igieniche Soc. Coop.' });
    await createCig(db.knex, cast.scuola1.id, { oggetto: 'Servizio di pulizia straordinaria dei locali' });
    await createCig(db.knex, cast.scuola1.id, { oggetto: 'Noleggio fotocopiatrici multifunzione' });
    // The other school's CIG about the same thing never shows here.
    await createCig(db.knex, cast.scuola2.id, { oggetto: 'Pulizia palestra' });
    return { ...cast, fornitore };
  });

  const expected422 = (t: string) => t.includes('422');
  const stored = (codice: string) => ctx.db.knex('cig').where({ scuola_id: ctx.data.scuola1.id, codice }).first();

  it('checks the codes used here with the domain validator', () => {
    for (const codice of [ORDINARIO, PCP]) {
      expect(validateCig(codice)).toMatchObject({ ok: true });
      expect(validateCig(wrongCheck(codice))).toMatchObject({ ok: false, reason: expect.stringContaining(`atteso ${codice.slice(7)}`) });
    }
  });

  it('searches the register with the mouse', async () => {
    // However many CIG the other journeys have registered by now: the register lists them all.
    const registered = Number((await ctx.db.knex('cig').where({ scuola_id: ctx.data.scuola1.id }).count({ n: '*' }).first())?.n);
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/cig' });
    expect(await page.locator('th[scope=row]').count()).toBe(registered);
    await searchRegister(page, 'oggetto', 'PULIZIA');
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.textContent('tbody')).toContain('Servizio di pulizia straordinaria dei locali');
    expect(await page.textContent('main p[role=status]')).toContain('1 risultato');
    await screenshot(page, 'cig-ricerca-mouse');

    // Azzera brings the whole list back.
    await clickTo(page, 'form.ricerca-form a:has-text("Azzera")', '/cig');
    expect(await page.locator('th[scope=row]').count()).toBe(registered);
    await closeWithoutErrors(page);
  });

  it('with the mouse: a wrong check character is explained on the field, corrected from the summary, then saved', async () => {
    // The refused save answers 422, which Chromium logs: expected here.
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/cig', ignore: expected422 });
    await clickTo(page, 'a:has-text("Nuovo CIG")', '/cig/nuovo');
    await screenshot(page, 'cig-nuovo');

    const sbagliato = wrongCheck(ORDINARIO);
    await fillFields(page, {
      '#codice': sbagliato,
      '#oggetto': 'Fornitura di materiale igienico-sanitario',
      '#data_generazione': '2023-03-15',
      '#importo': '1.234,56',
      '#scelta_contraente': 'AFFIDAMENTO_DIRETTO',
      '#fornitore_id': String(ctx.data.fornitore.id),
    });
    await page.click('form.registro-form button:has-text("Salva")');

    // The form comes back with the summary focused and the error on the field.
    await page.waitForSelector('[data-error-summary]');
    expect(await isFocused(page, '[data-error-summary]'), await describeFocus(page)).toBe(true);
    const summary = await page.textContent('[data-error-summary]');
    expect(summary).toContain('Controlla i dati inseriti');
    expect(summary).toContain(`Carattere di controllo errato: atteso ${ORDINARIO.slice(7)} (ultimi 3 caratteri), trovato ${sbagliato.slice(7)}`);
    expect(summary).toContain(`il codice sarebbe ${ORDINARIO}`);
    expect(await page.getAttribute('#codice', 'aria-invalid')).toBe('true');
    expect((await page.getAttribute('#codice', 'aria-describedby'))?.split(' ')).toContain('codice-error');
    expect(await page.textContent('#codice-error')).toContain(`atteso ${ORDINARIO.slice(7)}`);
    // What was typed is still there; nothing was stored.
    await expectValues(page, { '#codice': sbagliato, '#oggetto': 'Fornitura di materiale igienico-sanitario', '#importo': '1.234,56' });
    expect(await stored(sbagliato)).toBeUndefined();
    await screenshot(page, 'cig-nuovo-errore-controllo');

    // The summary's link leads to the field.
    await page.click('[data-error-summary] a[href="#codice"]');
    await expect.poll(() => isFocused(page, '#codice')).toBe(true);
    await page.fill('#codice', ORDINARIO);
    await clickTo(page, 'form.registro-form button:has-text("Salva")', /\/cig\/\d+$/);
    expect(await page.textContent('[role=status].alert-success')).toContain(`CIG ${ORDINARIO} inserito.`);
    expect(await page.textContent('h1')).toContain(ORDINARIO);
    expect(await page.textContent('main')).toContain('CIG ordinario');
    expect(await page.textContent('main')).toContain('Fornitura di materiale igienico-sanitario');
    await screenshot(page, 'cig-salvato');

    const row = await stored(ORDINARIO);
    expect(row).toMatchObject({
      famiglia: 'ordinario',
      oggetto: 'Fornitura di materiale igienico-sanitario',
      fornitore_id: ctx.data.fornitore.id,
      scelta_contraente: 'AFFIDAMENTO_DIRETTO',
      stato: 'attivo',
      created_by: ctx.data.segreteria.id,
    });
    expect(Number(row.importo_cents)).toBe(123456);
    expect(await ctx.db.knex.raw('select data_generazione::text as d from cig where id = ?', [row.id]).then((r) => r.rows[0].d)).toBe('2023-03-15');
    await closeWithoutErrors(page);
  });

  it('asks to confirm Annulla il CIG, with the keyboard: refused unticked, done ticked', async () => {
    const cig = await createCig(ctx.db.knex, ctx.data.scuola1.id, { oggetto: 'Manutenzione estintori' });
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: `/cig/${cig.id}`, keyboard: true });
    // Enter on the void button without the box: nothing changes, the page says what to do.
    await enterTo(page, 'form[data-annulla="cig"] button', `/cig/${cig.id}`, { max: 60 });
    expect(await page.textContent('main [role="alert"]')).toContain('spunta «Confermo l’annullamento del CIG»');
    expect((await ctx.db.knex('cig').where({ id: cig.id }).first()).stato).toBe('attivo');
    await screenshot(page, 'cig-annulla-senza-conferma');
    // Space ticks the box, Tab reaches the button, Enter voids.
    await tabTo(page, '#annulla-conferma', { max: 60 });
    await page.keyboard.press('Space');
    await tabOnce(page, 'form[data-annulla="cig"] button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('main')).toContain(`CIG ${cig.codice} annullato.`);
    expect((await ctx.db.knex('cig').where({ id: cig.id }).first()).stato).toBe('annullato');
    expect(await page.textContent('main')).toContain('Riattiva il CIG');
    await closeWithoutErrors(page);
  });

  it('with the keyboard only: the same journey, focus going where the user needs it', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/cig', keyboard: true, ignore: expected422 });

    // Nuovo CIG is reached with Tab, past the header and the menu.
    await enterTo(page, 'a[href="/cig/nuovo"]', '/cig/nuovo');
    await tabTo(page, '#codice');
    const sbagliato = wrongCheck(PCP);
    await page.keyboard.type(sbagliato);
    await tabOnce(page, '#stato');
    await tabOnce(page, '#oggetto');
    await page.keyboard.type('Kit di robotica educativa per la scuola primaria');
    await tabOnce(page, '#data_generazione');
    // Headless Chromium orders the date's parts as en-US whatever the locale: day = month avoids the question.
    await page.keyboard.type('03032024');
    // Enter in a field submits the form.
    await page.keyboard.press('Enter');

    await page.waitForSelector('[data-error-summary]');
    expect(await isFocused(page, '[data-error-summary]'), await describeFocus(page)).toBe(true);
    expect(await page.textContent('[data-error-summary]')).toContain(`Carattere di controllo errato: atteso ${PCP.slice(7)}`);
    expect(await page.getAttribute('#codice', 'aria-describedby')).toContain('codice-error');
    expect(await page.inputValue('#data_generazione')).toBe('2024-03-03');
    expect(await stored(sbagliato)).toBeUndefined();
    await screenshot(page, 'cig-nuovo-errore-tastiera');

    // Tab from the summary reaches its link; Enter moves focus to the field.
    await tabOnce(page, '[data-error-summary] a[href="#codice"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(page, '#codice')).toBe(true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(PCP);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cig\/\d+$/);
    expect(await page.textContent('main')).toContain(`CIG ${PCP} inserito.`);
    expect(await page.textContent('main')).toContain('CIG PCP');

    const row = await stored(PCP);
    expect(row).toMatchObject({ famiglia: 'pcp', oggetto: 'Kit di robotica educativa per la scuola primaria', stato: 'attivo' });
    expect(await ctx.db.knex.raw('select data_generazione::text as d from cig where id = ?', [row.id]).then((r) => r.rows[0].d)).toBe('2024-03-03');
    // Back to the register from the breadcrumb, with the keyboard: the new CIG is listed.
    await enterTo(page, 'nav[aria-label="Percorso"] a', '/cig');
    expect(await page.locator('th[scope=row]').allTextContents()).toContain(PCP);
    await closeWithoutErrors(page);
  });
});
