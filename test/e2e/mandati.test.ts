import { describe, expect, it } from 'vitest';
import { createCig, createCreditore, createImpegno, createMandato, createTwoSchools } from '../helpers/factories.js';
import {
  chromiumPath, clickTo, closeWithoutErrors, enterTo, expectChosenFromModal, expectModalOpen, expectValues, fillFields, isFocused, openLoggedIn,
  registerFromModal, screenshot, tabOnce, tabTo, typeInModal, useBrowserApp,
} from '../helpers/browser.js';
import { cigCheckPcp, cigCheckSmart, validateCig } from '../../src/domain/cig.js';
import { formatVoceCodice } from '../../src/domain/piano.js';

/**
 * Issue 7, journey 6: a new mandato whose CIG and CUP come from the + modals
 * beside the pickers (a CIG registered on the spot, or the one already
 * registered chosen from the modal's duplicate error; a new CUP), saved; the
 * CUP is written on the impegno's voce. With the mouse and with the keyboard only.
 */

// Codes computed with ANAC's algorithm (src/domain/cig.ts).
const NUOVO_CIG = `B4E7A21${cigCheckPcp('B', 0x4e7a21)}`;
const CIG_REGISTRATO = `Z${cigCheckSmart(0x1c0ffee)}1C0FFEE`;

