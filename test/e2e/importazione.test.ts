import { describe, expect, it } from 'vitest';
import { chromiumPath, loginInBrowser, screenshot, useBrowserApp } from '../helpers/browser.js';
import { DEMO_USERS, seedDemo } from '../../seeds/demo.js';

const admin = DEMO_USERS.find((u) => u.username === 'admin')!;

describe.skipIf(!chromiumPath)('Importazione CIG/CUP nel browser', () => {
  const ctx = useBrowserApp(async (db) => {
    await seedDemo(db.knex);
  });

  it('the admin follows the banner, reads the anteprima, runs the import with the keyboard and the banner goes away', async () => {
    const page = await ctx.browser.newPage({ locale: 'it-IT' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInBrowser(page, ctx.baseUrl, admin);
    const banner = page.locator('[data-banner="importazione"]');
    expect(await banner.textContent()).toContain('Importazione CIG/CUP non ancora eseguita');

    // From the banner's link, with the keyboard.
    await banner.locator('a').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/impostazioni/importazione`);
    expect(await page.textContent('main')).toContain('Mai eseguita');
    expect(await page.textContent('main')).toContain('9050626CD6');
    await screenshot(page, 'importazione-anteprima');

    // Without the confirmation the form says what to do, tied to the checkbox.
    await page.focus('button:has-text("Esegui importazione")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#conferma-error');
    expect(await page.getAttribute('#conferma', 'aria-describedby')).toBe('conferma-error');
    await page.focus('#conferma');
    await page.keyboard.press('Space');
    await page.focus('button:has-text("Esegui importazione")');
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
});
