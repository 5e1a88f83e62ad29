import { describe, expect, it } from 'vitest';
import { chromiumPath, describeFocus, isFocused, loginInBrowser, screenshot, tabTo, useBrowserApp, watchPageErrors } from '../helpers/browser.js';
import { TEST_TODAY } from '../helpers/testApp.js';
import { createCreditore, createImpegno, createMandato, createScuola, createUtente, createVoce } from '../helpers/factories.js';
import { DEMO_USERS, seedDemo } from '../../seeds/demo.js';
import { cigCheckOrdinario, validateCig } from '../../src/domain/cig.js';

const admin = DEMO_USERS.find((u) => u.username === 'admin')!;
// Computed with ANAC's algorithm (src/domain/cig.ts); the second has a wrong check part.
const CIG_ORDINARIO = `8123456${cigCheckOrdinario(8123456)}`;
const CIG_SBAGLIATO = CIG_ORDINARIO.slice(0, -1) + (CIG_ORDINARIO.endsWith('0') ? '1' : '0');

describe.skipIf(!chromiumPath)('Importazione CIG/CUP nel browser', () => {
  const ctx = useBrowserApp(async (db) => {
    await seedDemo(db.knex, { today: TEST_TODAY });
    // A third, smaller school for the mouse journey (the demo school is the keyboard one's).
    const scuola = await createScuola(db.knex, { denominazione: 'Istituto Comprensivo di prova' });
    const admin3 = await createUtente(db.knex, scuola.id, { ruolo: 'admin' });
    await createCreditore(db.knex, scuola.id);
    const voce = await createVoce(db.knex, scuola.id, { descrizione: 'PON FESR Reti cablate e wireless', cup_testo: 'CUP: C49J21037560006' });
    const valido = await createImpegno(db.knex, scuola.id, { oggetto: 'Assistenza tecnica sistemistica' });
    await db.knex('impegni').where({ id: valido.id }).update({ cig_testo: `CIG ${CIG_ORDINARIO}` });
    const mandato = await createMandato(db.knex, scuola.id, valido);
    await db.knex('mandati').where({ id: mandato.id }).update({ cig_testo: ` ${CIG_ORDINARIO.toLowerCase()} ` });
    const sbagliato = await createImpegno(db.knex, scuola.id, { oggetto: 'Cancelleria' });
    await db.knex('impegni').where({ id: sbagliato.id }).update({ cig_testo: CIG_SBAGLIATO });
    return { scuola, admin3, voce, valido, mandato, sbagliato };
  });

  it('the admin follows the banner, reads the anteprima, runs the import with the keyboard and the banner goes away', async () => {
    const page = await ctx.browser.newPage({ locale: 'it-IT' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInBrowser(page, ctx.baseUrl, admin);
    const banner = page.locator('[data-banner="importazione"]');
    expect(await banner.textContent()).toContain('Importazione CIG/CUP non ancora eseguita');

    // From the banner's link, with the keyboard.
    await tabTo(page, '[data-banner="importazione"] a');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/impostazioni/importazione`);
    expect(await page.textContent('main')).toContain('Mai eseguita');
    expect(await page.textContent('main')).toContain('9050626CD6');
    await screenshot(page, 'importazione-anteprima');

    // Without the confirmation the form says what to do, tied to the checkbox.
    // The demo school has proposals: they come first in the form, each with its checkbox.
    expect(await page.textContent('main')).toContain('Proposte da confermare');
    await tabTo(page, 'main form#esegui button[type=submit]', { max: 200 });
    expect(await page.textContent('main form#esegui button[type=submit]')).toBe('Esegui con le proposte selezionate');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#conferma-error');
    expect(await page.getAttribute('#conferma', 'aria-describedby')).toBe('conferma-error');
    // Focus on the summary; its link leads to the checkbox, Space ticks it, Tab reaches the button.
    expect(await isFocused(page, '[data-error-summary]'), await describeFocus(page)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(page, '[data-error-summary] a[href="#conferma"]')).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => isFocused(page, '#conferma')).toBe(true);
    await page.keyboard.press('Space');
    expect(await page.isChecked('#conferma')).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(page, 'main form#esegui button[type=submit]'), await describeFocus(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/impostazioni\/importazione\/\d+$/);
    expect(await page.textContent('main')).toContain('Importazione eseguita');
    expect(await page.textContent('main')).toContain('Valori non validi');
    await screenshot(page, 'importazione-report');

    await page.goto(`${ctx.baseUrl}/`);
    expect(await page.locator('[data-banner="importazione"]').count()).toBe(0);
    await page.goto(`${ctx.baseUrl}/cig`);
    expect(await page.locator('.badge:has-text("da completare")').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with the mouse: the anteprima, the confirmation asked for, the import, the register filled', async () => {
    expect(validateCig(CIG_ORDINARIO).ok).toBe(true);
    expect(validateCig(CIG_SBAGLIATO).ok).toBe(false);
    const { scuola, admin3 } = ctx.data;
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The refused form (no confirmation) answers 422, which Chromium logs: expected here.
    const errors = watchPageErrors(page, (t) => t.includes('422'));
    await loginInBrowser(page, ctx.baseUrl, admin3);
    await page.click('[data-banner="importazione"] a');
    await page.waitForURL(`${ctx.baseUrl}/impostazioni/importazione`);
    const anteprima = (await page.textContent('main'))!.replace(/\s+/g, ' ');
    expect(anteprima).toContain('Mai eseguita');
    expect(anteprima).toContain('1 CIG e 1 CUP da registrare');
    // The wrong check character is one keystroke from the code the other documents carry: a proposal, not an error.
    expect(anteprima).toContain('1 proposte da confermare');
    expect(anteprima).toContain('0 valori non validi da correggere');
    expect(await page.locator('table:has(caption:has-text("CIG da registrare")) td.codice').first().textContent()).toBe(CIG_ORDINARIO);
    const proposte = page.locator('table[data-importazione="proposte"]');
    expect(await proposte.textContent()).toContain(CIG_SBAGLIATO);
    expect(await proposte.textContent()).toContain('Carattere di controllo errato');
    await screenshot(page, 'importazione-anteprima-mouse');

    // Without the confirmation: nothing is written, the summary says why.
    await page.click('button:has-text("Esegui con le proposte selezionate")');
    await page.waitForSelector('[data-error-summary]');
    expect(await isFocused(page, '[data-error-summary]'), await describeFocus(page)).toBe(true);
    expect(await page.getAttribute('#conferma', 'aria-describedby')).toBe('conferma-error');
    expect(await ctx.db.knex('cig').where({ scuola_id: scuola.id }).count({ n: '*' }).first().then((r) => Number(r!.n))).toBe(0);
    // Bootstrap Italia draws its own box: the click goes to the label.
    await page.click('label[for="conferma"]');
    expect(await page.isChecked('#conferma')).toBe(true);
    await page.click('button:has-text("Esegui con le proposte selezionate")');
    await page.waitForURL(/\/impostazioni\/importazione\/\d+$/);
    expect(await page.textContent('main')).toContain('Importazione eseguita');
    const conteggio = (etichetta: string) => page.textContent(`table:has(caption:has-text("Conteggi")) tr:has(th:text-is("${etichetta}")) td`);
    expect(await conteggio('CIG registrati')).toBe('1');
    expect(await conteggio('CUP registrati')).toBe('1');
    expect(await conteggio('Impegni collegati a un CIG')).toBe('1');
    expect(await conteggio('Mandati collegati a un CIG')).toBe('1');
    expect(await conteggio('Voci del piano collegate a un CUP')).toBe('1');
    expect(await conteggio('Valori non validi da correggere')).toBe('0');
    expect(await conteggio('Proposte accettate')).toBe('0');
    await screenshot(page, 'importazione-report-mouse');

    // What the import stored: the codes, and the documents linked to them.
    const cig = await ctx.db.knex('cig').where({ scuola_id: scuola.id }).select('id', 'codice', 'famiglia', 'da_completare');
    expect(cig).toEqual([{ id: expect.any(Number), codice: CIG_ORDINARIO, famiglia: 'ordinario', da_completare: true }]);
    const cup = await ctx.db.knex('cup').where({ scuola_id: scuola.id }).select('id', 'codice');
    expect(cup.map((c) => c.codice)).toEqual(['C49J21037560006']);
    expect(await ctx.db.knex('impegni').where({ id: ctx.data.valido.id }).first('cig_id')).toEqual({ cig_id: cig[0]!.id });
    expect(await ctx.db.knex('mandati').where({ id: ctx.data.mandato.id }).first('cig_id')).toEqual({ cig_id: cig[0]!.id });
    expect(await ctx.db.knex('impegni').where({ id: ctx.data.sbagliato.id }).first('cig_id', 'cig_testo')).toEqual({ cig_id: null, cig_testo: CIG_SBAGLIATO });
    expect(await ctx.db.knex('voci_destinazione').where({ id: ctx.data.voce.id }).first('cup_id')).toEqual({ cup_id: cup[0]!.id });

    // The banner is gone; Gestione CIG lists the new code, to be completed.
    await page.click('a.nav-link:has-text("Riepilogo")');
    await page.waitForURL(`${ctx.baseUrl}/`);
    expect(await page.locator('[data-banner="importazione"]').count()).toBe(0);
    await page.click('#menu-gestisci');
    await page.click('a.dropdown-item:has-text("Gestione CIG")');
    await page.waitForURL(`${ctx.baseUrl}/cig`);
    expect(await page.locator('th[scope=row]').allTextContents()).toEqual([expect.stringContaining(CIG_ORDINARIO)]);
    expect(await page.locator('th[scope=row] .badge:has-text("da completare")').count()).toBe(1);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
});
