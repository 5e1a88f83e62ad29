import { describe, expect, it } from 'vitest';
import { chromiumPath, isFocused, loginInBrowser, screenshot, useBrowserApp, watchPageErrors } from '../helpers/browser.js';
import { DEMO_USERS, seedDemo } from '../../seeds/demo.js';
import { TEST_TODAY } from '../helpers/testApp.js';

const segreteria = DEMO_USERS.find((u) => u.username === 'segreteria')!;
const banner = '[data-sessione][role="alert"]';

/**
 * The session-expiry warning, the page's clock driven by Playwright's fake clock:
 * eight hours idle (counted a minute short), the warning two minutes before.
 */
describe.skipIf(!chromiumPath)('avviso di scadenza della sessione', () => {
  const ctx = useBrowserApp((db) => seedDemo(db.knex, { today: TEST_TODAY }));

  it('warns two minutes ahead in a long form, «Resta collegato» renews it, and the end is said plainly', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'it-IT' });
    const errors = watchPageErrors(page);
    await page.clock.install();
    await loginInBrowser(page, ctx.baseUrl, segreteria, '/impegni/nuovo');
    await page.fill('#oggetto', 'Fornitura di materiale scritto con calma');
    await page.clock.fastForward('07:56:00');
    expect(await page.isVisible(banner)).toBe(false);
    await page.clock.fastForward('01:10');
    await page.waitForSelector(banner, { state: 'visible' });
    expect(await page.textContent(banner)).toContain('La sessione sta per scadere per inattività');
    // Typing in a field: the focus stays there.
    expect(await isFocused(page, '#oggetto')).toBe(true);
    await screenshot(page, 'sessione-avviso-390');

    const renewed = page.waitForResponse((r) => r.url().endsWith('/sessione/rinnova'));
    await page.click(`${banner} button:has-text("Resta collegato")`);
    expect((await renewed).status()).toBe(204);
    await page.waitForSelector(banner, { state: 'hidden' });
    // Another seven and a half hours from the renewal: no warning yet.
    await page.clock.fastForward('07:30:00');
    expect(await page.isVisible(banner)).toBe(false);

    await page.clock.fastForward('00:30:00');
    await page.waitForSelector(`${banner}:has-text("La sessione è scaduta")`);
    expect(await page.getAttribute(`${banner} a`, 'href')).toBe(`/login?ritorno=${encodeURIComponent('/impegni/nuovo')}`);
    expect(await page.inputValue('#oggetto')).toBe('Fornitura di materiale scritto con calma');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with the keyboard: the warning takes the focus when no field has it, Enter stays', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'it-IT' });
    await page.clock.install();
    await loginInBrowser(page, ctx.baseUrl, segreteria, '/impegni');
    await page.clock.fastForward('07:57:10');
    await page.waitForSelector(banner, { state: 'visible' });
    await expect.poll(() => isFocused(page, `${banner} button`)).toBe(true);
    const renewed = page.waitForResponse((r) => r.url().endsWith('/sessione/rinnova'));
    await page.keyboard.press('Enter');
    expect((await renewed).status()).toBe(204);
    await page.waitForSelector(banner, { state: 'hidden' });
    await page.close();
  });

  it('says the session has ended when the server refuses the renewal', async () => {
    const page = await ctx.browser.newPage({ locale: 'it-IT' });
    await page.clock.install();
    await loginInBrowser(page, ctx.baseUrl, segreteria, '/impegni');
    await page.clock.fastForward('07:57:10');
    await page.waitForSelector(banner, { state: 'visible' });
    // Ended meanwhile (here: logged out in another tab).
    await page.context().clearCookies();
    await page.click(`${banner} button`);
    await page.waitForSelector(`${banner}:has-text("La sessione è scaduta")`);
    await page.close();
  });
});