describe.skipIf(!chromiumPath)('mandato con CIG e CUP dai modali +', () => {
  const ctx = useBrowserApp(async (db) => {
    const cast = await createTwoSchools(db.knex);
    const s = cast.scuola1.id;
    const fornitore = await createCreditore(db.knex, s, { denominazione: 'Tecnodidattica Italia S.r.l.' });
    const registrato = await createCig(db.knex, s, { codice: CIG_REGISTRATO, famiglia: 'smart', oggetto: 'Assistenza tecnica laboratorio di informatica' });
    const monitor = await createImpegno(db.knex, s, { importo_cents: 500_000, oggetto: 'Monitor interattivi per le aule del plesso centrale' });
    const assistenza = await createImpegno(db.knex, s, { importo_cents: 200_000, oggetto: 'Assistenza tecnica laboratorio di informatica' });
    const voceOf = async (impegnoId: number) => {
      const voce = await db.knex('impegni as i').join('voci_destinazione as v', 'v.id', 'i.voce_id').where('i.id', impegnoId).first('v.id', 'v.aggregato', 'v.voce', 'v.sottovoce');
      return { id: voce.id as number, codice: formatVoceCodice(voce) };
    };
    return { ...cast, fornitore, registrato, monitor, assistenza, voceMonitor: await voceOf(monitor.id), voceAssistenza: await voceOf(assistenza.id) };
  });

  // The modals' refused saves (422) are shown in the modal; Chromium logs them.
  const expected422 = (t: string) => t.includes('422');

  it('uses codes computed with the domain validator', () => {
    expect(validateCig(NUOVO_CIG)).toMatchObject({ ok: true, famiglia: 'pcp' });
    expect(validateCig(CIG_REGISTRATO)).toMatchObject({ ok: true, famiglia: 'smart' });
  });

  it('with the mouse: registers a CIG and a CUP from the + modals, saves, and the voce gets the CUP', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/mandati', ignore: expected422 });
    await clickTo(page, 'main a:has-text("Nuovo mandato")', '/mandati/nuovo');
    await fillFields(page, {
      '#impegno_id': String(ctx.data.monitor.id),
      '#importo': '2.440,00',
      '#beneficiario_id': String(ctx.data.fornitore.id),
      '#causale': 'Pagamento fattura n. 118/2026 – monitor interattivi',
      '#modalita_pagamento': 'SEPA CREDIT TRANSFER',
      '#tipo_debito': 'COMMERCIALE',
    });
    await screenshot(page, 'mandato-nuovo');

    // + beside CIG: a CIG registered in the modal is chosen in the mandato.
    await registerFromModal(page, 'cig', { codice: NUOVO_CIG, oggetto: 'Fornitura di monitor interattivi', data_generazione: '2026-03-10' }, `${NUOVO_CIG} – Fornitura di monitor interattivi`);
    await expect.poll(() => page.textContent('[data-picker-annuncio]')).toContain(`CIG ${NUOVO_CIG} registrato e scelto`);

    // + beside CUP, the same.
    await registerFromModal(page, 'cup', { codice: 'C44D26000120006', descrizione: 'PNRR Scuola 4.0 – ambienti di apprendimento innovativi', fonte_finanziamento: 'PNRR' }, 'C44D26000120006');
    // Nothing typed in the mandato was lost.
    await expectValues(page, { '#causale': 'Pagamento fattura n. 118/2026 – monitor interattivi', '#importo': '2.440,00' });
    await screenshot(page, 'mandato-codici-scelti');
    // A commercial debt pays an invoice: here a paper one, described by hand.
    await fillFields(page, { '#fa_0_numero': '118/2026', '#fa_0_data': '10/03/2026', '#fa_0_importo': '2.440,00', '#fa_0_cf': '01234567897' });

    await page.click('#documento-salva');
    await page.waitForURL(/\/mandati\/\d+$/);
    const main = await page.textContent('main');
    expect(main).toMatch(/Mandato n\. \d+\/\d{4} salvato\./);
    expect(main).toContain(`Il CUP C44D26000120006 è stato scritto anche sulla voce ${ctx.data.voceMonitor.codice}`);
    expect(main).toContain(NUOVO_CIG);
    expect(main).toContain('C44D26000120006');
    await screenshot(page, 'mandato-salvato');

    const id = Number(/\/mandati\/(\d+)$/.exec(page.url())![1]);
    const cig = await ctx.db.knex('cig').where({ scuola_id: ctx.data.scuola1.id, codice: NUOVO_CIG }).first();
    const cup = await ctx.db.knex('cup').where({ scuola_id: ctx.data.scuola1.id, codice: 'C44D26000120006' }).first();
    expect(cig).toMatchObject({ famiglia: 'pcp', oggetto: 'Fornitura di monitor interattivi' });
    expect(cup).toMatchObject({ descrizione: 'PNRR Scuola 4.0 – ambienti di apprendimento innovativi', fonte_finanziamento: 'PNRR' });
    const mandato = await ctx.db.knex('mandati').where({ id }).first();
    expect(mandato).toMatchObject({
      impegno_id: ctx.data.monitor.id, beneficiario_id: ctx.data.fornitore.id, cig_id: cig.id, cup_id: cup.id,
      modalita_pagamento: 'SEPA CREDIT TRANSFER', tipo_debito: 'COMMERCIALE', motivo_esclusione_cig: null,
    });
    expect(Number(mandato.importo_cents)).toBe(244_000);
    expect(await ctx.db.knex('voci_destinazione').where({ id: ctx.data.voceMonitor.id }).first('cup_id')).toEqual({ cup_id: cup.id });
    await closeWithoutErrors(page);
  });

  it('with the keyboard only: picks the registered CIG from the modal’s duplicate error, registers a CUP, saves', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/mandati', keyboard: true, ignore: expected422 });
    await enterTo(page, 'main a[href="/mandati/nuovo"]', '/mandati/nuovo');

    // The impegno: type in the picker's search field, Enter chooses the first match.
    await tabTo(page, '#impegno_id-cerca');
    await page.keyboard.type('assistenza laboratorio');
    await page.keyboard.press('Enter');
    expect(await isFocused(page, '#impegno_id')).toBe(true);
    expect(await page.inputValue('#impegno_id')).toBe(String(ctx.data.assistenza.id));
    await tabTo(page, '#importo', { max: 6 }); // past the date's parts (today is already there)
    await page.keyboard.type('800');
    await tabOnce(page, '#beneficiario_id-cerca');
    await page.keyboard.type('tecnodidattica');
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#beneficiario_id')).toBe(String(ctx.data.fornitore.id));
    await tabTo(page, '#causale', { max: 3 });
    await page.keyboard.type('Canone di assistenza tecnica – primo semestre');
    // Native selects: typing a label's first letters chooses it.
    await tabOnce(page, '#modalita_pagamento');
    await page.keyboard.type('Bonifico S');
    expect(await page.inputValue('#modalita_pagamento')).toBe('SEPA CREDIT TRANSFER');
    await tabOnce(page, '#tipo_debito');
    await page.keyboard.type('Commerciale');
    expect(await page.inputValue('#tipo_debito')).toBe('COMMERCIALE');

    // CIG: Tab to its +, Enter opens the modal; the code is already registered.
    await tabOnce(page, '#cig_id-cerca');
    await tabOnce(page, '#cig_id');
    await tabOnce(page, '[data-picker="cig_id"] button.picker-nuovo');
    await page.keyboard.press('Enter');
    await expectModalOpen(page, 'cig');
    // Headless Chromium orders the date's parts as en-US whatever the locale: day = month avoids the question.
    await typeInModal(page, 'cig', { codice: CIG_REGISTRATO.toLowerCase(), stato: null, oggetto: 'Assistenza tecnica laboratorio', data_generazione: '03032023' });
    // The modal's error box takes the focus; the duplicate offers the registered CIG.
    await expect.poll(() => isFocused(page, '#modal-cig [data-modal-errors]')).toBe(true);
    expect(await page.textContent('#modal-cig [data-modal-errors]')).toContain('già registrato');
    expect(await page.getAttribute('#modal-cig-codice', 'aria-describedby')).toContain('modal-cig-codice-error');
    await screenshot(page, 'mandato-modal-cig-duplicato');
    await tabTo(page, '#modal-cig [data-modal-errors] button', { max: 6 });
    expect(await page.textContent('#modal-cig [data-modal-errors] button')).toBe('Scegli quello già registrato');
    await page.keyboard.press('Enter');
    await expectChosenFromModal(page, 'cig', CIG_REGISTRATO);
    expect(await page.inputValue('#cig_id')).toBe(String(ctx.data.registrato.id));
    await expect.poll(() => page.textContent('[data-picker-annuncio]')).toContain(`CIG ${CIG_REGISTRATO} scelto`);

    // CUP: Tab past the CIG's +, the motivo, the CUP's search field and select, to the CUP's +.
    await tabTo(page, '[data-picker="cup_id"] button.picker-nuovo', { max: 5 });
    await page.keyboard.press('Enter');
    await expectModalOpen(page, 'cup');
    await typeInModal(page, 'cup', { codice: 'C44D26000340006', stato: null, descrizione: 'PNRR Laboratori per le professioni digitali', importo_finanziato: null });
    await expectChosenFromModal(page, 'cup', 'C44D26000340006');

    // The invoice it pays, a paper one: its row after the CUP (the tipo already says Fattura analogica).
    await tabTo(page, '#fa_0_numero', { max: 6 });
    await page.keyboard.type('7/2026');
    await tabOnce(page, '#fa_0_data');
    await page.keyboard.type('15/03/2026');
    await tabOnce(page, '#fa_0_importo');
    await page.keyboard.type('800');
    await tabOnce(page, '#fa_0_cf');
    await page.keyboard.type('01234567897');

    // Salva, reached with Tab (past the second, empty row and the note).
    await enterTo(page, '#documento-salva', /\/mandati\/\d+$/, { max: 12 });
    expect(await page.textContent('main')).toContain(`Il CUP C44D26000340006 è stato scritto anche sulla voce ${ctx.data.voceAssistenza.codice}`);
    // The page names the CIG by its oggetto and says what the impegno has left once this mandato is paid.
    expect((await page.textContent('[data-codice-descrizione]'))?.trim()).toBe('Assistenza tecnica laboratorio di informatica');
    expect(await page.textContent('[data-testid=residuo-impegno]')).toBe('Residuo dopo questo mandato: 1.200,00\u00a0€');
    await screenshot(page, 'mandato-salvato-tastiera');

    const id = Number(/\/mandati\/(\d+)$/.exec(page.url())![1]);
    const cup = await ctx.db.knex('cup').where({ scuola_id: ctx.data.scuola1.id, codice: 'C44D26000340006' }).first();
    const mandato = await ctx.db.knex('mandati').where({ id }).first();
    expect(mandato).toMatchObject({
      impegno_id: ctx.data.assistenza.id, beneficiario_id: ctx.data.fornitore.id, cig_id: ctx.data.registrato.id, cup_id: cup.id,
      causale: 'Canone di assistenza tecnica – primo semestre', modalita_pagamento: 'SEPA CREDIT TRANSFER', tipo_debito: 'COMMERCIALE',
    });
    expect(Number(mandato.importo_cents)).toBe(80_000);
    // No second CIG with that code was created.
    expect(Number((await ctx.db.knex('cig').where({ scuola_id: ctx.data.scuola1.id, codice: CIG_REGISTRATO }).count({ n: '*' }).first())!.n)).toBe(1);
    expect(await ctx.db.knex('voci_destinazione').where({ id: ctx.data.voceAssistenza.id }).first('cup_id')).toEqual({ cup_id: cup.id });
    await closeWithoutErrors(page);
  });
  it('at 390 px: a draft says it lacks the beneficiario, the residuo shows, the long CIG oggetto opens in full with the keyboard, nothing scrolls sideways', async () => {
    const s = ctx.data.scuola1.id;
    const oggetto = 'Servizio di manutenzione ordinaria e straordinaria delle attrezzature informatiche dei laboratori, con assistenza da remoto e interventi in sede entro 48 ore';
    const cig = await createCig(ctx.db.knex, s, { oggetto });
    const imp = await createImpegno(ctx.db.knex, s, { importo_cents: 150_000, cig_id: cig.id });
    const mandato = await createMandato(ctx.db.knex, s, imp, { importo_cents: 25_000, cig_id: cig.id });
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: `/mandati/${mandato.id}` });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.textContent('main')).toContain('Mandato senza beneficiario: è una bozza, non potrà essere inviato al cassiere finché non scegli il beneficiario.');
    expect(await page.textContent('[data-testid=residuo-impegno]')).toBe('Residuo dopo questo mandato: 1.250,00\u00a0€');
    const details = page.locator('details[data-codice-descrizione]');
    const intero = details.getByText(oggetto, { exact: true });
    expect(await details.locator('.breve').isVisible()).toBe(true);
    expect(await intero.isVisible()).toBe(false);
    await tabTo(page, 'details[data-codice-descrizione] > summary', { max: 80 });
    await page.keyboard.press('Enter');
    expect(await intero.isVisible()).toBe(true);
    expect(await details.locator('.breve').isVisible()).toBe(false);
    expect(await details.locator('summary').textContent()).toContain('(riduci)');
    expect(await page.evaluate(() => document.querySelector('main')!.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'mandato-390-oggetto-cig');
    await closeWithoutErrors(page);
  });
});
