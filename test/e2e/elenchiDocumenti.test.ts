import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumPath, clickTo, closeWithoutErrors, isFocused, loginInBrowser, openLoggedIn, screenshot, tabTo, useBrowserApp } from '../helpers/browser.js';
import { TEST_TODAY } from '../helpers/testApp.js';
import { seedDemo } from '../../seeds/demo.js';
import { formatCentsPlain } from '../../src/domain/money.js';

/**
 * Gestisci → Impegni on the demo data (issue 17): the search panel with the
 * keyboard only and without JavaScript, and the Piano delle destinazioni's
 * count of impegni that leads to the list searched by its voce.
 */
describe.skipIf(!chromiumPath)('elenco degli impegni: ricerca e piano', () => {
  const esercizio = TEST_TODAY.getUTCFullYear();
  const ctx = useBrowserApp(async (db) => {
    await seedDemo(db.knex, { today: TEST_TODAY });
    // What the searches below should find, read from the demo data itself.
    const [top] = await db.knex('impegni').where({ esercizio }).orderBy('importo_cents', 'desc').limit(1).select('importo_cents');
    const soglia = Number(top.importo_cents);
    const sopra = Number((await db.knex('impegni').where({ esercizio }).where('importo_cents', '>=', soglia).count({ n: '*' }).first())?.n);
    // The CIG of a document: the register's code, or the import's text until it is linked.
    const codice = "upper(coalesce(c.codice, i.cig_testo, ''))";
    const conCig = db.knex('impegni as i').leftJoin('cig as c', 'c.id', 'i.cig_id').where('i.esercizio', esercizio);
    const primo = await conCig.clone().whereRaw(`${codice} ~ '^[A-Z0-9]{10}$'`).orderBy('i.id').first(db.knex.raw(`${codice} as codice`));
    const cig = String(primo.codice).slice(0, 6);
    const conQuelCig = Number((await conCig.clone().whereRaw(`${codice} like ?`, [`%${cig}%`]).count({ n: '*' }).first())?.n);
    return { soglia, sopra, cig, conQuelCig };
  });
  const segreteria = { username: 'segreteria', password: 'demo-segreteria' };

  const rows = (page: Page) => page.locator('table.registro-table tbody tr').count();
  const totale = (page: Page, label: string) => page.locator(`dl.totali dt:text-is("${label}") + dd`).textContent();

  it('searches with the keyboard only: the panel opens with Enter, a filled importo is the criterion, Enter searches, a header sorts', async () => {
    const page = await openLoggedIn(ctx, segreteria, { landing: '/impegni', keyboard: true });
    const panel = page.locator('details.ricerca-panel');
    expect(await panel.getAttribute('open')).toBeNull();
    await tabTo(page, 'details.ricerca-panel > summary');
    await page.keyboard.press('Enter');
    expect(await panel.getAttribute('open')).not.toBeNull();
    await tabTo(page, '#importo_min');
    const importo = formatCentsPlain(ctx.data.soglia);
    await page.keyboard.type(importo);
    await page.keyboard.press('Enter');
    await page.waitForURL(/importo_min=/);
    expect(new URL(page.url()).searchParams.get('importo_min')).toBe(importo);
    expect(await rows(page)).toBe(ctx.data.sopra);
    expect(await page.locator('details.ricerca-panel').getAttribute('open')).not.toBeNull();
    expect(await page.inputValue('#importo_min')).toBe(importo);
    expect(await totale(page, 'Totale impegnato')).toMatch(/€$/);
    await screenshot(page, 'impegni-ricerca-tastiera');

    // The Importo header: a link reached by Tab; Enter sorts, keeping the search, and aria-sort says so.
    await tabTo(page, 'th a.sort-link[href*="ordina=importo"]', { max: 80 });
    expect(await isFocused(page, 'th a.sort-link[href*="ordina=importo"]')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/ordina=importo/);
    expect(new URL(page.url()).searchParams.get('importo_min')).toBe(importo);
    expect(await page.locator('th[aria-sort="ascending"] a').textContent()).toContain('Importo');
    await closeWithoutErrors(page);
  });

  it('works without JavaScript: the panel opens, a part of a CIG finds its impegni, a bad importo is refused next to the field', async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await loginInBrowser(page, ctx.baseUrl, segreteria, '/impegni');
    await page.click('details.ricerca-panel > summary');
    await page.fill('#cig', ctx.data.cig);
    await clickTo(page, 'form.ricerca-form button[type=submit]', new RegExp(`cig=${ctx.data.cig}`));
    expect(await rows(page)).toBe(ctx.data.conQuelCig);
    await screenshot(page, 'nojs-impegni-ricerca-cig');

    await page.fill('#importo_min', 'dieci euro');
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().includes('importo_min=')), page.click('form.ricerca-form button[type=submit]')]);
    expect(res.status()).toBe(422);
    await page.waitForSelector('#importo_min-error');
    expect(await page.textContent('#importo_min-error')).toContain('scrivi l’importo in euro, per esempio 1.234,56');
    expect(await page.getAttribute('#importo_min', 'aria-describedby')).toContain('importo_min-error');
    // The CIG still applies.
    expect(await rows(page)).toBe(ctx.data.conQuelCig);
    await screenshot(page, 'nojs-impegni-importo-rifiutato');
    await context.close();
  });

  it('the Piano delle destinazioni links each voce’s count of impegni to the list searched by that voce, same count', async () => {
    const page = await openLoggedIn(ctx, segreteria, { landing: '/impostazioni/piano-destinazioni' });
    const link = page.locator('a[href^="/impegni?voce_id="]').first();
    const count = (await link.textContent())!.replace(/\D+impegni.*$/s, '').trim();
    const row = page.locator('tr', { has: link });
    const impegnato = (await row.locator('td').nth(3).textContent())!.trim();
    await link.click();
    await page.waitForURL(/\/impegni\?voce_id=\d+$/);
    expect(await page.locator('details.ricerca-panel').getAttribute('open')).not.toBeNull();
    expect(String(await rows(page))).toBe(count);
    expect((await totale(page, 'Totale impegnato'))!.trim()).toBe(impegnato);
    await screenshot(page, 'piano-verso-impegni');
    await closeWithoutErrors(page);
  });
});
