import { describe, expect, it } from 'vitest';
import { createCig, createTwoSchools } from '../helpers/factories.js';
import { chromiumPath, screenshot, tabTo, useBrowserApp } from '../helpers/browser.js';

describe.skipIf(!chromiumPath)('Gestione CIG nel browser', () => {
  const ctx = useBrowserApp(async (db) => {
    const cast = await createTwoSchools(db.knex);
    await createCig(db.knex, cast.scuola1.id, { codice: '9050626CD6', oggetto: 'Attività didattiche' });
    await createCig(db.knex, cast.scuola1.id, { codice: 'ZC81A2B3C4', famiglia: 'smart', oggetto: 'Pulizia locali' });
    return cast;
  });

  it('opens the search panel, searches and closes it with the keyboard only', async () => {
    const page = await ctx.browser.newPage({ locale: 'it-IT' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${ctx.baseUrl}/login?ritorno=%2Fcig`);
    await tabTo(page, '#username', { max: 5 });
    await page.keyboard.type(ctx.data.segreteria.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ctx.data.segreteria.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/cig`);

    const panel = page.locator('details.ricerca-panel');
    expect(await panel.getAttribute('open')).toBeNull();
    await tabTo(page, 'details.ricerca-panel > summary');
    await page.keyboard.press('Enter');
    expect(await panel.getAttribute('open')).not.toBeNull();

    // Tab to the oggetto field: a filled field is the criterion.
    await tabTo(page, '#oggetto');
    await page.keyboard.type('ATTIVITA');
    await page.keyboard.press('Enter');
    await page.waitForURL(/oggetto=ATTIVITA/);
    expect(await page.locator('th[scope=row]').allTextContents()).toEqual(['9050626CD6']);
    expect(await page.locator('details.ricerca-panel').getAttribute('open')).not.toBeNull();
    await screenshot(page, 'cig-ricerca');

    // Close it again from the keyboard (the summary is before the results: Shift+Tab).
    await tabTo(page, 'details.ricerca-panel > summary', { back: true, max: 60 });
    await page.keyboard.press('Space');
    expect(await page.locator('details.ricerca-panel').getAttribute('open')).toBeNull();

    // Back returns to the full list (the search lives in the query string).
    await page.goBack();
    await page.waitForURL(`${ctx.baseUrl}/cig`);
    expect(await page.locator('th[scope=row]').count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
