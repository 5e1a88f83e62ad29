import { describe, expect, it } from 'vitest';
import { chromiumPath, axeViolations, loginInBrowser, screenshot, useBrowserApp } from '../helpers/browser.js';
import { DEMO_USERS, seedDemo } from '../../seeds/demo.js';
import { createImportazioneService } from '../../src/services/importazioneService.js';

const user = (username: string) => DEMO_USERS.find((u) => u.username === username)!;

/**
 * axe-core (WCAG 2.1 AA) on every page of the demo school after the import,
 * plus the states that matter: an error summary, an empty list, an open modal.
 * Zero violations of impact serious or critical.
 */
describe.skipIf(!chromiumPath)('accessibilità (axe-core, WCAG 2.1 AA)', () => {
  const ctx = useBrowserApp(async (db) => {
    await seedDemo(db.knex);
    const scuola = await db.knex('scuole').orderBy('id').first('id');
    await createImportazioneService(db.knex).esegui(scuola.id, null);
  });

  const PAGES = [
    '/', '/cig', '/cig/nuovo', '/cig/1', '/cig/1/modifica', '/cig/1/elimina', '/cup', '/cup/nuovo', '/cup/1',
    '/impegni', '/impegni/nuovo', '/impegni/1', '/impegni/1/modifica', '/mandati', '/mandati/nuovo', '/mandati/1',
    '/creditori', '/creditori/nuovo', '/creditori/1', '/impostazioni/piano-destinazioni', '/impostazioni/piano-destinazioni/nuova',
    '/impostazioni/importazione', '/impostazioni/importazione/1', '/flussi', '/pagina-che-non-esiste',
  ];

  it('finds no serious or critical violation on any page', async () => {
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    expect(await axeViolations(page), '/login').toEqual([]);
    await loginInBrowser(page, ctx.baseUrl, user('admin'));
    for (const url of PAGES) {
      await page.goto(`${ctx.baseUrl}${url}`);
      expect(await axeViolations(page), url).toEqual([]);
    }
    await context.close();
  });

  it('finds none on an error summary, an empty list and an open modal', async () => {
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await loginInBrowser(page, ctx.baseUrl, user('segreteria'));

    await page.goto(`${ctx.baseUrl}/cig/nuovo`);
    await page.fill('#codice', 'B123456789');
    await page.click('button:has-text("Salva")');
    await page.waitForSelector('[data-error-summary]');
    expect(await axeViolations(page), 'riepilogo errori').toEqual([]);

    await page.goto(`${ctx.baseUrl}/impegni/nuovo`);
    await page.click('[data-picker="cig_id"] button.picker-nuovo');
    await page.waitForSelector('#modal-cig.show');
    // Measured once the fade-in is over: mid-animation every text is "low contrast".
    await page.waitForFunction(() => {
      const modal = document.getElementById('modal-cig');
      return modal !== null && getComputedStyle(modal).opacity === '1' && getComputedStyle(modal.querySelector('.modal-dialog')!).transform === 'none';
    });
    expect(await axeViolations(page), 'modale CIG aperto').toEqual([]);
    await screenshot(page, 'accessibilita-modale');
    await context.close();

    // School 2 has no CIG at all: the empty state.
    const other = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page2 = await other.newPage();
    await loginInBrowser(page2, ctx.baseUrl, user('segreteria2'), '/cig');
    expect(await page2.textContent('main')).toContain('Nessun CIG');
    expect(await axeViolations(page2), 'elenco vuoto').toEqual([]);
    await other.close();
  });
});
