import { describe, expect, it } from 'vitest';
import { createTwoSchools } from '../helpers/factories.js';
import { chromiumPath, closeWithoutErrors, openLoggedIn, screenshot, tabTo, useBrowserApp } from '../helpers/browser.js';

/** The header's Guida link: on screen at both widths, reached with the keyboard, and the Guida's table of contents. */
describe.skipIf(!chromiumPath)('la Guida dall’intestazione', () => {
  const ctx = useBrowserApp((db) => createTwoSchools(db.knex));

  it('is reached with Tab and Enter from any page, and its contents lead to each section', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/cig', keyboard: true });
    await tabTo(page, 'a.guida-link');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/guida`);
    expect(await page.textContent('h1')).toBe('Guida');
    await tabTo(page, '.guida-indice a[href="#cassiere"]', { max: 60 });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${ctx.baseUrl}/guida#cassiere`);
    // The section's heading comes on screen (Bootstrap Italia scrolls smoothly: waited for, not timed).
    await expect.poll(() => page.$eval('#cassiere', (h) => { const top = h.getBoundingClientRect().top; return top >= 0 && top < 900; })).toBe(true);
    await closeWithoutErrors(page);
  });

  it('is on screen at 390 px, inside the page’s width, with a target of at least 44 px', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/impegni' });
    await page.setViewportSize({ width: 390, height: 844 });
    const link = page.locator('a.guida-link');
    expect(await link.isVisible()).toBe(true);
    const box = (await link.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(await link.textContent()).toContain('Guida');
    await screenshot(page, 'guida-link-390');
    await link.click();
    await page.waitForURL(`${ctx.baseUrl}/guida`);
    await screenshot(page, 'guida-390');
    await closeWithoutErrors(page);
  });
});
