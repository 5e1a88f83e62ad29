import { describe, expect, it } from 'vitest';
import { createTwoSchools } from '../helpers/factories.js';
import { chooseFromMenu, chromiumPath, screenshot, tabTo, useBrowserApp } from '../helpers/browser.js';

describe.skipIf(!chromiumPath)('accesso nel browser', () => {
  const ctx = useBrowserApp((db) => createTwoSchools(db.knex));

  it('logs in with the keyboard only, sees the school, opens the menu and logs out', async () => {
    const page = await ctx.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${ctx.baseUrl}/`);
    expect(page.url()).toContain('/login');
    await screenshot(page, 'login');

    // Skip link first, then the username field.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Vai al contenuto');
    await tabTo(page, '#username', { max: 5 });
    await page.keyboard.type(ctx.data.segreteria.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ctx.data.segreteria.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/`);
    await expect.poll(() => page.textContent('h1')).toContain('Riepilogo');
    expect(await page.textContent('header')).toContain(ctx.data.scuola1.denominazione);
    await screenshot(page, 'home');

    // The Gestisci menu opens from the keyboard and leads to Gestione CIG.
    await chooseFromMenu(page, ctx.baseUrl, '#menu-gestisci', ['/cig']);

    await tabTo(page, 'form[action$="logout"] button');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/login?uscito=1`);
    expect(await page.textContent('main [role="status"]')).toContain('Hai chiuso la sessione di Bilancio Scuola');
    expect(errors, errors.join("\n")).toEqual([]);
    await page.close();
  });

  it('shows the wrong-password message tied to the field', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    await page.fill('#username', ctx.data.admin.username);
    await page.fill('#password', 'sbagliata');
    await page.press('#password', 'Enter');
    await page.waitForSelector('[data-error-summary]');
    expect(await page.getAttribute('#password', 'aria-describedby')).toBe('password-error');
    expect(await page.textContent('#password-error')).toContain('non corretti');
    // Focus lands on the error summary for keyboard and screen-reader users.
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'))).toBe(true);
    await screenshot(page, 'login-errore');
    await page.close();
  });
});
