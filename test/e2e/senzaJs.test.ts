import { describe, expect, it } from 'vitest';
import { chromiumPath, clickTo, enterTo, loginInBrowser, screenshot, tabTo, useBrowserApp } from '../helpers/browser.js';
import { DEMO_USERS } from '../../seeds/demo.js';
import { seedDemo } from '../../seeds/demo.js';
import { TEST_TODAY } from '../helpers/testApp.js';

const admin = DEMO_USERS.find((u) => u.username === 'admin')!;

/** The group of the JavaScript-free menu holding the link to `href`, and its summary. */
const group = (href: string) => `.menu-senza-js details:has(a[href="${href}"])`;

/**
 * JavaScript off (as with a locked-down browser or a script that failed to load):
 * every link of the Gestisci and Impostazioni menus is reached, with the keyboard
 * and with the mouse, on a desktop and on a phone.
 */
describe.skipIf(!chromiumPath)('menu senza JavaScript', () => {
  const ctx = useBrowserApp((db) => seedDemo(db.knex, { today: TEST_TODAY }));

  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    it(`opens Gestisci and Impostazioni at ${viewport.width} px, keyboard and mouse`, async () => {
      const context = await ctx.browser.newContext({ javaScriptEnabled: false, viewport, locale: 'it-IT' });
      const page = await context.newPage();
      await loginInBrowser(page, ctx.baseUrl, admin);
      // Bootstrap Italia's menu (which needs JavaScript) is hidden; the plain one is there, its groups closed.
      expect(await page.isVisible('.it-header-navbar-wrapper')).toBe(false);
      expect(await page.isVisible(`${group('/creditori')} > summary`)).toBe(true);
      expect(await page.isVisible('.menu-senza-js a[href="/creditori"]')).toBe(false);

      // Keyboard: Tab to Gestisci, Enter opens it, Tab to Creditori, Enter follows it.
      await tabTo(page, `${group('/creditori')} > summary`);
      await page.keyboard.press('Enter');
      await enterTo(page, '.menu-senza-js a[href="/creditori"]', '/creditori', { max: 12 });
      expect(await page.textContent('h1')).toContain('Creditori');
      // The page's own group comes open, its link marked as the current page.
      expect(await page.getAttribute('.menu-senza-js a[href="/creditori"]', 'aria-current')).toBe('page');

      // Mouse: Impostazioni, then Importazione CIG/CUP.
      await page.click(`${group('/impostazioni/importazione')} > summary`);
      await screenshot(page, `senza-js-menu-${viewport.width}`);
      await clickTo(page, '.menu-senza-js a[href="/impostazioni/importazione"]', '/impostazioni/importazione');
      expect(await page.textContent('h1')).toContain('Importazione');
      const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(viewport.width);
      await context.close();
    });
  }

  it('with JavaScript on, shows Bootstrap Italia\'s menu and not the plain one', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await loginInBrowser(page, ctx.baseUrl, admin);
    expect(await page.isVisible('.it-header-navbar-wrapper')).toBe(true);
    expect(await page.locator('.menu-senza-js').count()).toBe(0);
    await page.close();
  });
});
