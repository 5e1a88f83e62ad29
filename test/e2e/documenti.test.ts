import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  chooseFromMenu, chromiumPath, clickTo, closeWithoutErrors, enterTo, expectChosenFromModal, expectModalOpen, expectValues, fillFields,
  loginInBrowser, openLoggedIn, openPickerModal, registerFromModal, screenshot, selectedText, submitModal, tabOnce, tabTo, typeInModal,
  useBrowserApp,
} from '../helpers/browser.js';
import { TEST_TODAY } from '../helpers/testApp.js';
import { seedDemo } from '../../seeds/demo.js';

/**
 * The seed's core gesture, in the browser, on the demo data: a new impegno,
 * + beside CIG registers a CIG in the modal, same for the CUP, save, and the
 * CUP is found on the voce in the Piano delle destinazioni. With the mouse,
 * with the keyboard only, and without JavaScript.
 */
describe.skipIf(!chromiumPath)('impegno con CIG e CUP nuovi nel browser', () => {
  const ctx = useBrowserApp(async (db) => {
    await seedDemo(db.knex, { today: TEST_TODAY });
  });

  const segreteria = { username: 'segreteria', password: 'demo-segreteria' };
  /** A page logged in as the demo's secretary, at `landing`; the modal's 422 answers are expected (the page shows them in the modal). */
  const open = (landing: string, options: { keyboard?: boolean } = {}) =>
    openLoggedIn(ctx, segreteria, { landing, ignore: (t) => t.includes('422'), timeout: 10_000, ...options });

  const voceValue = (page: Page, codice: string) =>
    page.$eval('#voce_id', (s, c) => Array.from((s as HTMLSelectElement).options).find((o) => o.text.startsWith(`${c} `))?.value ?? '', codice);
  const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('registers a CIG and a CUP from the impegno’s + modals, saves, and finds the CUP on the voce', async () => {
    const page = await open('/impegni/nuovo');
    await fillFields(page, { '#importo': '1.500,00', '#oggetto': 'Acquisto di monitor interattivi per le aule', '#voce_id': await voceValue(page, 'A03/13') });
    await screenshot(page, 'impegno-nuovo');

    // + beside CIG: the modal with the register's own form.
    await openPickerModal(page, 'cig');
    await submitModal(page, 'cig', { codice: '9050626CD7', oggetto: 'Fornitura di monitor interattivi', data_generazione: '2024-03-15' });
    // A wrong check character: the error is shown in the modal, on the field.
    await page.waitForSelector('#modal-cig-codice-error');
    expect(await page.textContent('#modal-cig-codice-error')).toContain('atteso CD6');
    expect(await page.getAttribute('#modal-cig-codice', 'aria-invalid')).toBe('true');
    await screenshot(page, 'impegno-modal-cig-errore');
    await submitModal(page, 'cig', { codice: '9050626CD6' });
    await expectChosenFromModal(page, 'cig', '9050626CD6 – Fornitura di monitor interattivi');
    await expect.poll(() => page.textContent('[data-picker-annuncio]')).toContain('CIG 9050626CD6 registrato e scelto');

    // Same for the CUP.
    await registerFromModal(page, 'cup', { codice: 'C44D22002780006', descrizione: 'PNRR Piano Scuola 4.0 – Next Generation Classroom', fonte_finanziamento: 'PNRR' }, 'C44D22002780006');
    // Nothing typed in the document was lost.
    await expectValues(page, { '#oggetto': 'Acquisto di monitor interattivi per le aule', '#importo': '1.500,00' });
    await screenshot(page, 'impegno-codici-scelti');

    await clickTo(page, '#documento-salva', /\/impegni\/\d+$/);
    expect(await page.textContent('main')).toContain('Il CUP C44D22002780006 è stato scritto anche sulla voce A03/13');
    expect(await page.textContent('main')).toContain('9050626CD6');
    await screenshot(page, 'impegno-salvato');

    await page.goto(`${ctx.baseUrl}/impostazioni/piano-destinazioni`);
    expect(await page.textContent('tr[data-voce="A03/13"]')).toContain('C44D22002780006');
    await screenshot(page, 'piano-destinazioni');
    await closeWithoutErrors(page);
  });

  it('does the same with the keyboard only', async () => {
    const page = await open('/impegni/nuovo', { keyboard: true });
    await tabTo(page, '#importo', { max: 80 });
    await page.keyboard.type('980,50');
    await tabOnce(page, '#oggetto');
    await page.keyboard.type('Kit STEM per il laboratorio');
    // The voce: type in its search field, Enter picks the first match.
    await tabOnce(page, '#voce_id-cerca');
    await page.keyboard.type('A03/15');
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('voce_id');
    expect(await selectedText(page, 'voce_id')).toMatch(/^A03\/15 /);

    // From the CIG select, Tab reaches its +; Enter opens the modal.
    await tabTo(page, '#cig_id-cerca');
    await tabOnce(page, '#cig_id');
    await tabOnce(page, '.picker-nuovo');
    await page.keyboard.press('Enter');
    await expectModalOpen(page, 'cig');
    // The date of generation is typed dd/mm/yyyy (it-IT).
    await typeInModal(page, 'cig', { codice: 'B123456659', stato: null, oggetto: 'Kit didattici STEM', data_generazione: '02022024' });
    await expectChosenFromModal(page, 'cig', 'B123456659');

    await tabTo(page, '#cup_id-cerca');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectModalOpen(page, 'cup');
    await typeInModal(page, 'cup', { codice: 'C44D23003810006', stato: null, descrizione: 'PNRR Nuove competenze e nuovi linguaggi', importo_finanziato: null });
    await expectChosenFromModal(page, 'cup', 'C44D23003810006');

    // Escape closes a modal without saving, focus back on its +.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectModalOpen(page, 'cup');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#modal-cup', { state: 'hidden' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('picker-nuovo'))).toBe(true);

    // Enter in a field of the document saves it (back to the amount with Shift+Tab).
    await enterTo(page, '#importo', /\/impegni\/\d+$/, { back: true });
    expect(await page.textContent('main')).toContain('sulla voce A03/15');
    // Impostazioni → Bilancio → Piano delle destinazioni, from the menu.
    await chooseFromMenu(page, ctx.baseUrl, '#menu-impostazioni', ['/impostazioni/piano-destinazioni']);
    expect(await page.textContent('tr[data-voce="A03/15"]')).toContain('C44D23003810006');
    await closeWithoutErrors(page);
  });

  it('proposes the voce’s CUP, and asks before replacing a different one on the voce', async () => {
    const page = await open('/impegni/nuovo');
    await fillFields(page, { '#importo': '300', '#oggetto': 'Cavi e adattatori per i monitor' });
    // A03/13 got its CUP from the first journey: choosing the voce proposes it.
    await page.selectOption('#voce_id', await voceValue(page, 'A03/13'));
    expect(await selectedText(page, 'cup_id')).toContain('C44D22002780006');
    await expect.poll(() => page.textContent('[data-picker-annuncio]')).toContain('Proposto dalla scelta');
    // A visible note next to the CUP says where it came from, tied to the field; changing the CUP removes it.
    expect(await page.isVisible('#cup_id-proposta')).toBe(true);
    expect(await page.textContent('#cup_id-proposta')).toContain('Proposto dalla scelta in «Voce del Piano delle destinazioni» (A03/13');
    expect(await page.getAttribute('#cup_id', 'aria-describedby')).toContain('cup_id-proposta');
    await screenshot(page, 'impegno-cup-dalla-voce');
    // Another CUP: the save stops and asks.
    const altro = await page.$eval('#cup_id', (s) => Array.from((s as HTMLSelectElement).options).find((o) => o.text.startsWith('C44D23003810006'))?.value ?? '');
    await page.selectOption('#cup_id', altro);
    expect(await page.$('#cup_id-proposta')).toBeNull();
    await page.click('#documento-salva');
    await page.waitForSelector('fieldset.cup-conflitto');
    expect(await page.textContent('fieldset.cup-conflitto legend')).toContain('La voce A03/13 ha già il CUP C44D22002780006: sostituirlo con C44D23003810006?');
    await expectValues(page, { '#oggetto': 'Cavi e adattatori per i monitor' });
    await screenshot(page, 'impegno-cup-diverso');
    await page.click('label[for="conferma_cup_0"]');
    expect(await page.isChecked('#conferma_cup_0')).toBe(true);
    await clickTo(page, '#documento-salva', /\/impegni\/\d+$/);
    await page.goto(`${ctx.baseUrl}/impostazioni/piano-destinazioni`);
    expect(await page.textContent('tr[data-voce="A03/13"]')).toContain('C44D22002780006');

    // A new mandato: choosing its impegno proposes the impegno's CUP.
    await page.goto(`${ctx.baseUrl}/mandati/nuovo`);
    const impegno = await page.$eval('#impegno_id', (s) => Array.from((s as HTMLSelectElement).options).find((o) => o.text.includes('Cavi e adattatori'))?.value ?? '');
    await page.selectOption('#impegno_id', impegno);
    expect(await selectedText(page, 'cup_id')).toContain('C44D23003810006');
    await closeWithoutErrors(page);
  });

  it('says before saving what the save would say: a date outside the esercizio, and the voce’s other CUP as a question in the form', async () => {
    const page = await open('/impegni/nuovo');
    await fillFields(page, { '#importo': '120', '#oggetto': 'Prolunghe per il laboratorio' });
    await page.fill('#data', '2001-01-10');
    await page.dispatchEvent('#data', 'change');
    await page.waitForSelector('[data-documento-avvisi]:not([hidden])');
    expect(await page.textContent('[data-documento-avvisi]')).toContain('La data deve cadere nell’esercizio');
    await page.fill('#data', `${TEST_TODAY.getUTCFullYear()}-01-10`);
    await page.dispatchEvent('#data', 'change');
    await page.waitForSelector('[data-documento-avvisi][hidden]', { state: 'attached' });
    await page.selectOption('#voce_id', await voceValue(page, 'A03/13'));
    const altro = await page.$eval('#cup_id', (s) => Array.from((s as HTMLSelectElement).options).find((o) => o.text.startsWith('C44D23003810006'))?.value ?? '');
    await page.selectOption('#cup_id', altro);
    // The question appears in the form, before any save.
    await page.waitForSelector('[data-cup-domanda] fieldset.cup-conflitto');
    expect(await page.textContent('[data-cup-domanda] legend')).toContain('La voce A03/13 ha già il CUP C44D22002780006: sostituirlo con C44D23003810006?');
    await screenshot(page, 'impegno-domanda-cup-prima-del-salvataggio');
    await page.click('label[for="conferma_cup_domanda_0"]');
    // Answered in the form: the save goes through at once, no 422 round trip.
    await clickTo(page, '#documento-salva', /\/impegni\/\d+$/);
    expect(await page.textContent('main')).toContain('C44D23003810006');
    await closeWithoutErrors(page);
  });

  it('chooses nothing on Enter in an empty picker search, and says on screen when a search matches nothing', async () => {
    const page = await open('/impegni/nuovo', { keyboard: true });
    const url = page.url();
    // The voce's list is long: Enter in its empty search used to choose the first voce.
    expect(await page.$$eval('#voce_id option', (o) => o.length)).toBeGreaterThan(2);
    await tabTo(page, '#voce_id-cerca', { max: 80 });
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#voce_id')).toBe('');
    expect(await activeId(page)).toBe('voce_id-cerca');
    expect(page.url()).toBe(url);
    expect(await page.isVisible('#voce_id-nessuno')).toBe(false);

    // A search that matches nothing says so next to the field, and to screen readers; Enter still chooses nothing.
    await page.keyboard.type('xyz');
    await page.waitForSelector('#voce_id-nessuno', { state: 'visible' });
    expect(await page.textContent('#voce_id-nessuno')).toBe('Nessuna voce corrisponde a «xyz»');
    expect(await page.getAttribute('#voce_id-cerca', 'aria-describedby')).toBe('voce_id-nessuno');
    await expect.poll(() => page.textContent('[data-picker-annuncio]')).toBe('Nessuna voce corrisponde a «xyz»');
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#voce_id')).toBe('');
    expect(await activeId(page)).toBe('voce_id-cerca');
    await screenshot(page, 'picker-nessun-risultato');

    // A search that matches hides the sentence again, and Enter chooses the first match.
    await page.fill('#voce_id-cerca', '');
    await page.keyboard.type('A03/15');
    await page.waitForSelector('#voce_id-nessuno', { state: 'hidden' });
    expect(await page.getAttribute('#voce_id-cerca', 'aria-describedby')).toBeNull();
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('voce_id');
    expect(await selectedText(page, 'voce_id')).toMatch(/^A03\/15 /);

    // The CIG picker names its own entries; empty Enter there chooses nothing either.
    await page.focus('#cig_id-cerca');
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#cig_id')).toBe('');
    expect(await activeId(page)).toBe('cig_id-cerca');
    await page.keyboard.type('xyz');
    await page.waitForSelector('#cig_id-nessuno', { state: 'visible' });
    expect(await page.textContent('#cig_id-nessuno')).toBe('Nessun CIG corrisponde a «xyz»');
    expect(page.url()).toBe(url);
    await closeWithoutErrors(page);
  });

  it('works without JavaScript: the + keeps what was typed, leads to the register’s form and back, with the new CIG chosen', async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await loginInBrowser(page, ctx.baseUrl, segreteria, '/impegni/nuovo');
    expect(await page.$('[data-picker-cerca]')).toBeNull(); // no enhancement
    await fillFields(page, { '#importo': '250', '#oggetto': 'Assistenza tecnica laboratorio', '#voce_id': await voceValue(page, 'A02/1') });
    await clickTo(page, '[data-picker="cig_id"] button.picker-nuovo', /\/cig\/nuovo\?ritorno=/);
    expect(await page.textContent('main')).toContain('I dati del documento sono conservati: dopo il salvataggio del CIG tornerai all’impegno.');
    await fillFields(page, { '#codice': '1234567CE7', '#oggetto': 'Servizio di assistenza tecnica', '#data_generazione': '2023-03-15' });
    await screenshot(page, 'nojs-cig-nuovo');
    await clickTo(page, 'form.registro-form button[type=submit]', /\/impegni\/nuovo\?bozza=[\w-]+&cig_id=\d+/);
    expect(await selectedText(page, 'cig_id')).toContain('1234567CE7');
    // What was typed before the + is back.
    expect(await page.inputValue('#importo')).toBe('250');
    expect(await page.inputValue('#oggetto')).toBe('Assistenza tecnica laboratorio');
    expect(await selectedText(page, 'voce_id')).toContain('A02/1');
    await screenshot(page, 'nojs-impegno-ripreso');
    await clickTo(page, '#documento-salva', /\/impegni\/\d+$/);
    expect(await page.textContent('main')).toContain('1234567CE7');
    await screenshot(page, 'nojs-impegno-salvato');
    await context.close();
  });
});
