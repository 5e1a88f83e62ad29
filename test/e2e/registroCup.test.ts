import { describe, expect, it } from 'vitest';
import { createCup, createTwoSchools } from '../helpers/factories.js';
import {
  chooseFromMenu, chromiumPath, clickTo, closeWithoutErrors, enterTo, fillFields, openLoggedIn, screenshot, searchRegister, tabTo, useBrowserApp,
} from '../helpers/browser.js';

/**
 * Gestione CUP (issue 7, journey 4): a secretary finds a CUP in the register,
 * opens it, changes its description, saves and sees the change on the record,
 * in its history and in the register's search. With the mouse and with the
 * keyboard only.
 */
describe.skipIf(!chromiumPath)('Gestione CUP nel browser: modifica di un CUP', () => {
  const ctx = useBrowserApp(async (db) => {
    const cast = await createTwoSchools(db.knex);
    const reti = await createCup(db.knex, cast.scuola1.id, { codice: 'C49J21037560006', anno_decisione: 2021, descrizione: 'PON FESR Reti cablate e wireless', fonte_finanziamento: 'FESR' });
    const classroom = await createCup(db.knex, cast.scuola1.id, { codice: 'C44D22002780006', descrizione: 'PNRR Piano Scuola 4.0 – Next Generation Classroom' });
    await createCup(db.knex, cast.scuola1.id, { codice: 'C44D23003810006', anno_decisione: 2023, descrizione: 'PNRR STEM e multilinguismo' });
    return { ...cast, reti, classroom };
  });

  const stored = (id: number) => ctx.db.knex('cup').where({ id }).first();

  it('with the mouse: searches, opens the CUP, edits the description and sees the change', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/cup' });
    expect(await page.locator('th[scope=row]').count()).toBe(3);
    await searchRegister(page, 'descrizione', 'cablate');
    expect(await page.locator('th[scope=row]').allTextContents()).toEqual(['C49J21037560006']);
    await screenshot(page, 'cup-ricerca');

    await clickTo(page, 'th[scope=row] a:has-text("C49J21037560006")', `/cup/${ctx.data.reti.id}`);
    expect(await page.textContent('main dl')).toContain('PON FESR Reti cablate e wireless');
    await screenshot(page, 'cup-scheda');
    await clickTo(page, 'main a:has-text("Modifica")', `/cup/${ctx.data.reti.id}/modifica`);
    expect(await page.inputValue('#descrizione')).toBe('PON FESR Reti cablate e wireless');
    await fillFields(page, { '#descrizione': 'PON FESR Reti cablate e wireless nelle scuole – 13.1.1A-FESRPON-LA-2021-412', '#importo_finanziato': '45.870,12' });
    await screenshot(page, 'cup-modifica');
    await clickTo(page, 'form.registro-form button:has-text("Salva")', `/cup/${ctx.data.reti.id}`);
    expect(await page.textContent('.alert-success')).toContain('CUP C49J21037560006 salvato.');
    expect(await page.textContent('main dl')).toContain('PON FESR Reti cablate e wireless nelle scuole – 13.1.1A-FESRPON-LA-2021-412');
    expect(await page.textContent('main dl')).toContain('45.870,12');
    // The history says who changed what.
    const storia = await page.textContent('section[aria-labelledby="storia-titolo"]');
    expect(storia).toContain('PON FESR Reti cablate e wireless');
    expect(storia).toContain('13.1.1A-FESRPON-LA-2021-412');
    await screenshot(page, 'cup-salvato');

    const row = await stored(ctx.data.reti.id);
    expect(row).toMatchObject({ descrizione: 'PON FESR Reti cablate e wireless nelle scuole – 13.1.1A-FESRPON-LA-2021-412', codice: 'C49J21037560006' });
    expect(Number(row.importo_finanziato_cents)).toBe(4587012);
    expect(row.version).toBe(ctx.data.reti.version + 1);

    // The register's search finds it by the new words (accents and case do not matter).
    await clickTo(page, 'main a:has-text("Torna all’elenco")', '/cup');
    await searchRegister(page, 'descrizione', 'fesrpon');
    expect(await page.locator('th[scope=row]').allTextContents()).toEqual(['C49J21037560006']);
    await closeWithoutErrors(page);
  });

  it('with the keyboard only: from the menu to the saved change', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { keyboard: true });

    // Gestisci → Gestione CUP from the menu.
    await chooseFromMenu(page, ctx.baseUrl, '#menu-gestisci', ['/cig', '/cup']);

    // The record's link in the table, then Modifica.
    const id = ctx.data.classroom.id;
    await enterTo(page, `th[scope=row] a[href="/cup/${id}"]`, `/cup/${id}`);
    await enterTo(page, `main a[href="/cup/${id}/modifica"]`, `/cup/${id}/modifica`);

    await tabTo(page, '#descrizione');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('PNRR Piano Scuola 4.0 – Next Generation Classroom (aule 1A–3C)');
    // Fonte di finanziamento: a native select changes with the arrow keys.
    await tabTo(page, '#fonte_finanziamento', { max: 3 });
    expect(await page.inputValue('#fonte_finanziamento')).toBe('PNRR');
    await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#fonte_finanziamento')).not.toBe('PNRR');
    const fonte = await page.inputValue('#fonte_finanziamento');
    // Salva is reached with Tab (Enter in the textarea would only add a new line).
    await enterTo(page, 'form.registro-form button[type=submit]', `/cup/${id}`, { max: 3 });
    expect(await page.textContent('main')).toContain('CUP C44D22002780006 salvato.');
    expect(await page.textContent('main dl')).toContain('PNRR Piano Scuola 4.0 – Next Generation Classroom (aule 1A–3C)');
    await screenshot(page, 'cup-salvato-tastiera');
    expect(await stored(id)).toMatchObject({
      descrizione: 'PNRR Piano Scuola 4.0 – Next Generation Classroom (aule 1A–3C)',
      fonte_finanziamento: fonte,
      version: ctx.data.classroom.version + 1,
    });
    await closeWithoutErrors(page);
  });
});
